/**
 * Synthetic inference workers for `npm run bench:fleet`: one HTTP server on a loopback port per
 * simulated worker, each serving the inference service's own metric set (InferenceMetrics from
 * inference/metrics.ts, names from inference/metric-names.ts) through its own prom-client
 * registry. Every scrape first plays the traffic since the previous one: predictions to a few
 * models at a rate of the worker's own, whole-request and model-run latencies observed in the
 * real buckets, batching on one model, a few 4xx and rare 5xx, GPU gauges of the worker's card.
 * Values differ per worker (a seeded random per worker) and counters only grow.
 *
 * The servers run in a child process of their own (forked from the benchmark), so serving 400
 * scrapes every few seconds never shares an event loop with the console calls being timed.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { AmdGpuTelemetry, type GpuReading } from '../../inference/gpu-telemetry';
import { InferenceMetrics } from '../../inference/metrics';

/** One simulated worker: the rig and card it stands for. */
export interface SyntheticWorker {
  rig: string;
  gpu: string;
}

export interface SyntheticExporters {
  /** Each worker's port on 127.0.0.1, in the order given. */
  ports: number[];
  /** Stops every server and the child; resolves with the child's CPU time (user + system, ms). */
  stop(): Promise<{ cpuMs: number; scrapes: number }>;
}

/** The models every worker serves; only the first is served with batching. */
const MODELS = ['digits', 'latency-convnet', 'text-direction'] as const;
const VRAM_TOTAL = 8 * 2 ** 30;

/** A small seeded generator (mulberry32), so a worker's traffic is its own but repeatable. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A card's telemetry as the amdgpu driver would report it, made up per worker instead of read from sysfs. */
class SyntheticGpu extends AmdGpuTelemetry {
  constructor(
    private readonly card: string,
    private readonly random: () => number,
    private readonly load: number,
  ) {
    super('/nonexistent');
  }

  override async read(): Promise<GpuReading[]> {
    const busy = Math.min(100, this.load * 100 * (0.8 + 0.4 * this.random()));
    return [
      {
        card: this.card,
        vramUsedBytes: Math.round(VRAM_TOTAL * (0.2 + 0.5 * this.load + 0.05 * this.random())),
        vramTotalBytes: VRAM_TOTAL,
        busyPercent: Math.round(busy),
        temperatureCelsius: Math.round(45 + busy * 0.35 + 3 * this.random()),
        powerWatts: Math.round(40 + busy * 1.2 + 5 * this.random()),
      },
    ];
  }
}

/** One worker: its metrics, and the traffic played into them since the last scrape. */
function syntheticWorker(index: number, worker: SyntheticWorker) {
  const random = seeded(index * 7919 + 17);
  const load = 0.1 + 0.8 * random();
  /** Predictions a second at this worker, 1 to 10 (capped per scrape, so 400 workers stay cheap to serve). */
  const rate = 1 + 9 * load;
  const speed = 0.5 + random();
  const metrics = new InferenceMetrics(new SyntheticGpu(worker.gpu, random, load));
  for (const model of MODELS) {
    metrics.modelsLoaded.inc({ status: 'success' });
    metrics.apiRequests.inc({ endpoint: '/models/load', method: 'POST', status: '200' });
    metrics.apiDuration.observe({ endpoint: '/models/load', method: 'POST' }, 0.2 + random());
    metrics.predictionFailures.inc({ model }, 0);
  }
  let last = Date.now();
  const play = () => {
    const now = Date.now();
    const n = Math.min(60, Math.round(((now - last) / 1000) * rate * (0.7 + 0.6 * random())));
    last = now;
    for (let i = 0; i < n; i++) {
      const model = MODELS[Math.floor(random() * MODELS.length)]!;
      const run = speed * (model === 'digits' ? 0.002 : model === 'latency-convnet' ? 0.02 : 0.008) * (0.5 + random() * random() * 4);
      const roll = random();
      const status = roll < 0.003 ? '500' : roll < 0.02 ? '400' : '200';
      if (status === '200') {
        metrics.predictions.inc({ model });
        metrics.inferenceDuration.observe({ model }, run);
      } else if (status === '500') metrics.predictionFailures.inc({ model });
      if (model === 'digits') {
        metrics.batchSize.observe({ model }, 2 ** Math.floor(random() * 4));
        metrics.queueDuration.observe({ model }, 0.0005 + 0.004 * random());
      }
      metrics.apiRequests.inc({ endpoint: '/predict', method: 'POST', status });
      metrics.apiDuration.observe({ endpoint: '/predict', method: 'POST' }, run + 0.001 + 0.003 * random());
    }
    // The container healthcheck's /health every 10 s.
    metrics.apiRequests.inc({ endpoint: '/health', method: 'GET', status: '200' });
    metrics.apiDuration.observe({ endpoint: '/health', method: 'GET' }, 0.0004 + 0.0004 * random());
  };
  return { metrics, play };
}

/** The child's side: serves every worker, answers with their ports, stops when told. */
async function serve(workers: SyntheticWorker[]): Promise<void> {
  let scrapes = 0;
  const servers: Server[] = [];
  const ports: number[] = [];
  for (const [i, w] of workers.entries()) {
    const { metrics, play } = syntheticWorker(i, w);
    const server = createServer((req, res) => {
      const started = performance.now();
      if (req.url !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      scrapes++;
      play();
      metrics.render().then(
        (text) => {
          res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text);
          // Counted as the real service counts its own /metrics (an onResponse hook).
          metrics.apiRequests.inc({ endpoint: '/metrics', method: 'GET', status: '200' });
          metrics.apiDuration.observe({ endpoint: '/metrics', method: 'GET' }, (performance.now() - started) / 1000);
        },
        (err: Error) => res.writeHead(500).end(err.message),
      );
    });
    metrics.watchConnections(server);
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
    servers.push(server);
    ports.push((server.address() as { port: number }).port);
  }
  process.send!({ ports });
  process.on('message', (msg: { stop?: boolean }) => {
    if (!msg.stop) return;
    for (const s of servers) s.close();
    for (const s of servers) s.closeAllConnections();
    const cpu = process.cpuUsage();
    process.send!({ cpuMs: (cpu.user + cpu.system) / 1000, scrapes }, () => process.exit(0));
  });
  // The benchmark gone (crashed, killed): nothing stays listening.
  process.on('disconnect', () => process.exit(0));
}

/** Starts the workers' servers in a child process; resolves once every port listens. */
export async function startSyntheticExporters(workers: SyntheticWorker[]): Promise<SyntheticExporters> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--serve'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = <T>(): Promise<T> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`synthetic exporters exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (m) => {
        child.off('exit', onExit);
        resolve(m as T);
      });
    });
  const ready = next<{ ports: number[] }>();
  child.send({ workers });
  const { ports } = await ready;
  return {
    ports,
    stop: async () => {
      if (child.exitCode !== null) return { cpuMs: NaN, scrapes: NaN };
      const done = next<{ cpuMs: number; scrapes: number }>();
      child.send({ stop: true });
      const result = await done;
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
      return result;
    },
  };
}

if (process.argv.includes('--serve') && process.send) {
  process.once('message', (msg: { workers: SyntheticWorker[] }) => {
    serve(msg.workers).catch((err: Error) => {
      process.stderr.write(`synthetic exporters: ${err.message}\n`);
      process.exit(1);
    });
  });
}

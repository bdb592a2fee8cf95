// npm run bench:inference — latency and throughput of POST /predict against calling the same
// model's session in-process, in the same run, at concurrency 1 and 16; plus /metrics render
// time. The service runs twice: as its own process from the build the console supervises
// (dist/inference.js, loopback only), and as the console's container of the image built from
// inference/Dockerfile, reached through its published port on 127.0.0.1 (Docker's userland proxy
// in the path) and directly at its address on its network (no proxy).
// The client is undici (what Node's fetch is built on) with keep-alive connections. This VM's
// latency drifts by 2x within seconds, so all sides alternate in rounds (the order rotated each
// round) and each figure is the median over the rounds: a noisy stretch hits every side, not one.
// Ratios between sides are the median of per-round ratios, as each round's sides ran back to back.
import Docker from 'dockerode';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { Pool } from 'undici';
import { freePort } from '../../stack/testing/test-settings';
import { loadDigits } from '../demo-models/mnist-digits';
import { demoModelsDir } from '../models-dir';
import { ensureImage, removeBenchResources, startServiceContainer, userlandProxyFor } from './service-container';

interface Stats {
  p50: number;
  p99: number;
  throughput: number;
}

// Many short rounds: each side's round sits next to the others' within about a second, so the
// per-round ratios see the same stretch of the VM's drift.
const ROUNDS = 21;
/** The target: the container adds at most this much to the host process's p50 on the image path. */
const CONTAINER_P50_LIMIT = 1.05;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

function stats(samples: number[], wallMs: number): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p99: at(0.99), throughput: (samples.length / wallMs) * 1000 };
}

/** Runs `task` `total` times with `concurrency` loops; returns per-call latencies (ms) and stats. */
async function measure(total: number, concurrency: number, task: () => Promise<void>): Promise<Stats> {
  const samples: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < total) {
        const t = performance.now();
        await task();
        samples.push(performance.now() - t);
      }
    }),
  );
  return stats(samples, performance.now() - started);
}

/** Each task measured in ROUNDS rounds of total/ROUNDS calls, the order rotated every round; each task's rounds. */
async function measureRounds(total: number, concurrency: number, tasks: Array<() => Promise<void>>): Promise<Stats[][]> {
  const rounds: Stats[][] = tasks.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    for (let k = 0; k < tasks.length; k++) {
      const i = (k + r) % tasks.length;
      rounds[i]!.push(await measure(Math.ceil(total / ROUNDS), concurrency, tasks[i]!));
    }
  }
  return rounds;
}

/** Per figure, the median round. */
const medianStats = (rs: Stats[]): Stats => ({ p50: median(rs.map((s) => s.p50)), p99: median(rs.map((s) => s.p99)), throughput: median(rs.map((s) => s.throughput)) });

interface Versus {
  p50: number;
  p50Ms: number;
  throughput: number;
}

/** `b` against `a` over paired rounds. */
function versus(a: Stats[], b: Stats[]): Versus {
  const each = (f: (x: Stats, y: Stats) => number) => median(a.map((x, r) => f(x, b[r]!)));
  return { p50: each((x, y) => y.p50 / x.p50), p50Ms: each((x, y) => y.p50 - x.p50), throughput: each((x, y) => y.throughput / x.throughput) };
}

/** One service address and the answers it gave in the current run. */
interface Endpoint {
  label: string;
  pool: Pool;
  answers: string[];
}

const endpoint = (label: string, url: string): Endpoint => ({ label, pool: new Pool(url, { connections: 16, pipelining: 1 }), answers: [] });

async function http(pool: Pool, method: 'GET' | 'POST', path: string, body?: Buffer, contentType = 'application/json'): Promise<{ status: number; body: string }> {
  const res = await pool.request({ method, path, body, headers: body ? { 'content-type': contentType } : {} });
  return { status: res.statusCode, body: await res.body.text() };
}

async function startService(): Promise<{ port: number; stop: () => void }> {
  const child = spawn(process.execPath, ['dist/inference.js', '--port', '0', '--listen', '127.0.0.1', '--providers', 'cpu', '--max-concurrent', '256', '--load', 'digits.onnx,latency-convnet.onnx'], {
    env: { ...process.env, RX580_OPS_SETTINGS: '/nonexistent/rx580-settings.json' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`service exited (${code}): ${out}`)));
  });
  return { port, stop: () => child.kill('SIGTERM') };
}

/** What must go even when the run fails or is interrupted (the host process, the container and its network), last first. */
const cleanups: Array<() => unknown> = [];

async function cleanUp(): Promise<void> {
  for (const c of cleanups.splice(0).reverse()) await Promise.resolve(c()).catch(() => undefined);
}

const fmt = (s: Stats) => `p50 ${s.p50.toFixed(3)} ms  p99 ${s.p99.toFixed(3)} ms  ${s.throughput.toFixed(0)} req/s`;
const fmtVersus = (v: Versus) => `p50 x${v.p50.toFixed(3)} (${v.p50Ms >= 0 ? '+' : ''}${v.p50Ms.toFixed(3)} ms), throughput x${v.throughput.toFixed(2)}`;
const ms = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(3)} ms`;
const LABEL_WIDTH = 22;
const line = (label: string, text: string) => process.stdout.write(`${' '.repeat(18)}${label.padEnd(LABEL_WIDTH)}${text}\n`);

/** The container against the host process, per case and concurrency. */
interface ContainerResult {
  key: string;
  concurrency: number;
  published: Versus;
  direct: Versus;
}

async function main() {
  const docker = new Docker();
  const image = await ensureImage(docker);
  const service = await startService();
  cleanups.push(service.stop);
  cleanups.push(() => removeBenchResources(docker));
  const containerPort = await freePort();
  const container = await startServiceContainer(docker, image, containerPort);
  // In-process first, then the host process, the container through its published port, and directly.
  const [host, published, direct] = [
    endpoint('host process', `http://127.0.0.1:${service.port}`),
    endpoint('container, published', container.publishedUrl),
    endpoint('container, direct IP', container.directUrl),
  ] as [Endpoint, Endpoint, Endpoint];
  const endpoints = [host, published, direct];
  cleanups.push(() => Promise.all(endpoints.map((e) => e.pool.close())));

  const sample = loadDigits().test[0]!;
  const digitsSession = await ort.InferenceSession.create(join(demoModelsDir(), 'digits.onnx'), { executionProviders: ['cpu'] });
  const convnetSession = await ort.InferenceSession.create(join(demoModelsDir(), 'latency-convnet.onnx'), { executionProviders: ['cpu'] });

  const digitsBody = Buffer.from(JSON.stringify({ model_name: 'digits', inputs: { image: { dims: [1, 1, 28, 28], data: Array.from(sample.pixels) } } }));
  const digitsTensor = new ort.Tensor('float32', sample.pixels, [1, 1, 28, 28]);
  const digitsRaw = Buffer.from(new Float32Array(sample.pixels).buffer);
  const photo = await sharp({ create: { width: 224, height: 224, channels: 3, background: { r: 90, g: 140, b: 200 } } }).png().toBuffer();
  const convnetTensor = new ort.Tensor('float32', new Float32Array(3 * 224 * 224).fill(0.5), [1, 3, 224, 224]);

  // The service reports how long session.run took inside it: between requests its caches go
  // cold, which the back-to-back in-process loop never sees. Bodies are kept as they came and
  // read after the run, so parsing them is not timed as part of the HTTP call.
  /** One POST /predict that must answer 200. */
  const predict = (e: Endpoint, { path, body, contentType }: { path: string; body: Buffer; contentType?: string }) => async () => {
    const res = await http(e.pool, 'POST', path, body, contentType);
    if (res.status !== 200) throw new Error(`predict (${e.label}) answered ${res.status}: ${res.body}`);
    e.answers.push(res.body);
  };
  const insideRun = (e: Endpoint) => median(e.answers.map((a) => (JSON.parse(a) as { inference_ms: number }).inference_ms)).toFixed(3);

  const cases = [
    {
      key: 'digits JSON',
      label: 'digits (784-32-10 MLP, tensor as JSON)',
      total: [8400, 16800],
      inProcess: async () => void (await digitsSession.run({ image: digitsTensor })),
      request: { path: '/predict', body: digitsBody },
      target: false,
    },
    {
      key: 'digits raw',
      label: 'digits (784-32-10 MLP, tensor as raw float32 bytes: no JSON to parse)',
      total: [8400, 16800],
      inProcess: async () => void (await digitsSession.run({ image: digitsTensor })),
      request: { path: '/predict?model_name=digits&dims=1,1,28,28', body: digitsRaw, contentType: 'application/octet-stream' },
      target: true,
    },
    {
      key: 'latency-convnet image',
      label: 'latency-convnet (3x224x224; HTTP sends a PNG, so it includes decoding and resizing)',
      total: [1680, 2688],
      inProcess: async () => void (await convnetSession.run({ input: convnetTensor })),
      request: { path: '/predict?model_name=latency-convnet', body: photo, contentType: 'image/png' },
      target: false,
    },
  ];

  process.stdout.write(`bench:inference on ${process.version}, onnxruntime-node ${ort.env.versions.node}, cpu provider; undici client; median of ${ROUNDS} alternating rounds\n`);
  process.stdout.write(`host process: node dist/inference.js on 127.0.0.1:${service.port}\n`);
  process.stdout.write(`container: ${image} (${container.config})\n`);
  process.stdout.write(`  published at ${container.publishedUrl}: ${await userlandProxyFor(containerPort)}; direct at ${container.directUrl}\n`);
  // The floor any HTTP call pays here: a keep-alive round trip to a route that does nothing.
  const empties = endpoints.map((e) => () => http(e.pool, 'GET', '/').then(() => {}));
  for (const empty of empties) await measure(500, 1, empty);
  const floors = await measureRounds(6300, 1, empties);
  process.stdout.write('HTTP round trip to an empty route (transport floor):\n');
  for (const [i, e] of endpoints.entries()) line(e.label, fmt(medianStats(floors[i]!)));
  line('port publishing', `${ms(versus(floors[2]!, floors[1]!).p50Ms)} per request (p50)`);

  let targetMet = true;
  const results: ContainerResult[] = [];
  for (const c of cases) {
    process.stdout.write(`\n${c.label}\n`);
    const tasks = [c.inProcess, ...endpoints.map((e) => predict(e, c.request))];
    for (const task of tasks) await measure(200, 4, task);
    for (const [i, concurrency] of [1, 16].entries()) {
      for (const e of endpoints) e.answers = [];
      const rounds = await measureRounds(c.total[i]!, concurrency, tasks);
      const [local, remote] = rounds.map(medianStats) as [Stats, Stats];
      const [, onHost, onPublished, onDirect] = rounds as [Stats[], Stats[], Stats[], Stats[]];
      process.stdout.write(`  concurrency ${String(concurrency).padStart(2)}  ${'in-process'.padEnd(LABEL_WIDTH)}${fmt(local)}\n`);
      for (const [k, e] of endpoints.entries()) line(e.label, fmt(medianStats(rounds[k + 1]!)));
      line('session.run inside', `p50 ${endpoints.map((e) => `${insideRun(e)} ms (${e.label})`).join(', ')}`);
      line('host over in-process', fmtVersus(versus(rounds[0]!, onHost)));
      const result = { key: c.key, concurrency, published: versus(onHost, onPublished), direct: versus(onHost, onDirect) };
      results.push(result);
      line('container over host', `published port ${fmtVersus(result.published)}`);
      line('', `direct IP      ${fmtVersus(result.direct)}`);
      line('port publishing', `${ms(versus(onDirect, onPublished).p50Ms)} per request (p50)`);
      if (c.target && concurrency === 1) {
        const limit = 1.15 * local.p50 + 0.3;
        const met = remote.p50 <= limit;
        targetMet &&= met;
        line('target', `host process p50 <= 1.15 x in-process + 0.3 ms = ${limit.toFixed(3)} ms: ${met ? 'met' : 'NOT met'}`);
      }
    }
  }

  // /metrics with every series populated by the runs above.
  const metrics = await measure(500, 1, async () => {
    const res = await http(host.pool, 'GET', '/metrics');
    if (res.status !== 200) throw new Error(`metrics answered ${res.status}`);
  });
  process.stdout.write(`\n/metrics (over HTTP, ${(await http(host.pool, 'GET', '/metrics')).body.length} bytes)  ${fmt(metrics)}  target p50 < 2 ms: ${metrics.p50 < 2 ? 'met' : 'NOT met'}\n`);

  await Promise.all([digitsSession.release(), convnetSession.release()]);
  process.stdout.write(`\nsummary: small-model target ${targetMet ? 'met' : 'NOT met'}\n`);
  printContainerSummary(results);
}

/** The container's p50 (and throughput) over the host process's, and the 5 % target on the image path. */
function printContainerSummary(results: ContainerResult[]): void {
  const of = (key: string) => results.filter((r) => r.key === key);
  const pair = (v: Versus) => `x${v.p50.toFixed(3)} (throughput x${v.throughput.toFixed(2)})`;
  const figures = (rs: ContainerResult[], side: 'published' | 'direct') => rs.map((r) => `${pair(r[side])} at ${r.concurrency}`).join(', ');
  process.stdout.write('container over host process, p50 (throughput):\n');
  for (const key of ['digits raw', 'digits JSON', 'latency-convnet image']) {
    process.stdout.write(`  ${key.padEnd(22)} published port ${figures(of(key), 'published')}; direct IP ${figures(of(key), 'direct')}\n`);
  }
  const convnet = of('latency-convnet image');
  const met = (side: 'published' | 'direct') => convnet.every((r) => r[side].p50 <= CONTAINER_P50_LIMIT);
  const p50s = (side: 'published' | 'direct') => convnet.map((r) => `x${r[side].p50.toFixed(3)} at ${r.concurrency}`).join(', ');
  process.stdout.write(
    `container adds at most 5 % to p50 over the host process on latency-convnet's image path at concurrency 1 and 16: ${met('published') ? 'met' : 'NOT met'}` +
      ` (published port: ${p50s('published')}; direct IP, no proxy: ${p50s('direct')}, ${met('direct') ? 'met' : 'NOT met'})\n`,
  );
}

function interrupted(signal: NodeJS.Signals): void {
  process.stderr.write(`bench:inference: ${signal}, removing the container and stopping the service\n`);
  void cleanUp().finally(() => process.exit(130));
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, interrupted);

main()
  .catch((err: unknown) => {
    process.stderr.write(`bench:inference failed: ${(err as Error).message}\n`);
    process.exitCode = 1;
  })
  .finally(cleanUp);

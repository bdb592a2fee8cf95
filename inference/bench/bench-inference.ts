// npm run bench:inference — latency and throughput of POST /predict against calling the same
// model's session in-process, in the same run, at concurrency 1 and 16; plus /metrics render
// time. The service runs as its own process from the build the console supervises
// (dist/inference.js), on loopback only.
// The client is undici (what Node's fetch is built on) with keep-alive connections. This VM's
// latency drifts by 2x within seconds, so in-process and HTTP runs alternate in rounds and each
// figure is the median over the rounds: a noisy stretch hits both sides, not one.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { Pool } from 'undici';
import { loadDigits } from '../demo-models/mnist-digits';
import { demoModelsDir } from '../models-dir';

interface Stats {
  p50: number;
  p99: number;
  throughput: number;
}

const ROUNDS = 5;

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

/** Each task measured in ROUNDS alternating rounds of total/ROUNDS calls; per figure, the median round. */
async function measureRounds(total: number, concurrency: number, tasks: Array<() => Promise<void>>): Promise<Stats[]> {
  const rounds: Stats[][] = tasks.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, task] of tasks.entries()) rounds[i]!.push(await measure(Math.ceil(total / ROUNDS), concurrency, task));
  }
  return rounds.map((rs) => ({ p50: median(rs.map((s) => s.p50)), p99: median(rs.map((s) => s.p99)), throughput: median(rs.map((s) => s.throughput)) }));
}

let pool: Pool;

async function http(method: 'GET' | 'POST', path: string, body?: Buffer, contentType = 'application/json'): Promise<{ status: number; body: string }> {
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

const fmt = (s: Stats) => `p50 ${s.p50.toFixed(3)} ms  p99 ${s.p99.toFixed(3)} ms  ${s.throughput.toFixed(0)} req/s`;

async function main() {
  const service = await startService();
  pool = new Pool(`http://127.0.0.1:${service.port}`, { connections: 16, pipelining: 1 });
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
  let answers: string[] = [];
  /** One POST /predict that must answer 200. */
  const predict = (path: string, body: Buffer, contentType?: string) => async () => {
    const res = await http('POST', path, body, contentType);
    if (res.status !== 200) throw new Error(`predict answered ${res.status}: ${res.body}`);
    answers.push(res.body);
  };

  const cases = [
    {
      label: 'digits (784-32-10 MLP, tensor as JSON)',
      total: [3000, 6000],
      inProcess: async () => void (await digitsSession.run({ image: digitsTensor })),
      overHttp: predict('/predict', digitsBody),
      target: false,
    },
    {
      label: 'digits (784-32-10 MLP, tensor as raw float32 bytes: no JSON to parse)',
      total: [3000, 6000],
      inProcess: async () => void (await digitsSession.run({ image: digitsTensor })),
      overHttp: predict('/predict?model_name=digits&dims=1,1,28,28', digitsRaw, 'application/octet-stream'),
      target: true,
    },
    {
      label: 'latency-convnet (3x224x224; HTTP sends a PNG, so it includes decoding and resizing)',
      total: [300, 600],
      inProcess: async () => void (await convnetSession.run({ input: convnetTensor })),
      overHttp: predict('/predict?model_name=latency-convnet', photo, 'image/png'),
      target: false,
    },
  ];

  process.stdout.write(`bench:inference on ${process.version}, onnxruntime-node ${ort.env.versions.node}, cpu provider; undici client; median of ${ROUNDS} alternating rounds\n`);
  // The floor any HTTP call pays here: a keep-alive round trip on loopback to a route that does nothing.
  const empty = () => http('GET', '/').then(() => {});
  await measure(500, 1, empty);
  const [floor] = await measureRounds(3000, 1, [empty]);
  process.stdout.write(`HTTP round trip to an empty route (transport floor): ${fmt(floor!)}\n`);
  let targetMet = true;
  for (const c of cases) {
    process.stdout.write(`\n${c.label}\n`);
    await measure(200, 4, c.inProcess);
    await measure(200, 4, c.overHttp);
    for (const [i, concurrency] of [1, 16].entries()) {
      answers = [];
      const [local, remote] = (await measureRounds(c.total[i]!, concurrency, [c.inProcess, c.overHttp])) as [Stats, Stats];
      const ratio = remote.p50 / local.p50;
      process.stdout.write(`  concurrency ${String(concurrency).padStart(2)}  in-process ${fmt(local)}\n`);
      process.stdout.write(`                  over HTTP  ${fmt(remote)}\n`);
      process.stdout.write(`                  session.run inside the service p50 ${median(answers.map((a) => (JSON.parse(a) as { inference_ms: number }).inference_ms)).toFixed(3)} ms\n`);
      process.stdout.write(`                  overhead   p50 x${ratio.toFixed(2)} (+${(remote.p50 - local.p50).toFixed(3)} ms), throughput x${(remote.throughput / local.throughput).toFixed(2)}\n`);
      if (c.target && concurrency === 1) {
        const limit = 1.15 * local.p50 + 0.3;
        const met = remote.p50 <= limit;
        targetMet &&= met;
        process.stdout.write(`                  target     p50 <= 1.15 x in-process + 0.3 ms = ${limit.toFixed(3)} ms: ${met ? 'met' : 'NOT met'}\n`);
      }
    }
  }

  // /metrics with every series populated by the runs above.
  const metrics = await measure(500, 1, async () => {
    const res = await http('GET', '/metrics');
    if (res.status !== 200) throw new Error(`metrics answered ${res.status}`);
  });
  process.stdout.write(`\n/metrics (over HTTP, ${(await http('GET', '/metrics')).body.length} bytes)  ${fmt(metrics)}  target p50 < 2 ms: ${metrics.p50 < 2 ? 'met' : 'NOT met'}\n`);

  await pool.close();
  service.stop();
  await Promise.all([digitsSession.release(), convnetSession.release()]);
  process.stdout.write(`\nsummary: small-model target ${targetMet ? 'met' : 'NOT met'}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:inference failed: ${(err as Error).message}\n`);
  process.exit(1);
});

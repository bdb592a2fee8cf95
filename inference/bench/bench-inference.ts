// npm run bench:inference — latency and throughput of POST /predict against calling the same
// model's session in-process, in the same run, at concurrency 1 and 16; plus /metrics render
// time. The service runs as its own process (as the console supervises it), on loopback only.
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { loadDigits } from '../demo-models/mnist-digits';
import { demoModelsDir } from '../models-dir';

interface Stats {
  p50: number;
  p99: number;
  throughput: number;
}

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

const agent = new Agent({ keepAlive: true, maxSockets: 32 });

function http(port: number, method: string, path: string, body?: Buffer, contentType = 'application/json'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, agent, headers: body ? { 'content-type': contentType, 'content-length': body.length } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function startService(): Promise<{ port: number; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'inference/main.ts', '--port', '0', '--listen', '127.0.0.1', '--providers', 'cpu', '--max-concurrent', '256', '--load', 'digits.onnx,latency-convnet.onnx'], {
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
  const sample = loadDigits().test[0]!;
  const digitsSession = await ort.InferenceSession.create(join(demoModelsDir(), 'digits.onnx'), { executionProviders: ['cpu'] });
  const convnetSession = await ort.InferenceSession.create(join(demoModelsDir(), 'latency-convnet.onnx'), { executionProviders: ['cpu'] });

  const digitsBody = Buffer.from(JSON.stringify({ model_name: 'digits', inputs: { image: { dims: [1, 1, 28, 28], data: Array.from(sample.pixels) } } }));
  const digitsTensor = new ort.Tensor('float32', sample.pixels, [1, 1, 28, 28]);
  const digitsRaw = Buffer.from(new Float32Array(sample.pixels).buffer);
  const photo = await sharp({ create: { width: 224, height: 224, channels: 3, background: { r: 90, g: 140, b: 200 } } }).png().toBuffer();
  const convnetTensor = new ort.Tensor('float32', new Float32Array(3 * 224 * 224).fill(0.5), [1, 3, 224, 224]);

  /** One POST /predict that must answer 200. */
  const predict = (path: string, body: Buffer, contentType?: string) => async () => {
    const res = await http(service.port, 'POST', path, body, contentType);
    if (res.status !== 200) throw new Error(`predict answered ${res.status}: ${res.body}`);
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

  process.stdout.write(`bench:inference on ${process.version}, onnxruntime-node ${ort.env.versions.node}, cpu provider\n`);
  // The floor any HTTP call pays here: a keep-alive round trip on loopback to a route that does nothing.
  await measure(500, 1, () => http(service.port, 'GET', '/').then(() => {}));
  const floor = await measure(3000, 1, () => http(service.port, 'GET', '/').then(() => {}));
  process.stdout.write(`HTTP round trip to an empty route (transport floor): ${fmt(floor)}\n`);
  let targetMet = true;
  for (const c of cases) {
    process.stdout.write(`\n${c.label}\n`);
    await measure(200, 4, c.inProcess);
    await measure(200, 4, c.overHttp);
    for (const [i, concurrency] of [1, 16].entries()) {
      const total = c.total[i]!;
      const local = await measure(total, concurrency, c.inProcess);
      const remote = await measure(total, concurrency, c.overHttp);
      const ratio = remote.p50 / local.p50;
      process.stdout.write(`  concurrency ${String(concurrency).padStart(2)}  in-process ${fmt(local)}\n`);
      process.stdout.write(`                  over HTTP  ${fmt(remote)}\n`);
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
    const res = await http(service.port, 'GET', '/metrics');
    if (res.status !== 200) throw new Error(`metrics answered ${res.status}`);
  });
  process.stdout.write(`\n/metrics (over HTTP, ${(await http(service.port, 'GET', '/metrics')).body.length} bytes)  ${fmt(metrics)}  target p50 < 2 ms: ${metrics.p50 < 2 ? 'met' : 'NOT met'}\n`);

  service.stop();
  agent.destroy();
  await Promise.all([digitsSession.release(), convnetSession.release()]);
  process.stdout.write(`\nsummary: small-model target ${targetMet ? 'met' : 'NOT met'}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:inference failed: ${(err as Error).message}\n`);
  process.exit(1);
});

// npm run bench:inference — latency and throughput of POST /predict against calling the same
// model's session in-process, in the same run, at concurrency 1 and 16; plus /metrics render
// time; and the Open Inference Protocol's binary /infer against the seed's JSON and raw-body
// /predict on the same tensors (host process). The service runs twice: as its own process from
// the build the console supervises (dist/inference.js, loopback only), and as the console's
// container of the image built from inference/Dockerfile, reached through its published port on
// 127.0.0.1 (Docker's userland proxy in the path) and directly at its address on its network (no proxy).
// The client is undici (what Node's fetch is built on) with keep-alive connections; all sides
// of a comparison take turns in rounds (rounds.ts says why and how). Last, image-batching.ts's sweep
// on realistic work: the image path like for like, and batching, at concurrency 1, 4, 16 and 64.
import Docker from 'dockerode';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { Pool } from 'undici';
import { freePort } from '../../stack/testing/test-settings';
import { loadDigits } from '../demo-models/mnist-digits';
import { demoModelsDir } from '../models-dir';
import { fmt, fmtVersus, LABEL_WIDTH, line, measure, measureRounds, median, medianStats, ms, ROUNDS, versus, type Stats, type Versus } from './rounds';
import { openLikeTheService, startHostService } from './host-service';
import { benchImageBatching, printImageBatchingSummary } from './image-batching';
import { ensureImage, removeBenchResources, startServiceContainer, userlandProxyFor } from './service-container';
import { TENSOR_PATHS, tensorRequests, type BenchRequest, type TensorModel, type TensorPath } from './tensor-requests';

/** The target: the container adds at most this much to the host process's p50 on the image path. */
const CONTAINER_P50_LIMIT = 1.05;
/** The target: v2's binary /infer no slower than the seed's raw-body /predict, within this VM's noise. */
const V2_RAW_P50_LIMIT = 1.05;

/** One service address and the answers it gave in the current run. */
interface Endpoint {
  label: string;
  pool: Pool;
  answers: string[];
}

const endpoint = (label: string, url: string): Endpoint => ({ label, pool: new Pool(url, { connections: 16, pipelining: 1 }), answers: [] });

async function http(pool: Pool, method: 'GET' | 'POST', path: string, body?: Buffer, headers: Record<string, string> = {}) {
  const res = await pool.request({ method, path, body, headers });
  return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
}

/** One POST that must answer 200; its body is kept as it came, so reading it is not timed. */
const predict = (e: Endpoint, { path, body, headers }: BenchRequest) => async () => {
  const res = await http(e.pool, 'POST', path, body, headers);
  if (res.status !== 200) throw new Error(`${path.split('?')[0]} (${e.label}) answered ${res.status}: ${res.body}`);
  e.answers.push(res.body);
};

/** What must go even when the run fails or is interrupted (the host process, the container and its network), last first. */
const cleanups: Array<() => unknown> = [];

async function cleanUp(): Promise<void> {
  for (const c of cleanups.splice(0).reverse()) await Promise.resolve(c()).catch(() => undefined);
}

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
  const service = await startHostService({ load: ['digits.onnx', 'latency-convnet.onnx'] });
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
  const digitsSession = await openLikeTheService(join(demoModelsDir(), 'digits.onnx'));
  const convnetSession = await openLikeTheService(join(demoModelsDir(), 'latency-convnet.onnx'));

  const digits: TensorModel = { model: 'digits', input: 'image', output: 'probabilities', dims: [1, 1, 28, 28], values: sample.pixels };
  const digitsRequests = tensorRequests(digits);
  const digitsTensor = new ort.Tensor('float32', sample.pixels, [1, 1, 28, 28]);
  const photo = await sharp({ create: { width: 224, height: 224, channels: 3, background: { r: 90, g: 140, b: 200 } } }).png().toBuffer();
  const convnetTensor = new ort.Tensor('float32', new Float32Array(3 * 224 * 224).fill(0.5), [1, 3, 224, 224]);

  // The service reports how long session.run took inside it: between requests its caches go
  // cold, which the back-to-back in-process loop never sees.
  const insideRun = (e: Endpoint) => median(e.answers.map((a) => (JSON.parse(a) as { inference_ms: number }).inference_ms)).toFixed(3);

  const cases = [
    {
      key: 'digits JSON',
      label: 'digits (784-32-10 MLP, tensor as JSON)',
      total: [8400, 16800],
      inProcess: async () => void (await digitsSession.run({ image: digitsTensor })),
      request: digitsRequests['seed JSON'],
      target: false,
    },
    {
      key: 'digits raw',
      label: 'digits (784-32-10 MLP, tensor as raw float32 bytes: no JSON to parse)',
      total: [8400, 16800],
      inProcess: async () => void (await digitsSession.run({ image: digitsTensor })),
      request: digitsRequests['seed raw body'],
      target: true,
    },
    {
      key: 'latency-convnet image',
      label: 'latency-convnet (3x224x224; HTTP sends a PNG, so it includes decoding and resizing)',
      total: [1680, 2688],
      inProcess: async () => void (await convnetSession.run({ input: convnetTensor })),
      request: { path: '/predict?model_name=latency-convnet', body: photo, headers: { 'content-type': 'image/png' } },
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

  // Pixel-like values (k/255): JSON carries each with all its digits, as a client's normalized image would.
  const convnet: TensorModel = { model: 'latency-convnet', input: 'input', output: 'output', dims: [1, 3, 224, 224], values: Float32Array.from({ length: 3 * 224 * 224 }, (_, i) => ((i * 37) % 256) / 255) };
  const protocol = await benchTensorPaths(host, [
    { key: 'digits', label: 'digits (FP32 [1, 1, 28, 28], 3,136 bytes)', total: [8400, 16800], requests: digitsRequests },
    { key: 'latency-convnet', label: 'latency-convnet (FP32 [1, 3, 224, 224], 602,112 bytes)', total: [1680, 2688], requests: tensorRequests(convnet) },
  ]);

  await Promise.all([digitsSession.release(), convnetSession.release()]);
  const sweep = await benchImageBatching();
  process.stdout.write(`\nsummary: small-model target ${targetMet ? 'met' : 'NOT met'}\n`);
  printContainerSummary(results);
  printProtocolSummary(protocol);
  printImageBatchingSummary(sweep);
}

/** v2's binary path over the seed's raw-body and JSON paths, per model and concurrency. */
interface ProtocolResult {
  key: string;
  concurrency: number;
  overRaw: Versus;
  overJson: Versus;
  /** The raw body against itself, measured as one more side in the same rounds: this run's noise. */
  control: Versus;
}

/** Over the limit, and by more than the same path measured twice differs from itself. */
const slower = (r: ProtocolResult) => r.overRaw.p50 > Math.max(V2_RAW_P50_LIMIT, r.control.p50, 1 / r.control.p50);

/**
 * The Open Inference Protocol's /infer (one binary FP32 input, binary output) against the seed's
 * /predict with the same tensor as JSON and as raw bytes, on the host process: the three paths
 * take turns in every round.
 */
async function benchTensorPaths(host: Endpoint, cases: Array<{ key: string; label: string; total: [number, number]; requests: Record<TensorPath, BenchRequest> }>): Promise<ProtocolResult[]> {
  process.stdout.write(`\nOpen Inference Protocol /v2/models/<model>/infer, binary in and out, against the seed's /predict (${host.label})\n`);
  const results: ProtocolResult[] = [];
  for (const c of cases) {
    process.stdout.write(`\n${c.label}\n`);
    const v2 = c.requests['v2 binary'];
    const check = await http(host.pool, 'POST', v2.path, v2.body, v2.headers);
    if (check.headers['content-type'] !== 'application/octet-stream') throw new Error(`${v2.path} did not answer binary data: ${check.status} ${check.body.slice(0, 300)}`);
    const tasks = [...TENSOR_PATHS.map((p) => predict(host, c.requests[p])), predict(host, c.requests['seed raw body'])];
    for (const task of tasks) await measure(200, 4, task);
    for (const [i, concurrency] of [1, 16].entries()) {
      host.answers = [];
      const [json, raw, binary, rawAgain] = (await measureRounds(c.total[i]!, concurrency, tasks)) as [Stats[], Stats[], Stats[], Stats[]];
      process.stdout.write(`  concurrency ${String(concurrency).padStart(2)}  ${'seed JSON'.padEnd(LABEL_WIDTH)}${fmt(medianStats(json))}\n`);
      line('seed raw body', fmt(medianStats(raw)));
      line('v2 binary', fmt(medianStats(binary)));
      const result = { key: c.key, concurrency, overRaw: versus(raw, binary), overJson: versus(json, binary), control: versus(raw, rawAgain) };
      results.push(result);
      line('v2 binary / raw body', fmtVersus(result.overRaw));
      line('v2 binary / seed JSON', fmtVersus(result.overJson));
      line('raw body / raw body', `${fmtVersus(result.control)} (the same path twice: the noise)`);
    }
  }
  return results;
}

function printProtocolSummary(results: ProtocolResult[]): void {
  const figures = (side: 'overRaw' | 'overJson' | 'control') => results.map((r) => `${r.key} x${r[side].p50.toFixed(3)} at ${r.concurrency}`).join(', ');
  const met = !results.some(slower);
  process.stdout.write(`v2 binary over seed raw body, p50: ${figures('overRaw')}\n`);
  process.stdout.write(`v2 binary over seed JSON, p50: ${figures('overJson')}\n`);
  process.stdout.write(`raw body over itself (control), p50: ${figures('control')}\n`);
  process.stdout.write(
    `v2 binary no slower than the raw body (p50 ratio <= ${V2_RAW_P50_LIMIT}, or within the control's spread) at concurrency 1 and 16: ${met ? 'met' : 'NOT met'}\n`,
  );
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

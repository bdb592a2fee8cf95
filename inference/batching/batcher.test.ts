import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmdGpuTelemetry } from '../gpu-telemetry';
import { InferenceMetrics } from '../metrics';
import { ModelRegistry } from '../model-registry';
import { ModelRunner } from '../model-runner';
import { ELEMENT_TYPE_NAMES, type ElementType, type NumericArray } from '../tensors/element-types';
import { bytesOf } from '../tensors/tensor-data';
import { dynamicDimsModel, reluModel, writeModel } from '../testing/small-models';
import { CASES } from '../testing/type-cases';
import { identityModel, identityModelName } from '../testing/type-models';

const DELAY_MS = 150;
const FLOAT16_BITS = Uint16Array.of(0x3c00, 0x8000, 0x7e01, 0x7c00, 0x0001);
const valuesOf = (type: ElementType) => (type === 'float16' ? FLOAT16_BITS : CASES[type].ort);
const content = (t: ort.Tensor) => (t.type === 'string' ? JSON.stringify(t.data) : Buffer.from(bytesOf(t.data as NumericArray)).toString('hex'));
const floats = (dims: number[], from: number) => new ort.Tensor('float32', Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, (_, i) => from + i - 4), dims);

describe('the batcher, under ModelRunner', () => {
  let dir: string;
  let registry: ModelRegistry;
  let metrics: InferenceMetrics;
  let runner: ModelRunner;

  /** Runs and rows of `model`'s batch-size histogram: runs < requests means some were joined. */
  async function batches(model: string) {
    const { values } = await metrics.batchSize.get();
    const pick = (suffix: string) => values.find((v) => v.metricName === `inference_batch_size_${suffix}` && v.labels.model === model)?.value ?? 0;
    return { runs: pick('count'), rows: pick('sum') };
  }

  const timed = async <T>(work: Promise<T>, started: number) => {
    await work;
    return performance.now() - started;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rx580-batcher-'));
    for (const type of ELEMENT_TYPE_NAMES) await writeModel(dir, `${identityModelName(type)}.onnx`, identityModel(type));
    await writeModel(dir, 'dynamic-dims.onnx', dynamicDimsModel());
    await writeModel(dir, 'relu.onnx', reluModel(), { max_batch_size: 4, max_queue_delay_ms: DELAY_MS });
    metrics = new InferenceMetrics(new AmdGpuTelemetry(join(dir, 'no-sysfs')));
    registry = new ModelRegistry(dir, ['cpu'], {}, { batching: { maxBatchSize: 64, maxQueueDelayMs: 50 } });
    for (const file of [...ELEMENT_TYPE_NAMES.map((t) => `${identityModelName(t)}.onnx`), 'dynamic-dims.onnx', 'relu.onnx']) await registry.load({ path: file });
    runner = new ModelRunner(metrics, 64);
  });
  afterAll(async () => {
    await registry?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each(ELEMENT_TYPE_NAMES)('joins concurrent %s requests into one run and gives each its own rows, bit for bit', async (type) => {
    const model = registry.get(identityModelName(type));
    const values = valuesOf(type);
    const cuts = [0, 1, values.length - 1, values.length];
    const requests = cuts.slice(1).map((end, i) => new ort.Tensor(type, values.slice(cuts[i]!, end) as Float32Array, [end - cuts[i]!]));
    const runs = await Promise.all(requests.map((x) => runner.run(model, { x }, ['y'])));
    runs.forEach((run, i) => {
      expect(run.results.y!.dims).toEqual(requests[i]!.dims);
      expect(content(run.results.y!)).toBe(content(requests[i]!));
    });
    expect(await batches(model.name)).toEqual({ runs: 1, rows: values.length });
  });

  it('puts requests whose dims differ after the first in batches of their own', async () => {
    const model = registry.get('dynamic-dims');
    const dims = [
      [1, 2, 3],
      [2, 4, 3],
      [2, 2, 3],
      [1, 4, 3],
    ];
    const requests = dims.map((d, i) => floats(d, i * 10));
    const runs = await Promise.all(requests.map((x) => runner.run(model, { x }, ['y'])));
    runs.forEach((run, i) => {
      expect(run.results.y!.dims).toEqual(dims[i]);
      expect(Array.from(run.results.y!.data as Float32Array)).toEqual(Array.from(requests[i]!.data as Float32Array, (v) => Math.max(0, v)));
    });
    expect(await batches('dynamic-dims')).toEqual({ runs: 2, rows: 6 });
  });

  it('answers a lone request after max_queue_delay_ms, and no later', async () => {
    const waited = await timed(runner.run(registry.get('relu'), { x: floats([1, 3], 0) }, ['y']), performance.now());
    expect(waited).toBeGreaterThanOrEqual(DELAY_MS - 2);
    expect(waited).toBeLessThan(DELAY_MS + 100);
  });

  it('sends a full batch at once, and a request that would overfill a batch starts the next one', async () => {
    const relu = registry.get('relu');
    const before = await batches('relu');
    let started = performance.now();
    const full = [floats([2, 3], 0), floats([2, 3], 6)].map((x) => timed(runner.run(relu, { x }, ['y']), started));
    for (const waited of await Promise.all(full)) expect(waited).toBeLessThan(DELAY_MS / 2);
    expect(await timed(runner.run(relu, { x: floats([4, 3], 0) }, ['y']), performance.now())).toBeLessThan(DELAY_MS / 2);
    started = performance.now();
    const [first, second] = await Promise.all([floats([3, 3], 0), floats([2, 3], 9)].map((x) => timed(runner.run(relu, { x }, ['y']), started)));
    expect(first).toBeLessThan(DELAY_MS / 2);
    expect(second).toBeGreaterThanOrEqual(DELAY_MS - 2);
    const after = await batches('relu');
    expect({ runs: after.runs - before.runs, rows: after.rows - before.rows }).toEqual({ runs: 4, rows: 13 });
  });

  it('records how long each request waited in the queue', async () => {
    const { values } = await metrics.queueDuration.get();
    const count = values.find((v) => v.metricName === 'inference_queue_duration_seconds_count' && v.labels.model === 'relu')?.value;
    const sum = values.find((v) => v.metricName === 'inference_queue_duration_seconds_sum' && v.labels.model === 'relu')?.value ?? 0;
    // Six requests so far; the lone one and the one that overflowed a batch waited a delay each.
    expect(count).toBe(6);
    expect(sum).toBeGreaterThanOrEqual((2 * (DELAY_MS - 2)) / 1000);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmdGpuTelemetry } from '../gpu-telemetry';
import { InferenceMetrics } from '../metrics';
import { ModelRegistry, type LoadedModel } from '../model-registry';
import { ModelRunner } from '../model-runner';
import { reluModel, writeModel } from '../testing/small-models';

const floats = (rows: number, from: number) => new ort.Tensor('float32', Float32Array.from({ length: rows * 3 }, (_, i) => from + i - 4), [rows, 3]);
const relu = (t: ort.Tensor) => Array.from(t.data as Float32Array, (v) => Math.max(0, v));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The model's real session, watched: how many runs are in it at once, the rows of each, and a
 * gate that holds every run until opened (a run the test keeps busy).
 */
function watch(model: LoadedModel) {
  const real = model.session;
  const seen = { running: 0, most: 0, rows: [] as number[] };
  let open: () => void = () => {};
  let gate: Promise<void> | null = null;
  const watched = Object.create(real) as ort.InferenceSession;
  watched.run = (async (feeds: ort.InferenceSession.FeedsType, ...rest: unknown[]) => {
    seen.running++;
    seen.most = Math.max(seen.most, seen.running);
    seen.rows.push(Object.values(feeds)[0]!.dims[0]!);
    try {
      if (gate) await gate;
      return await (real.run as (...a: unknown[]) => Promise<ort.InferenceSession.ReturnType>)(feeds, ...rest);
    } finally {
      seen.running--;
    }
  }) as ort.InferenceSession['run'];
  model.session = watched;
  return {
    seen,
    hold: () => void (gate = new Promise<void>((resolve) => (open = resolve))),
    release: () => {
      gate = null;
      open();
    },
  };
}

describe('runs of a model at once (max_concurrent_runs)', () => {
  let dir: string;
  let registry: ModelRegistry;
  let runner: ModelRunner;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rx580-slots-'));
    await writeModel(dir, 'relu.onnx', reluModel());
    await writeModel(dir, 'relu-one.onnx', reluModel(), { max_concurrent_runs: 1 });
    await writeModel(dir, 'relu-batched.onnx', reluModel(), { max_batch_size: 8, max_queue_delay_ms: 5, max_concurrent_runs: 1 });
    registry = new ModelRegistry(dir, ['cpu'], {}, {});
    for (const file of ['relu.onnx', 'relu-one.onnx', 'relu-batched.onnx']) await registry.load({ path: file });
    runner = new ModelRunner(new InferenceMetrics(new AmdGpuTelemetry(join(dir, 'no-sysfs'))), 64);
  });
  afterAll(async () => {
    await registry?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['relu', 2],
    ['relu-one', 1],
  ])('runs at most its limit of %s at once, unbatched, the rest waiting their turn with the right answers', async (name, limit) => {
    const model = registry.get(name);
    const w = watch(model);
    w.hold();
    const requests = [0, 1, 2, 3, 4].map((i) => floats(1, i * 3));
    const runs = requests.map((x) => runner.run(model, { x }, ['y']));
    await sleep(30);
    expect(w.seen.running).toBe(limit);
    w.release();
    const results = await Promise.all(runs);
    results.forEach((r, i) => expect(Array.from(r.results.y!.data as Float32Array)).toEqual(relu(requests[i]!)));
    expect(w.seen.most).toBe(limit);
    expect(model.slots.load).toEqual({ running: 0, waiting: 0 });
  });

  /** relu-batched watched, with a 1-row run past its 5 ms delay: running, held, and taking the model's one slot. */
  async function busyBatchedModel() {
    const model = registry.get('relu-batched');
    const w = watch(model);
    w.hold();
    const first = runner.run(model, { x: floats(1, 0) }, ['y']);
    await sleep(30);
    expect(w.seen.rows).toEqual([1]);
    return { model, w, first };
  }

  it('keeps filling a due batch while the model is busy, and runs it as one when a slot frees', async () => {
    const { model, w, first } = await busyBatchedModel();
    const later = [floats(2, 10), floats(1, 20), floats(3, 30)];
    const runs: Array<Promise<unknown>> = [];
    for (const x of later) {
      runs.push(runner.run(model, { x }, ['y']));
      // Each arrives after the queue's delay has passed: due, yet it still takes rows.
      await sleep(20);
    }
    expect(w.seen.rows).toEqual([1]);
    w.release();
    const results = (await Promise.all([first, ...runs])) as Array<{ results: Record<string, ort.Tensor> }>;
    expect(w.seen.rows).toEqual([1, 6]);
    expect(w.seen.most).toBe(1);
    results.slice(1).forEach((r, i) => expect(Array.from(r.results.y!.data as Float32Array)).toEqual(relu(later[i]!)));
  });

  it('starts the next batch once a waiting one is full, each in its turn', async () => {
    const { model, w, first } = await busyBatchedModel();
    const rest = [5, 3, 2].map((rows, i) => runner.run(model, { x: floats(rows, i * 7) }, ['y']));
    await sleep(30);
    w.release();
    await Promise.all([first, ...rest]);
    // 5 + 3 fill one batch of 8; the 2 rows that would overfill it run next.
    expect(w.seen.rows).toEqual([1, 8, 2]);
    expect(w.seen.most).toBe(1);
  });
});

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { describe, expect, it, vi } from 'vitest';
import { sessionOptions } from '../execution-providers';
import { ELEMENT_TYPE_NAMES } from '../tensors/element-types';
import { reluModel } from '../testing/small-models';
import { CASES } from '../testing/type-cases';
import { identityModel } from '../testing/type-models';
import { AdaptiveSession, SessionThreads, type ModelSession } from './session-threads';

const DETECTOR = fileURLToPath(new URL('../../node_modules/.cache/rx580-test-models/ch_PP-OCRv4_det_infer.onnx', import.meta.url));
const options = sessionOptions('cpu', { graphOptimizationLevel: 'all' });
const bytesOf = (t: ort.Tensor) => (t.type === 'string' ? JSON.stringify(t.data) : Buffer.from((t.data as Uint8Array).buffer, (t.data as Uint8Array).byteOffset, (t.data as Uint8Array).byteLength).toString('hex'));

/** Turns of the event loop (setImmediate callbacks) while `work` is in flight: none when it blocks the loop. */
async function loopTurnsDuring(work: Promise<unknown>): Promise<number> {
  let turns = 0;
  let done = false;
  const spin = () => {
    if (done) return;
    turns++;
    setImmediate(spin);
  };
  setImmediate(spin);
  await work;
  done = true;
  return turns;
}

describe('a model run on threads of its own', () => {
  it.runIf(existsSync(DETECTOR))('leaves the event loop free while the model runs, where onnxruntime on the main thread stops it', async () => {
    const model = await readFile(DETECTOR);
    const x = new ort.Tensor('float32', new Float32Array(3 * 320 * 320).fill(0.5), [1, 3, 320, 320]);
    const main = await ort.InferenceSession.create(model, options);
    const threads = await SessionThreads.open(model, options, 1);
    try {
      await main.run({ x });
      await threads.run({ x }, ['sigmoid_0.tmp_0']);
      const onMain = await loopTurnsDuring(main.run({ x }));
      const onThread = await loopTurnsDuring(threads.run({ x }, ['sigmoid_0.tmp_0']));
      // The main-thread run takes the loop for its whole length: a turn or two around it.
      expect(onMain).toBeLessThanOrEqual(3);
      expect(onThread).toBeGreaterThan(20);
      // And the answers are the same, bit for bit.
      const [a, b] = [await main.run({ x }), await threads.run({ x }, ['sigmoid_0.tmp_0'])];
      expect(bytesOf(b['sigmoid_0.tmp_0']!)).toBe(bytesOf(a['sigmoid_0.tmp_0']!));
    } finally {
      await main.release();
      await threads.release();
    }
  });

  it.each(ELEMENT_TYPE_NAMES)('gives %s tensors back as they went in, type, dims and bits', async (type) => {
    const threads = await SessionThreads.open(identityModel(type), options, 1);
    try {
      const values = (type === 'float16' ? Uint16Array.of(0x3c00, 0x8000, 0x7e01) : CASES[type].ort) as Float32Array;
      const x = new ort.Tensor(type, values, [values.length]);
      const { y } = await threads.run({ x }, ['y']);
      expect({ type: y!.type, dims: y!.dims }).toEqual({ type, dims: [values.length] });
      expect(bytesOf(y!)).toBe(bytesOf(x));
    } finally {
      await threads.release();
    }
  });

  it("sends only a view's own bytes, and a failed run rejects with onnxruntime's message, the threads serving on", async () => {
    const threads = await SessionThreads.open(reluModel(), options, 2);
    try {
      // Two floats in the middle of a larger buffer, as a tensor cut from a request body is.
      const slab = new Float32Array([9, 9, -1, 2, 9, 9]);
      const x = new ort.Tensor('float32', slab.subarray(2, 4), [1, 2]);
      await expect(threads.run({ x }, ['y'])).rejects.toThrow(/dim|shape|Got invalid dimensions/i);
      const ok = new ort.Tensor('float32', new Float32Array([-1, 2, -3, 4, -5, 6]).subarray(0, 3), [1, 3]);
      expect(Array.from((await threads.run({ x: ok }, ['y'])).y!.data as Float32Array)).toEqual([0, 2, 0]);
    } finally {
      await threads.release();
    }
  });

  it('refuses a model its threads cannot open, leaving no thread behind; and release ends them all', async () => {
    const workers = () => process.getActiveResourcesInfo().filter((r) => /Worker|MessagePort/.test(r)).length;
    const before = workers();
    await expect(SessionThreads.open(Uint8Array.of(1, 2, 3), options, 2)).rejects.toThrow(/protobuf|parse|model/i);
    expect(workers()).toBe(before);
    const threads = await SessionThreads.open(reluModel(), options, 3);
    expect(workers()).toBeGreaterThanOrEqual(before + 3);
    await threads.release();
    expect(workers()).toBe(before);
    await expect(threads.run({ x: new ort.Tensor('float32', new Float32Array(3), [1, 3]) }, ['y'])).rejects.toThrow(/run thread ended/);
  });
});

describe('a cpu model on the main thread until its runs are heavy', () => {
  /** The model's main-thread session, with its releases counted. */
  async function mainSession(model: Uint8Array) {
    const session = await ort.InferenceSession.create(model, options);
    const released = vi.fn(() => session.release());
    const main: ModelSession = { run: (feeds, fetches) => session.run(feeds, fetches), release: released };
    return { main, released };
  }

  it('keeps a light model on the main thread however busy the loop around its runs: no thread is opened', async () => {
    const { main, released } = await mainSession(reluModel());
    const open = vi.fn(() => SessionThreads.open(reluModel(), options, 2));
    const session = new AdaptiveSession(main, open);
    const x = new ort.Tensor('float32', new Float32Array([-1, 2, -3]), [1, 3]);
    // 2 ms of other work ahead of every run: each run's promise takes that long, its run does not.
    const busy = () =>
      setImmediate(() => {
        const until = performance.now() + 2;
        while (performance.now() < until);
      });
    for (let i = 0; i < 40; i++) {
      busy();
      expect(Array.from((await session.run({ x }, ['y'])).y!.data as Float32Array)).toEqual([0, 2, 0]);
    }
    expect(session.onThreads).toBe(false);
    expect(open).not.toHaveBeenCalled();
    await session.release();
    expect(released).toHaveBeenCalledTimes(1);
  });

  it.runIf(existsSync(DETECTOR))('moves a heavy model to its threads for good, releasing the main-thread session, the answers unchanged', async () => {
    const model = await readFile(DETECTOR);
    const { main, released } = await mainSession(model);
    const open = vi.fn(() => SessionThreads.open(model, options, 1));
    const session = new AdaptiveSession(main, open);
    const x = new ort.Tensor('float32', new Float32Array(3 * 320 * 320).fill(0.5), [1, 3, 320, 320]);
    const first = await session.run({ x }, ['sigmoid_0.tmp_0']);
    for (let i = 0; i < 7; i++) await session.run({ x }, ['sigmoid_0.tmp_0']);
    await vi.waitFor(() => expect(session.onThreads).toBe(true), { timeout: 10_000 });
    expect(open).toHaveBeenCalledTimes(1);
    expect(released).toHaveBeenCalledTimes(1);
    let answer: ort.InferenceSession.OnnxValueMapType = {};
    expect(await loopTurnsDuring(session.run({ x }, ['sigmoid_0.tmp_0']).then((r) => (answer = r)))).toBeGreaterThan(20);
    expect(bytesOf(answer['sigmoid_0.tmp_0']!)).toBe(bytesOf(first['sigmoid_0.tmp_0']!));
    await session.release();
    expect(released).toHaveBeenCalledTimes(1);
  });
});

import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InferenceClient } from './inference-client';
import { InferenceError, stripAnsi } from './inference-errors';
import { tensorInfo } from './model-metadata';
import { runFailure } from './run-errors';
import { addPairModel, gatherModel, reluModel, writeModel } from './testing/small-models';
import { call, startTestService, type TestService } from './testing/test-service';

const floats = (dims: number[]) => new ort.Tensor('float32', new Float32Array(dims.reduce((a, b) => a * b, 1)), dims);

/** onnxruntime's failure for `feeds` on `model`, as the service answers it. */
async function failure(model: Uint8Array, feeds: Record<string, ort.Tensor>) {
  const session = await ort.InferenceSession.create(model, { logSeverityLevel: 4 });
  try {
    await session.run(feeds);
  } catch (err) {
    return runFailure(err, tensorInfo(session.inputMetadata), feeds);
  } finally {
    await session.release();
  }
  throw new Error('the run did not fail');
}

describe("onnxruntime's run failures as sentences", () => {
  // The service checks dims and types itself before a run; these are what reaches onnxruntime when it does not.
  it('names the input, the dims sent and the dims expected for a wrong size or rank', async () => {
    const size = await failure(reluModel(), { x: floats([2, 4]) });
    expect(size).toMatchObject({ code: 'INPUT_SHAPE_MISMATCH', status: 400 });
    expect(size.message).toBe('Input "x" was sent with dims [2, 4], where the model expects [n, 3]: dim 1 is 4, not 3.');
    expect(size.runtimeDetail).toMatch(/^Got invalid dimensions for input: x for the following indices index: 1 Got: 4 Expected: 3/);

    const rank = await failure(reluModel(), { x: floats([6]) });
    expect(rank).toMatchObject({ code: 'INPUT_SHAPE_MISMATCH', message: 'Input "x" was sent with dims [6], where the model expects [n, 3]: rank 1, not 2.' });
  });

  it('finds the input of the wrong type, which onnxruntime does not name', async () => {
    const wrong = await failure(reluModel(), { x: new ort.Tensor('int64', new BigInt64Array(3), [1, 3]) });
    expect(wrong).toMatchObject({ code: 'INPUT_TYPE_MISMATCH', message: 'Input "x" was sent as int64 [1, 3], where the model expects float32 [n, 3].' });
    expect(wrong.runtimeDetail).toBe('Unexpected input data type. Actual: (tensor(int64)) , expected: (tensor(float))');
  });

  it('keeps an unknown failure as it was, with the same runtime detail', () => {
    const other = runFailure(new Error('\x1b[1;31msomething else went wrong\x1b[m'), [], {});
    expect(other).toMatchObject({ code: 'INFERENCE_FAILED', message: 'The model rejected the input: something else went wrong', runtimeDetail: 'something else went wrong' });
    expect(stripAnsi('\x1b[1;31mred\x1b[m plain')).toBe('red plain');
  });

  describe('over HTTP', () => {
    let svc: TestService;
    beforeAll(async () => {
      svc = await startTestService();
      await writeModel(svc.modelsDir, 'add-pair.onnx', addPairModel());
      await writeModel(svc.modelsDir, 'gather.onnx', gatherModel());
      for (const path of ['add-pair.onnx', 'gather.onnx']) expect((await call(svc, 'POST', '/models/load', { path })).status).toBe(201);
    });
    afterAll(() => svc?.stop());

    it('answers a broadcast failure on a dynamic dim with the inputs and sizes to fix', async () => {
      const res = await call(svc, 'POST', '/predict', { model_name: 'add-pair', inputs: { a: { dims: [7], data: Array(7).fill(1) }, b: { dims: [8], data: Array(8).fill(1) } } });
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({
        error_code: 'INPUT_BROADCAST_MISMATCH',
        detail:
          'A dim of 7 cannot be broadcast against 8 at the model\'s Add node "add_0" (one of them must be 1, or both equal): ' +
          'input "a" was sent with dims [7], where the model expects [n]; input "b" was sent with dims [8], where the model expects [n]. ' +
          'Send the same size for each named dim: dim "n" is 7 in "a" but 8 in "b".',
      });
      expect(res.json.runtime_detail).toMatch(/Non-zero status code returned while running Add node\. .*Attempting to broadcast an axis by a dimension other than 1\. 7 by 8$/);
      expect((await call(svc, 'POST', '/predict', { model_name: 'add-pair', inputs: { a: { dims: [8], data: Array(8).fill(1) }, b: { dims: [8], data: Array(8).fill(2) } } })).status).toBe(200);
    });

    it('answers an index out of range in Gather with the input that holds it and the range', async () => {
      const res = await call(svc, 'POST', '/predict', { model_name: 'gather', inputs: { idx: { dims: [2], data: [1, 9], type: 'int64' } } });
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({
        error_code: 'INDEX_OUT_OF_RANGE',
        detail: 'Input "idx" was sent with dims [2], where the model expects [k], and holds the index 9; the model\'s Gather node "gather_0" takes indices from -5 to 4 only.',
        runtime_detail: expect.stringContaining('indices element out of data bounds, idx=9 must be within the inclusive range [-5,4]'),
      });
      const ok = await call(svc, 'POST', '/predict', { model_name: 'gather', inputs: { idx: { dims: [2], data: [1, -1], type: 'int64' } } });
      expect(ok.json.outputs.rows).toEqual({ dims: [2, 2], type: 'float32', data: [2, 3, 8, 9] });
    });

    it('reaches the console through the typed client, runtime detail included', async () => {
      const err = await new InferenceClient(svc.url).predict({ model_name: 'gather', inputs: { idx: { dims: [1], data: [5], type: 'int64' } } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InferenceError);
      expect(err).toMatchObject({ code: 'INDEX_OUT_OF_RANGE', status: 400, runtimeDetail: expect.stringContaining('idx=5') });
    });

    it('leaves runtime_detail out of errors that are not onnxruntime\'s', async () => {
      const res = await call(svc, 'POST', '/predict', { model_name: 'nope', inputs: { x: [1] } });
      expect(res.status).toBe(404);
      expect(res.json).not.toHaveProperty('runtime_detail');
    });
  });
});

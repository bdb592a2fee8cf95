import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type TestService } from '../testing/test-service';
import { startTypeModelService } from '../testing/type-models';

/**
 * Shapes over /predict: scalars every way a client can write them, a scalar input fed other dims
 * (which onnxruntime runs), a stateful model's state coming back, dynamic dims named and not, and
 * output selection.
 */

const octet = { 'content-type': 'application/octet-stream' };
const f32 = (...values: number[]) => Buffer.from(Float32Array.from(values).buffer);
const count = (dims: number[]) => dims.reduce((a, b) => a * b, 1);

describe('shapes over /predict', () => {
  let svc: TestService;
  let scalar: ort.InferenceSession;
  beforeAll(async () => {
    svc = await startTypeModelService();
    scalar = await ort.InferenceSession.create(join(svc.modelsDir, 'scalar.onnx'));
  });
  afterAll(async () => {
    await scalar?.release();
    await svc?.stop();
  });

  /** What onnxruntime itself answers for the scalar model fed `values` with `dims`. */
  async function inProcess(values: number[], dims: number[]) {
    const y = (await scalar.run({ x: new ort.Tensor('float32', Float32Array.from(values), dims) })).y!;
    return { dims: y.dims, type: 'float32', data: Array.from(y.data as Float32Array) };
  }

  it('feeds a rank-0 input from dims [], a bare value, and a raw body with an empty dims=', async () => {
    const expected = await inProcess([1.5], []);
    expect(expected).toEqual({ dims: [], type: 'float32', data: [3] });
    for (const x of [{ dims: [], data: [1.5] }, 1.5]) {
      const res = await call(svc, 'POST', '/predict', { model_name: 'scalar', inputs: { x } });
      expect(res.status, res.text).toBe(200);
      expect(res.json.outputs.y).toEqual(expected);
    }
    const raw = await call(svc, 'POST', '/predict?model_name=scalar&dims=', f32(1.5), octet);
    expect(raw.status, raw.text).toBe(200);
    expect(raw.json.outputs.y).toEqual(expected);
    const int64 = await call(svc, 'POST', '/predict?model_name=identity-int64&dims=1', Buffer.from(BigInt64Array.of(2n ** 60n + 1n).buffer), octet);
    expect(int64.json.outputs.y).toEqual({ dims: [1], type: 'int64', data: ['1152921504606846977'] });
  });

  it('feeds a scalar input with dims [1], [2] or [1, 1] as onnxruntime runs them', async () => {
    for (const dims of [[1], [2], [1, 1]]) {
      const values = dims.length === 1 && dims[0] === 2 ? [1, 2] : [4];
      const expected = await inProcess(values, dims);
      const json = await call(svc, 'POST', '/predict', { model_name: 'scalar', inputs: { x: { dims, data: values } } });
      expect(json.status, json.text).toBe(200);
      expect(json.json.outputs.y).toEqual(expected);
      const raw = await call(svc, 'POST', `/predict?model_name=scalar&dims=${dims.join(',')}`, f32(...values), octet);
      expect(raw.json.outputs.y).toEqual(expected);
    }
    const bareArray = await call(svc, 'POST', '/predict', { model_name: 'scalar', inputs: [4] });
    expect(bareArray.json.outputs.y).toEqual(await inProcess([4], [1]));
  });

  it('runs a stateful model: an int64 scalar and a float32 state [2, 1, ?] that comes back updated', async () => {
    const state = [[[0, 0.5, 1]], [[-1, 2, 3]]];
    const res = await call(svc, 'POST', '/predict', { model_name: 'stateful', inputs: { sr: 16000, state } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.outputs.stateN).toEqual({ dims: [2, 1, 3], type: 'float32', data: [16000, 16000.5, 16001, 15999, 16002, 16003] });
    expect(res.json.outputs.rate).toEqual({ dims: [], type: 'int64', data: [16000] });
    // The state fed back in, as a streaming client does; the rate as a decimal string and as {dims: []}.
    const next = await call(svc, 'POST', '/predict', { model_name: 'stateful', inputs: { sr: { dims: [], data: ['8000'] }, state: res.json.outputs.stateN } });
    expect(next.json.outputs.stateN.data).toEqual([24000, 24000.5, 24001, 23999, 24002, 24003]);
  });

  it('answers only the outputs asked for, in JSON and with a raw body, and names the outputs for an unknown one', async () => {
    const inputs = { sr: '8000', state: { dims: [2, 1, 1], data: [1, 2] } };
    const rate = await call(svc, 'POST', '/predict', { model_name: 'stateful', inputs, outputs: ['rate'] });
    expect(Object.keys(rate.json.outputs)).toEqual(['rate']);
    const both = await call(svc, 'POST', '/predict', { model_name: 'stateful', inputs, outputs: ['rate', 'stateN'] });
    expect(Object.keys(both.json.outputs).sort()).toEqual(['rate', 'stateN']);
    const raw = await call(svc, 'POST', '/predict?model_name=scalar&dims=&outputs=y', f32(2), octet);
    expect(raw.json.outputs).toEqual({ y: { dims: [], type: 'float32', data: [4] } });

    const unknown = await call(svc, 'POST', '/predict', { model_name: 'stateful', inputs, outputs: ['rate', 'nope'] });
    expect(unknown.status).toBe(400);
    expect(unknown.json.detail).toBe('The model "stateful" has no output "nope"; its outputs are stateN, rate.');
    const rawUnknown = await call(svc, 'POST', '/predict?model_name=scalar&dims=&outputs=z', f32(2), octet);
    expect(rawUnknown.status).toBe(400);
    expect(rawUnknown.json.detail).toBe('The model "scalar" has no output "z"; its outputs are y.');
    expect((await call(svc, 'POST', '/predict', { model_name: 'scalar', inputs: { x: 1 }, outputs: [] })).status).toBe(400);
  });

  it('takes any size in named and unnamed dynamic dims, and prints them readably when a fixed one is wrong', async () => {
    for (const dims of [[5, 7, 3], [1, 1, 3], [0, 2, 3]]) {
      const data = new Array<number>(count(dims)).fill(-1);
      const res = await call(svc, 'POST', '/predict', { model_name: 'dynamic-dims', inputs: { x: { dims, data } } });
      expect(res.status, res.text).toBe(200);
      expect(res.json.outputs.y.dims).toEqual(dims);
    }
    // The service refuses only what onnxruntime refuses too.
    const session = await ort.InferenceSession.create(join(svc.modelsDir, 'dynamic-dims.onnx'));
    for (const dims of [[2, 4, 4], [2, 12]]) {
      await expect(session.run({ x: new ort.Tensor('float32', new Float32Array(count(dims)), dims) })).rejects.toThrow(/Got invalid dimensions|Invalid rank/);
    }
    await session.release();
    const fixed = await call(svc, 'POST', '/predict', { model_name: 'dynamic-dims', inputs: { x: { dims: [2, 4, 4], data: new Array(32).fill(0) } } });
    expect(fixed.status).toBe(400);
    expect(fixed.json.detail).toBe('inputs.x has dims [2, 4, 4], but the model\'s input "x" expects [?, p2o.DynamicDimension.0, 3]: dim 2 must be 3.');
    const rank = await call(svc, 'POST', '/predict?model_name=dynamic-dims&dims=2,12', f32(...new Array(24).fill(0)), octet);
    expect(rank.status).toBe(400);
    expect(rank.json.detail).toBe('The body has dims [2, 12] (rank 2), but the model\'s input "x" expects [?, p2o.DynamicDimension.0, 3] (rank 3).');
    const missing = await call(svc, 'POST', '/predict', { model_name: 'stateful', inputs: { sr: 1 } });
    expect(missing.json.detail).toBe('Missing input "state" (float32 [2, 1, ?]).');
  });
});

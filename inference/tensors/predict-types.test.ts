import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type TestService } from '../testing/test-service';
import { castFloat16Model, identityModelName, startTypeModelService } from '../testing/type-models';
import { ELEMENT_TYPE_NAMES, ELEMENT_TYPES, type ElementType, type NumericArray } from './element-types';
import { halfBits } from './float16';

/**
 * Every element type over /predict, as JSON and as a raw body, against onnxruntime run in this
 * process on the same values: the outputs must be the same bytes.
 */

const F32_MAX = 3.4028234663852886e38;
const FLOAT16_SOURCE = [0, 1, -2.5, 65504, 65519, 2 ** -24, 3 * 2 ** -26, Math.fround(0.1), 1 + 2 ** -11, -1 + 3 * 2 ** -11];

/** Per type, the values as a client writes them in JSON, and the same values as onnxruntime is fed them. */
const CASES: Record<Exclude<ElementType, 'float16'>, { json: unknown[]; ort: NumericArray | string[] }> = {
  float32: { json: [0, 1.5, -2.25, F32_MAX, 2 ** -149, Math.fround(0.1)], ort: Float32Array.from([0, 1.5, -2.25, F32_MAX, 2 ** -149, 0.1]) },
  float64: { json: [0, Math.PI, -1e308, 5e-324, Number.MAX_VALUE], ort: Float64Array.from([0, Math.PI, -1e308, 5e-324, Number.MAX_VALUE]) },
  int8: { json: [-128, 127, 0, -1], ort: Int8Array.from([-128, 127, 0, -1]) },
  int16: { json: [-32768, 32767, 5], ort: Int16Array.from([-32768, 32767, 5]) },
  int32: { json: [-(2 ** 31), 2 ** 31 - 1, 7], ort: Int32Array.from([-(2 ** 31), 2 ** 31 - 1, 7]) },
  int64: {
    json: [0, -1, Number.MAX_SAFE_INTEGER, '1152921504606846977', '-9223372036854775808', '9223372036854775807'],
    ort: BigInt64Array.from([0n, -1n, 2n ** 53n - 1n, 2n ** 60n + 1n, -(2n ** 63n), 2n ** 63n - 1n]),
  },
  uint8: { json: [0, 255, 17], ort: Uint8Array.from([0, 255, 17]) },
  uint16: { json: [0, 65535, 300], ort: Uint16Array.from([0, 65535, 300]) },
  uint32: { json: [0, 2 ** 32 - 1, 70000], ort: Uint32Array.from([0, 2 ** 32 - 1, 70000]) },
  uint64: { json: [0, '18446744073709551615', '1152921504606846977', 42], ort: BigUint64Array.from([0n, 2n ** 64n - 1n, 2n ** 60n + 1n, 42n]) },
  bool: { json: [true, false, 1, 0], ort: Uint8Array.from([1, 0, 1, 0]) },
  string: { json: ['héllo', '', '😀 emoji', 'a b'], ort: ['héllo', '', '😀 emoji', 'a b'] },
};

/** onnxruntime's own float32 -> float16 rounding of the values the client sends as numbers. */
async function float16Case() {
  const session = await ort.InferenceSession.create(castFloat16Model());
  const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from(FLOAT16_SOURCE), [FLOAT16_SOURCE.length]) });
  await session.release();
  return { json: FLOAT16_SOURCE, ort: out.y!.data as Uint16Array };
}

/** v2 BYTES, written out here rather than with the code under test. */
const bytesElements = (values: string[]) =>
  Buffer.concat(values.flatMap((v) => [Buffer.from(new Uint32Array([Buffer.byteLength(v)]).buffer), Buffer.from(v)]));

const bytesOf = (values: NumericArray) => Buffer.from(values.buffer, values.byteOffset, values.byteLength);

/** A JSON output back into onnxruntime's representation (float16 through the rounding checked against onnxruntime). */
function fromJson(type: ElementType, data: unknown[]): NumericArray | string[] {
  const info = ELEMENT_TYPES[type];
  if (!info.array) return data as string[];
  const values = new info.array(data.length);
  data.forEach((v, i) => (values[i] = info.kind === 'bigint' ? BigInt(v as string) : type === 'float16' ? halfBits(v as number) : Number(v)));
  return values;
}

function expectSameValues(type: ElementType, json: { dims: number[]; type: string; data: unknown[] }, expected: ort.Tensor) {
  expect(json.type).toBe(type);
  expect(json.dims).toEqual(expected.dims);
  const got = fromJson(type, json.data);
  if (type === 'string') expect(got).toEqual(expected.data);
  else expect(bytesOf(got as NumericArray).equals(bytesOf(expected.data as NumericArray))).toBe(true);
}

describe('every element type over /predict', () => {
  let svc: TestService;
  const cases = new Map<ElementType, { json: unknown[]; ort: NumericArray | string[] }>();
  const reference = new Map<ElementType, ort.Tensor>();

  beforeAll(async () => {
    svc = await startTypeModelService();
    for (const type of ELEMENT_TYPE_NAMES) {
      const c = type === 'float16' ? await float16Case() : CASES[type];
      cases.set(type, c);
      const session = await ort.InferenceSession.create(join(svc.modelsDir, `${identityModelName(type)}.onnx`));
      reference.set(type, (await session.run({ x: new ort.Tensor(type, c.ort as Float32Array, [c.ort.length]) })).y!);
      await session.release();
    }
  });
  afterAll(() => svc?.stop());

  it.each(ELEMENT_TYPE_NAMES)('%s in JSON, flat and nested, comes out as onnxruntime gives it', async (type) => {
    const { json } = cases.get(type)!;
    const model_name = identityModelName(type);
    for (const x of [{ dims: [json.length], data: json }, json, { dims: [json.length], data: json, type: ELEMENT_TYPES[type].v2 }]) {
      const res = await call(svc, 'POST', '/predict', { model_name, inputs: { x } });
      expect(res.status, res.text).toBe(200);
      expectSameValues(type, res.json.outputs.y, reference.get(type)!);
    }
  });

  it.each(ELEMENT_TYPE_NAMES)('%s as a raw little-endian body comes out as onnxruntime gives it', async (type) => {
    const values = cases.get(type)!.ort;
    const body = Array.isArray(values) ? bytesElements(values) : bytesOf(values);
    const res = await call(svc, 'POST', `/predict?model_name=${identityModelName(type)}&dims=${values.length}`, body, { 'content-type': 'application/octet-stream' });
    expect(res.status, res.text).toBe(200);
    expectSameValues(type, res.json.outputs.y, reference.get(type)!);
  });

  it('answers int64 and uint64 beyond 2^53 as decimal strings, exactly, and safe ones as numbers', async () => {
    const big = await call(svc, 'POST', '/predict', { model_name: 'identity-int64', inputs: { x: CASES.int64.json } });
    expect(big.json.outputs.y.data).toEqual(['0', '-1', '9007199254740991', '1152921504606846977', '-9223372036854775808', '9223372036854775807']);
    const max = await call(svc, 'POST', '/predict', { model_name: 'identity-uint64', inputs: { x: ['18446744073709551615', '1152921504606846977'] } });
    expect(max.json.outputs.y.data).toEqual(['18446744073709551615', '1152921504606846977']);
    const safe = await call(svc, 'POST', '/predict', { model_name: 'identity-int64', inputs: { x: ['-9007199254740991', 3] } });
    expect(safe.json.outputs.y.data).toEqual([-9007199254740991, 3]);
    const edge = await call(svc, 'POST', '/predict', { model_name: 'identity-uint64', inputs: { x: ['9007199254740992'] } });
    expect(edge.json.outputs.y.data).toEqual(['9007199254740992']);
  });

  it('answers bool as true/false, float16 as numbers, strings as strings', async () => {
    const bool = await call(svc, 'POST', '/predict', { model_name: 'identity-bool', inputs: { x: [true, 0, 1, false] } });
    expect(bool.json.outputs.y.data).toEqual([true, false, true, false]);
    const half = await call(svc, 'POST', '/predict', { model_name: 'identity-float16', inputs: { x: [0.1, 65519, 2 ** -24] } });
    expect(half.json.outputs.y.data).toEqual([0.0999755859375, 65504, 2 ** -24]);
    const text = await call(svc, 'POST', '/predict', { model_name: 'identity-string', inputs: { x: { dims: [2], data: ['ünïcode ✓', ''] } } });
    expect(text.json.outputs.y).toEqual({ dims: [2], type: 'string', data: ['ünïcode ✓', ''] });
  });

  it('takes empty tensors (a 0 dim) in JSON and raw', async () => {
    const json = await call(svc, 'POST', '/predict', { model_name: 'identity-int64', inputs: { x: [] } });
    expect(json.json.outputs.y).toEqual({ dims: [0], type: 'int64', data: [] });
    const raw = await call(svc, 'POST', '/predict?model_name=identity-string&dims=0', Buffer.alloc(0), { 'content-type': 'application/octet-stream' });
    expect(raw.json.outputs.y).toEqual({ dims: [0], type: 'string', data: [] });
  });
});

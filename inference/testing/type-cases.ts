import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { expect } from 'vitest';
import { ELEMENT_TYPE_NAMES, ELEMENT_TYPES, type ElementType, type NumericArray } from '../tensors/element-types';
import { halfBits } from '../tensors/float16';
import { castFloat16Model, identityModelName } from './type-models';

/**
 * Per element type, values as a client writes them in JSON and the same values as onnxruntime is
 * fed them, with onnxruntime's own answer on the identity model: what the /predict and the v2
 * tests both hold the service to, byte for byte.
 */

export type TypeCase = { json: unknown[]; ort: NumericArray | string[] };

const F32_MAX = 3.4028234663852886e38;
const FLOAT16_SOURCE = [0, 1, -2.5, 65504, 65519, 2 ** -24, 3 * 2 ** -26, Math.fround(0.1), 1 + 2 ** -11, -1 + 3 * 2 ** -11];

/** Per type, the values as a client writes them in JSON, and the same values as onnxruntime is fed them. */
export const CASES: Record<Exclude<ElementType, 'float16'>, { json: unknown[]; ort: NumericArray | string[] }> = {
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
export const bytesElements = (values: string[]) =>
  Buffer.concat(values.flatMap((v) => [Buffer.from(new Uint32Array([Buffer.byteLength(v)]).buffer), Buffer.from(v)]));

export const bytesOfValues = (values: NumericArray) => Buffer.from(values.buffer, values.byteOffset, values.byteLength);

/** A JSON output back into onnxruntime's representation (float16 through the rounding checked against onnxruntime). */
function fromJson(type: ElementType, data: unknown[]): NumericArray | string[] {
  const info = ELEMENT_TYPES[type];
  if (!info.array) return data as string[];
  const values = new info.array(data.length);
  data.forEach((v, i) => (values[i] = info.kind === 'bigint' ? BigInt(v as string) : type === 'float16' ? halfBits(v as number) : Number(v)));
  return values;
}

export function expectSameValues(type: ElementType, json: { dims: number[]; type: string; data: unknown[] }, expected: ort.Tensor) {
  expect(json.type).toBe(type);
  expect(json.dims).toEqual(expected.dims);
  const got = fromJson(type, json.data);
  if (type === 'string') expect(got).toEqual(expected.data);
  else expect(bytesOfValues(got as NumericArray).equals(bytesOfValues(expected.data as NumericArray))).toBe(true);
}

/** Every type's case, and onnxruntime's answer to it run in this process on the identity model in `modelsDir`. */
export async function loadTypeCases(modelsDir: string, cases: Map<ElementType, TypeCase>, reference: Map<ElementType, ort.Tensor>): Promise<void> {
  for (const type of ELEMENT_TYPE_NAMES) {
    const c = type === 'float16' ? await float16Case() : CASES[type];
    cases.set(type, c);
    const session = await ort.InferenceSession.create(join(modelsDir, `${identityModelName(type)}.onnx`));
    reference.set(type, (await session.run({ x: new ort.Tensor(type, c.ort as Float32Array, [c.ort.length]) })).y!);
    await session.release();
  }
}

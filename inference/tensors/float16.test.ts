import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../demo-models/seeded-random';
import { castFloat16Model } from '../testing/type-models';
import { halfBits, halfToNumber, isFiniteHalf } from './float16';

async function ortCast(values: Float32Array): Promise<Uint16Array> {
  const session = await ort.InferenceSession.create(castFloat16Model());
  try {
    const out = await session.run({ x: new ort.Tensor('float32', values, [values.length]) });
    return out.y!.data as Uint16Array;
  } finally {
    await session.release();
  }
}

describe('float16 conversion', () => {
  it('rounds as onnxruntime casts float32 to float16: ties to even, subnormals, the edge of the range', async () => {
    const edges = [0, 1, -2.5, 65504, 65519, -65519, 2 ** -24, 2 ** -25, 3 * 2 ** -26, 1.5 * 2 ** -24, 2 ** -14, 2 ** -14 - 2 ** -25, 0.1, 1 + 2 ** -11, 1 + 3 * 2 ** -11, 2049, 2051, 1e-8];
    const random = seededRandom(16);
    // Random float32 bit patterns below 65520 in magnitude: every exponent a half has, and below.
    const randoms = Array.from({ length: 20_000 }, () => {
      const bits = new Uint32Array([Math.floor(random() * 0x477ff000)]);
      return (random() < 0.5 ? -1 : 1) * new Float32Array(bits.buffer)[0]!;
    });
    const values = Float32Array.from([...edges, ...randoms]);
    const expected = await ortCast(values);
    const mine = Uint16Array.from(values, halfBits);
    const differ = [...values.keys()].filter((i) => mine[i] !== expected[i]).slice(0, 5);
    expect(differ.map((i) => [values[i], mine[i], expected[i]])).toEqual([]);
  });

  it('reads back every finite half exactly, and knows infinities and NaN', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      if (!isFiniteHalf(bits)) continue;
      const back = halfBits(halfToNumber(bits));
      if (back !== bits) expect([bits, back]).toEqual([bits, bits]);
    }
    expect(halfToNumber(0x7c00)).toBe(Infinity);
    expect(halfToNumber(0xfc00)).toBe(-Infinity);
    expect(halfToNumber(0x7e00)).toBeNaN();
    expect(Object.is(halfToNumber(0x8000), -0)).toBe(true);
    expect(halfBits(65520)).toBe(0x7c00);
    expect(halfBits(Number.NaN)).toBe(0x7e00);
  });
});

import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { ELEMENT_TYPE_NAMES, type ElementType, type NumericArray } from '../tensors/element-types';
import { bytesOf } from '../tensors/tensor-data';
import { CASES } from '../testing/type-cases';
import { concatRows, sliceRows } from './tensor-rows';

// Half-precision bits that a conversion would change: -0, infinities, a NaN with a payload, a subnormal.
const FLOAT16_BITS = Uint16Array.of(0x0000, 0x8000, 0x3c00, 0x7bff, 0x7c00, 0xfc00, 0x7e01, 0x0001);
const valuesOf = (type: ElementType) => (type === 'float16' ? FLOAT16_BITS : CASES[type].ort);

/** A tensor's values as comparable text: strings as JSON, numbers as their bytes in hex. */
const content = (t: ort.Tensor) => (t.type === 'string' ? JSON.stringify(t.data) : Buffer.from(bytesOf(t.data as NumericArray)).toString('hex'));

describe('tensor rows', () => {
  it.each(ELEMENT_TYPE_NAMES)('cuts %s tensors along dim 0 and joins them back bit for bit', (type) => {
    const values = valuesOf(type);
    const whole = new ort.Tensor(type, values as Float32Array, [values.length]);
    const cuts = [0, 1, 3, values.length];
    const parts = cuts.slice(1).map((end, i) => sliceRows(whole, cuts[i]!, end - cuts[i]!));
    expect(parts.map((p) => p.dims)).toEqual([[1], [2], [values.length - 3]]);
    const joined = concatRows(parts);
    expect(joined.type).toBe(type);
    expect(joined.dims).toEqual([values.length]);
    expect(content(joined)).toBe(content(whole));
    expect(joined.data.constructor).toBe(whole.data.constructor);
  });

  it('keeps the dims after the first, including a dim of 0', () => {
    const a = new ort.Tensor('float32', Float32Array.from({ length: 12 }, (_, i) => i), [2, 2, 3]);
    const b = new ort.Tensor('float32', Float32Array.from({ length: 6 }, (_, i) => 100 + i), [1, 2, 3]);
    const joined = concatRows([a, b]);
    expect(joined.dims).toEqual([3, 2, 3]);
    expect(content(sliceRows(joined, 2, 1))).toBe(content(b));
    expect(content(sliceRows(joined, 0, 2))).toBe(content(a));
    const empty = concatRows([new ort.Tensor('int64', new BigInt64Array(0), [2, 0]), new ort.Tensor('int64', new BigInt64Array(0), [3, 0])]);
    expect(empty.dims).toEqual([5, 0]);
    expect(sliceRows(empty, 1, 4).dims).toEqual([4, 0]);
  });

  it('answers a copy, so a request keeps its rows whatever happens to the batch', () => {
    const batch = new ort.Tensor('int32', Int32Array.of(1, 2, 3, 4), [4]);
    const row = sliceRows(batch, 1, 2);
    (batch.data as Int32Array).fill(0);
    expect(Array.from(row.data as Int32Array)).toEqual([2, 3]);
  });
});

import { describe, expect, it } from 'vitest';
import type { TensorInfo } from '../../../electron/api/inference-contract';
import { checkField, exampleValue, flatten, hasDynamicDims, initialField, parseDims, valueReason } from './tensor-field';

const state: TensorInfo = { name: 'state', type: 'float32', shape: [2, 1, -1], dim_names: [null, null, null] };
const sr: TensorInfo = { name: 'sr', type: 'int64', shape: [], dim_names: [] };
const fixed: TensorInfo = { name: 'x', type: 'int8', shape: [2, 2], dim_names: [null, null] };

const values = (info: TensorInfo, text: string, dims = initialField(info).dims) => checkField(info, { values: text, dims });

describe('tensor fields', () => {
  it('start from the shape with 1 for each dynamic dim, and ask for dims only where one is dynamic', () => {
    expect(initialField(state)).toEqual({ values: '', dims: '2, 1, 1' });
    expect(hasDynamicDims(state)).toBe(true);
    expect(hasDynamicDims(sr)).toBe(false);
    expect(hasDynamicDims(fixed)).toBe(false);
  });

  it('read dims with or without brackets, held to the rank and the fixed sizes', () => {
    expect(parseDims(state, '[2, 1, 5]')).toEqual([2, 1, 5]);
    expect(parseDims(state, '2 1 0')).toEqual([2, 1, 0]);
    expect(parseDims(state, '2, 1')).toBe('Give 3 dims, one per dim of [2, 1, ?].');
    expect(parseDims(state, '2, 1, -1')).toMatch(/"-1" is not a size/);
    expect(parseDims(state, '2, 1, 1.5')).toMatch(/"1.5" is not a size/);
    expect(parseDims({ ...state, dim_names: [null, null, 'frames'] }, '3, 1, 2')).toBe('Dim 1 is fixed at 2 by the model [2, 1, frames].');
  });

  it('flatten nested arrays row-major, and refuse ragged ones', () => {
    expect(flatten([[[1, 2]], [[3, 4]]])).toEqual({ dims: [2, 1, 2], data: [1, 2, 3, 4] });
    expect(flatten(7)).toEqual({ dims: [], data: [7] });
    expect(flatten([])).toEqual({ dims: [0], data: [] });
    expect(flatten([[1, 2], [3]])).toBeNull();
    expect(flatten([[1], 2])).toBeNull();
  });

  it('make the tensor the service takes, from nested or flat values', () => {
    const tensor = { dims: [2, 1, 2], data: [0.5, 1, 1.5, 2], type: 'float32' };
    expect(values(state, '[[[0.5, 1]], [[1.5, 2]]]', '2, 1, 2')).toEqual({ ok: true, tensor });
    expect(values(state, '[0.5, 1, 1.5, 2]', '[2, 1, 2]')).toEqual({ ok: true, tensor });
    expect(values(sr, '16000')).toEqual({ ok: true, tensor: { dims: [], data: [16000], type: 'int64' } });
    expect(values(sr, ' "9223372036854775807" ')).toEqual({ ok: true, tensor: { dims: [], data: ['9223372036854775807'], type: 'int64' } });
    expect(values(fixed, '[[1, -2], [3, 127]]')).toEqual({ ok: true, tensor: { dims: [2, 2], data: [1, -2, 3, 127], type: 'int8' } });
  });

  it('say what is wrong with the values, and where', () => {
    expect(values(state, '')).toEqual({ ok: false, part: 'values', message: 'Type 2 values as a JSON array.' });
    expect(values(sr, '  ')).toMatchObject({ message: 'Type a single value.' });
    expect(values(state, '[1, 2', '2, 1, 1')).toMatchObject({ part: 'values', message: expect.stringMatching(/^Not JSON: /) });
    expect(values({ ...sr, type: 'string' }, 'hello')).toMatchObject({ message: expect.stringMatching(/\(strings go in double quotes\)\.$/) });
    expect(values(state, '[1, 2, 3]')).toMatchObject({ message: '3 values, but dims [2, 1, 1] need 2.' });
    expect(values(state, '[[1, 2]]', '2, 1, 1')).toMatchObject({ message: 'The values are nested as [1, 2], but the dims are [2, 1, 1].' });
    expect(values(state, '[[1, 2], [3]]')).toMatchObject({ message: expect.stringMatching(/ragged/) });
    expect(values(state, '1')).toMatchObject({ message: 'Give the values as a JSON array: 2 for dims [2, 1, 1].' });
    expect(values(sr, '[16000]')).toMatchObject({ message: 'A scalar takes a single value, not an array.' });
    expect(values(sr, '1.5')).toMatchObject({ message: 'Value 1 (1.5) is not an integer.' });
    expect(values(fixed, '[1, 2, 3, 128]')).toMatchObject({ message: 'Value 4 (128) is out of range for int8 (-128 to 127).' });
    expect(values(state, '[1, 2]', '2, 1')).toEqual({ ok: false, part: 'dims', message: 'Give 3 dims, one per dim of [2, 1, ?].' });
  });

  it('hold each value to its element type', () => {
    expect(valueReason('float32', 3e38)).toBeNull();
    expect(valueReason('float32', 1e39)).toBe('is out of range for float32');
    expect(valueReason('float16', 65519)).toBeNull();
    expect(valueReason('float16', 65520)).toBe('is out of range for float16');
    expect(valueReason('float64', '1')).toBe('is not a number');
    expect(valueReason('uint8', -1)).toBe('is out of range for uint8 (0 to 255)');
    expect(valueReason('int32', 2.5)).toBe('is not an integer');
    expect(valueReason('int64', 2 ** 53)).toMatch(/beyond 2\^53.*decimal string/);
    expect(valueReason('uint64', '18446744073709551615')).toBeNull();
    expect(valueReason('uint64', '18446744073709551616')).toBe('is out of range for uint64 (0 to 18446744073709551615)');
    expect(valueReason('int64', '12a')).toBe('is not a decimal integer string');
    expect(valueReason('bool', 1)).toBeNull();
    expect(valueReason('bool', 'true')).toMatch(/not a bool/);
    expect(valueReason('string', 3)).toMatch(/not a string/);
    expect(valueReason('bfloat16', null)).toMatch(/not a number, string or bool/);
    expect(['float16', 'int64', 'bool', 'string'].map((t) => valueReason(t, JSON.parse(exampleValue(t))))).toEqual([null, null, null, null]);
  });
});

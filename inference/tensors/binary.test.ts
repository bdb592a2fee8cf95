import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { bytesToTensor, decodeBytesElements, encodeBytesElements, tensorToBytes } from './binary';
import { ELEMENT_TYPE_NAMES, ELEMENT_TYPES, elementType } from './element-types';
import { tensorToJson } from './json-encode';
import { valuesToTensor } from './json-decode';

/** The pieces the v2 routes use directly: the type table, bytes both ways, JSON values both ways. */

describe('the tensor layer, in process', () => {
  it('has one row per type, found by onnxruntime name or v2 datatype', () => {
    expect(ELEMENT_TYPE_NAMES).toHaveLength(13);
    expect(new Set(ELEMENT_TYPE_NAMES.map((t) => ELEMENT_TYPES[t].v2)).size).toBe(13);
    expect(elementType('INT64')).toBe(ELEMENT_TYPES.int64);
    expect(elementType('BYTES')).toMatchObject({ type: 'string', bytes: null, array: null });
    expect(elementType('float16')).toMatchObject({ v2: 'FP16', bytes: 2, array: Uint16Array });
    expect(elementType('bfloat16')).toBeUndefined();
    expect(elementType('constructor')).toBeUndefined();
  });

  it.each(ELEMENT_TYPE_NAMES)('%s goes to bytes and back unchanged', (type) => {
    const info = ELEMENT_TYPES[type];
    const data = type === 'string' ? ['', 'ä', 'x'] : info.kind === 'bool' ? [true, false, true] : info.kind === 'bigint' ? ['1', '0', '2'] : [1, 0, 2];
    const tensor = valuesToTensor(info, data, [3], 'x');
    const bytes = tensorToBytes('x', tensor);
    expect(bytes.length).toBe(type === 'string' ? 4 * 3 + 3 : 3 * info.bytes!);
    const back = bytesToTensor(info, bytes, [3]);
    expect([back.type, back.dims]).toEqual([type, [3]]);
    expect(tensorToJson('x', back)).toEqual(tensorToJson('x', tensor));
  });

  it('writes v2 BYTES elements as a little-endian length and UTF-8', () => {
    const bytes = encodeBytesElements(['ab', 'é']);
    expect([...bytes]).toEqual([2, 0, 0, 0, 0x61, 0x62, 2, 0, 0, 0, 0xc3, 0xa9]);
    expect(decodeBytesElements(bytes, 2)).toEqual(['ab', 'é']);
  });

  it('answers a 64-bit tensor as numbers only while every value is a safe integer', () => {
    const safe = new ort.Tensor('uint64', BigUint64Array.of(2n ** 53n - 1n, 0n), [2]);
    expect(tensorToJson('y', safe).data).toEqual([2 ** 53 - 1, 0]);
    const unsafe = new ort.Tensor('int64', BigInt64Array.of(1n, -(2n ** 53n)), [2]);
    expect(tensorToJson('y', unsafe).data).toEqual(['1', '-9007199254740992']);
  });

  it('refuses outputs JSON cannot carry', () => {
    const nan = new ort.Tensor('float32', Float32Array.of(Number.NaN), [1]);
    expect(() => tensorToJson('y', nan)).toThrow(/holds NaN or infinite values/);
    const inf = new ort.Tensor('float16', Uint16Array.of(0x7c00), [1]);
    expect(() => tensorToJson('y', inf)).toThrow(/holds NaN or infinite values/);
    const int4 = new ort.Tensor('int4', Uint8Array.of(1), [1]);
    expect(() => tensorToJson('y', int4)).toThrow('The model\'s output "y" has type int4, which this service cannot send.');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type TestService } from '../testing/test-service';
import { startTypeModelService } from '../testing/type-models';
import type { ElementType } from './element-types';

/** Every way a tensor can be wrong gets a 400 whose sentence says which value and why. */

const octet = { 'content-type': 'application/octet-stream' };

describe('bad tensors over /predict', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTypeModelService();
  });
  afterAll(() => svc?.stop());

  async function expect400(res: Promise<{ status: number; json: any }>, detail: string) {
    const { status, json } = await res;
    expect([status, json?.error_code, json?.detail]).toEqual([400, 'INVALID_INPUT', detail]);
  }
  const json = (type: ElementType, x: unknown) => call(svc, 'POST', '/predict', { model_name: `identity-${type}`, inputs: { x } });
  const raw = (type: ElementType, dims: string, body: Buffer) => call(svc, 'POST', `/predict?model_name=identity-${type}&dims=${dims}`, body, octet);

  it('refuses values of the wrong kind', async () => {
    await expect400(json('int32', [1, 'x']), 'inputs.x value 1 ("x") is not a number.');
    await expect400(json('float32', [true]), 'inputs.x value 0 (true) is not a finite number.');
    await expect400(json('float16', [null]), 'inputs.x value 0 (null) is not a finite number.');
    await expect400(json('string', ['a', 5]), 'inputs.x value 1 (5) is not a string.');
    await expect400(json('bool', [2]), 'inputs.x value 0 (2) is not a bool (true, false, 0 or 1).');
    await expect400(json('bool', ['true']), 'inputs.x value 0 ("true") is not a bool (true, false, 0 or 1).');
    await expect400(json('int64', [{}]), 'inputs.x value 0 ({}) is not an integer or a decimal string.');
    await expect400(json('uint8', { dims: [1], data: [1], type: 'INT64' }), 'inputs.x is declared INT64, but the model\'s input "x" is uint8.');
  });

  it('refuses values out of their type\'s range', async () => {
    await expect400(json('int8', [128]), 'inputs.x value 0 (128) is out of range for int8 (-128 to 127).');
    await expect400(json('uint8', [-1]), 'inputs.x value 0 (-1) is out of range for uint8 (0 to 255).');
    await expect400(json('uint32', [2 ** 32]), 'inputs.x value 0 (4294967296) is out of range for uint32 (0 to 4294967295).');
    await expect400(json('uint64', ['18446744073709551616']), 'inputs.x value 0 ("18446744073709551616") is out of range for uint64 (0 to 18446744073709551615).');
    await expect400(json('uint64', ['-1']), 'inputs.x value 0 ("-1") is out of range for uint64 (0 to 18446744073709551615).');
    await expect400(json('int64', ['9223372036854775808']), 'inputs.x value 0 ("9223372036854775808") is out of range for int64 (-9223372036854775808 to 9223372036854775807).');
    await expect400(json('int64', ['-9223372036854775809']), 'inputs.x value 0 ("-9223372036854775809") is out of range for int64 (-9223372036854775808 to 9223372036854775807).');
    await expect400(json('int64', ['1' + '0'.repeat(400)]), `inputs.x value 0 ("1${'0'.repeat(35)}...) is out of range for int64 (-9223372036854775808 to 9223372036854775807).`);
    await expect400(json('float16', [65520]), 'inputs.x value 0 (65520) is out of range for float16 (±65504).');
    await expect400(json('float32', [1e39]), 'inputs.x value 0 (1e+39) is out of range for float32 (±3.4028234663852886e+38).');
  });

  it('refuses non-integers for integer types, and 64-bit numbers JSON cannot hold exactly', async () => {
    await expect400(json('int32', [1.5]), 'inputs.x value 0 (1.5) is not an integer.');
    await expect400(json('int64', [0, 1.5]), 'inputs.x value 1 (1.5) is not an integer.');
    await expect400(json('uint64', [2 ** 60]), 'inputs.x value 0 (1152921504606847000) is beyond 2^53, where JSON numbers lose digits; send it as a decimal string.');
  });

  it('refuses strings that are not decimal integers, for int64 and uint64', async () => {
    for (const text of ['12abc', '1e3', ' 1', '0x10', '', '+1', '1.0', '--1']) {
      await expect400(json('int64', [text]), `inputs.x value 0 (${JSON.stringify(text)}) is not a decimal integer string.`);
    }
    await expect400(json('uint64', ['1_000']), 'inputs.x value 0 ("1_000") is not a decimal integer string.');
  });

  it('refuses strings onnxruntime would not carry exactly', async () => {
    await expect400(json('string', ['a\0b']), 'inputs.x value 0 ("a\\u0000b") holds a NUL character, where onnxruntime cuts strings.');
    await expect400(json('string', ['\ud800']), 'inputs.x value 0 ("\\ud800") holds an unpaired UTF-16 surrogate, which UTF-8 cannot carry.');
  });

  it('refuses JSON tensors whose data does not fill their dims', async () => {
    await expect400(json('int64', { dims: [2], data: ['1', '2', '3'] }), 'inputs.x has 3 values, but dims [2] need 2.');
    const emptyScalar = call(svc, 'POST', '/predict', { model_name: 'scalar', inputs: { x: { dims: [], data: [] } } });
    await expect400(emptyScalar, 'inputs.x has 0 values, but dims [] need 1.');
    await expect400(json('bool', { dims: [], data: [true] }), 'inputs.x has dims [] (rank 0), but the model\'s input "x" expects [n] (rank 1).');
    await expect400(json('string', [['a'], ['b', 'c']]), 'inputs.x[1] is ragged: every row must have the same shape.');
    await expect400(json('float32', { dims: [1.5], data: [1] }), 'inputs.x: dims must be non-negative integers; got [1.5].');
  });

  it('refuses raw bodies of the wrong size for every fixed-size type', async () => {
    await expect400(raw('int64', '2', Buffer.alloc(15)), 'The body has 15 bytes, but dims [2] of int64 need 16 (2 × 8).');
    await expect400(raw('uint64', '1', Buffer.alloc(4)), 'The body has 4 bytes, but dims [1] of uint64 need 8 (1 × 8).');
    await expect400(raw('float16', '3', Buffer.alloc(5)), 'The body has 5 bytes, but dims [3] of float16 need 6 (3 × 2).');
    await expect400(raw('bool', '2', Buffer.alloc(3)), 'The body has 3 bytes, but dims [2] of bool need 2 (2 × 1).');
    await expect400(raw('float64', '1', Buffer.alloc(0)), 'The body has 0 bytes, but dims [1] of float64 need 8 (1 × 8).');
  });

  it('refuses raw values a type cannot hold: bool bytes other than 0 and 1, NaN and infinite floats', async () => {
    await expect400(raw('bool', '3', Buffer.from([1, 0, 2])), 'The body: value 2 is 2; a bool byte is 0 or 1.');
    await expect400(raw('float16', '2', Buffer.from(Uint16Array.of(0x3c00, 0x7e00).buffer)), 'The body: value 1 is not a finite number.');
    await expect400(raw('float64', '1', Buffer.from(Float64Array.of(-Infinity).buffer)), 'The body: value 0 is not a finite number.');
  });

  it('refuses raw string bodies that are not v2 BYTES elements of valid UTF-8', async () => {
    const element = (bytes: Buffer, length = bytes.length) => Buffer.concat([Buffer.from(Uint32Array.of(length).buffer), bytes]);
    await expect400(raw('string', '2', element(Buffer.from('ab'))), 'The body ends before string 1 of 2 (each is a 4-byte little-endian length, then its bytes).');
    await expect400(raw('string', '1', element(Buffer.from('ab'), 5)), "The body's string 0 is 5 bytes long, but only 2 bytes follow.");
    await expect400(raw('string', '1', Buffer.concat([element(Buffer.from('ab')), Buffer.from([0])])), 'The body goes on for 1 bytes after the 1 strings its dims call for.');
    await expect400(raw('string', '1', element(Buffer.from([0xc3, 0x28]))), "The body's string 0 is not valid UTF-8.");
    await expect400(raw('string', '1', element(Buffer.from('a\0b'))), "The body's string 0 holds a NUL character, where onnxruntime cuts strings.");
  });

  it('sends a model with several inputs from the raw body, which feeds one, to the paths that take them all', async () => {
    const sent = 'The model "stateful" needs 2 inputs (sr, state), and a raw body feeds one: send them all as JSON to /predict, or as binary tensors to /v2/models/stateful/infer.';
    await expect400(call(svc, 'POST', '/predict?model_name=stateful&dims=', Buffer.alloc(8), octet), sent);
    await expect400(call(svc, 'POST', '/predict?model_name=stateful&dims=&input=sr', Buffer.alloc(8), octet), sent);
    await expect400(call(svc, 'POST', '/predict?model_name=stateful&dims=&input=nope', Buffer.alloc(8), octet), 'The model "stateful" has no input "nope"; its inputs are sr, state.');
  });

  it('refuses a raw body without its dims, and malformed dims, before reading it', async () => {
    await expect400(call(svc, 'POST', '/predict?model_name=identity-int8', Buffer.alloc(1), octet), 'A raw tensor body needs its shape in the query: /predict?model_name=NAME&dims=1,1,28,28 (dims= for a scalar).');
    const bad = await call(svc, 'POST', '/predict?model_name=identity-int8&dims=1,,2', Buffer.alloc(2), octet);
    expect([bad.status, bad.json.error_code]).toEqual([400, 'INVALID_REQUEST']);
  });
});

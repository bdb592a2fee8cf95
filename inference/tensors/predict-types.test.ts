import type * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type TestService } from '../testing/test-service';
import { bytesElements, bytesOfValues, CASES, expectSameValues, loadTypeCases, type TypeCase } from '../testing/type-cases';
import { identityModelName, startTypeModelService } from '../testing/type-models';
import { ELEMENT_TYPE_NAMES, ELEMENT_TYPES, type ElementType } from './element-types';

/**
 * Every element type over /predict, as JSON and as a raw body, against onnxruntime run in this
 * process on the same values: the outputs must be the same bytes.
 */

describe('every element type over /predict', () => {
  let svc: TestService;
  const cases = new Map<ElementType, TypeCase>();
  const reference = new Map<ElementType, ort.Tensor>();

  beforeAll(async () => {
    svc = await startTypeModelService();
    await loadTypeCases(svc.modelsDir, cases, reference);
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
    const body = Array.isArray(values) ? bytesElements(values) : bytesOfValues(values);
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

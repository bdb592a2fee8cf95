import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ELEMENT_TYPE_NAMES, ELEMENT_TYPES, type ElementType } from '../tensors/element-types';
import type { TestService } from '../testing/test-service';
import { bytesElements, bytesOfValues, expectSameValues, loadTypeCases, type TypeCase } from '../testing/type-cases';
import { identityModelName, startTypeModelService } from '../testing/type-models';
import { binaryOutputs, v2Post } from '../testing/v2-client';

/**
 * Every element type through the Open Inference Protocol, in JSON and as binary tensors both
 * ways, against onnxruntime run in this process on the same values: the same bytes come back.
 */

describe('every element type over v2 /infer', () => {
  let svc: TestService;
  const cases = new Map<ElementType, TypeCase>();
  const references = new Map<ElementType, ort.Tensor>();
  const infer = (model: string, header: unknown, tensors: Uint8Array[] = []) => v2Post(`${svc.url}/v2/models/${model}/infer`, header, tensors);
  const binaryOf = (values: TypeCase['ort']) => (Array.isArray(values) ? bytesElements(values) : bytesOfValues(values));
  /** onnxruntime's own answer, run in this process on the test model's file. */
  const reference = async (model: string, feeds: Record<string, ort.Tensor>) => {
    const session = await ort.InferenceSession.create(join(svc.modelsDir, `${model}.onnx`));
    try {
      return await session.run(feeds);
    } finally {
      await session.release();
    }
  };

  beforeAll(async () => {
    svc = await startTypeModelService();
    await loadTypeCases(svc.modelsDir, cases, references);
  });
  afterAll(() => svc?.stop());

  it.each(ELEMENT_TYPE_NAMES)('%s in JSON comes out in JSON as onnxruntime gives it', async (type) => {
    const { json } = cases.get(type)!;
    const res = await infer(identityModelName(type), { inputs: [{ name: 'x', shape: [json.length], datatype: ELEMENT_TYPES[type].v2, data: json }] });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const [y] = res.json.outputs;
    expect(y.datatype).toBe(ELEMENT_TYPES[type].v2);
    expectSameValues(type, { dims: y.shape, type, data: y.data }, references.get(type)!);
  });

  it.each(ELEMENT_TYPE_NAMES)('%s as binary data comes out as binary data, byte for byte', async (type) => {
    const values = cases.get(type)!.ort;
    const sent = binaryOf(values);
    const res = await infer(
      identityModelName(type),
      { inputs: [{ name: 'x', shape: [values.length], datatype: ELEMENT_TYPES[type].v2, parameters: { binary_data_size: sent.length } }], outputs: [{ name: 'y', parameters: { binary_data: true } }] },
      [sent],
    );
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.outputs[0]).toEqual({ name: 'y', shape: [values.length], datatype: ELEMENT_TYPES[type].v2, parameters: { binary_data_size: sent.length } });
    expect(binaryOutputs(res).y!.equals(binaryOf(references.get(type)!.data as TypeCase['ort']))).toBe(true);
  });

  it('carries int64 and uint64 beyond 2^53 exactly: decimal strings in JSON, exact bytes in binary', async () => {
    const big = await infer('identity-int64', { inputs: [{ name: 'x', shape: [3], datatype: 'INT64', data: ['1152921504606846977', '-9223372036854775808', 7] }] });
    expect(big.json.outputs[0].data).toEqual(['1152921504606846977', '-9223372036854775808', '7']);
    const values = BigUint64Array.from([2n ** 64n - 1n, 2n ** 60n + 1n]);
    const res = await infer('identity-uint64', { inputs: [{ name: 'x', shape: [2], datatype: 'UINT64', parameters: { binary_data_size: 16 } }] }, [bytesOfValues(values)]);
    expect(res.json.outputs[0].data).toEqual(['18446744073709551615', '1152921504606846977']);
  });

  it('feeds several binary inputs, a rank-0 one among them, and returns the state asked for', async () => {
    const state = Float32Array.from([0.5, -1, 2, 0.25]);
    const res = await infer(
      'stateful',
      {
        inputs: [
          { name: 'sr', shape: [], datatype: 'INT64', parameters: { binary_data_size: 8 } },
          { name: 'state', shape: [2, 1, 2], datatype: 'FP32', parameters: { binary_data_size: 16 } },
        ],
        outputs: [{ name: 'stateN', parameters: { binary_data: true } }],
      },
      [bytesOfValues(BigInt64Array.from([16000n])), bytesOfValues(state)],
    );
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.outputs).toEqual([{ name: 'stateN', shape: [2, 1, 2], datatype: 'FP32', parameters: { binary_data_size: 16 } }]);
    const expected = await reference('stateful', { sr: new ort.Tensor('int64', BigInt64Array.from([16000n]), []), state: new ort.Tensor('float32', state, [2, 1, 2]) });
    expect(binaryOutputs(res).stateN!.equals(bytesOfValues(expected.stateN!.data as Float32Array))).toBe(true);
  });

  it('feeds the same stateful model in JSON, the rank-0 input as shape []', async () => {
    const res = await infer('stateful', {
      inputs: [
        { name: 'sr', shape: [], datatype: 'INT64', data: ['8000'] },
        { name: 'state', shape: [2, 1, 1], datatype: 'FP32', data: [[[1]], [[2]]] },
      ],
    });
    expect(res.json.outputs).toEqual([
      { name: 'stateN', shape: [2, 1, 1], datatype: 'FP32', data: [8001, 8002] },
      { name: 'rate', shape: [], datatype: 'INT64', data: [8000] },
    ]);
  });

  it('takes a scalar as shape [], in JSON and as binary data', async () => {
    const json = await infer('scalar', { inputs: [{ name: 'x', shape: [], datatype: 'FP32', data: [1.25] }] });
    expect(json.json.outputs).toEqual([{ name: 'y', shape: [], datatype: 'FP32', data: [2.5] }]);
    const binary = await infer('scalar', { inputs: [{ name: 'x', shape: [], datatype: 'FP32', parameters: { binary_data_size: 4 } }] }, [bytesOfValues(Float32Array.from([-3]))]);
    expect(binary.json.outputs).toEqual([{ name: 'y', shape: [], datatype: 'FP32', data: [-6] }]);
  });

  it('takes any size for named and unnamed dynamic dims, and refuses a fixed one, naming the dims', async () => {
    const values = Float32Array.from({ length: 2 * 5 * 3 }, (_, i) => i - 10);
    const expected = [...((await reference('dynamic-dims', { x: new ort.Tensor('float32', values, [2, 5, 3]) })).y!.data as Float32Array)];
    const json = await infer('dynamic-dims', { inputs: [{ name: 'x', shape: [2, 5, 3], datatype: 'FP32', data: [...values] }] });
    expect(json.json.outputs[0]).toEqual({ name: 'y', shape: [2, 5, 3], datatype: 'FP32', data: expected });
    const binary = await infer('dynamic-dims', { inputs: [{ name: 'x', shape: [2, 5, 3], datatype: 'FP32', parameters: { binary_data_size: values.byteLength } }] }, [bytesOfValues(values)]);
    expect(binary.json.outputs[0].data).toEqual(expected);
    const wrong = await infer('dynamic-dims', { inputs: [{ name: 'x', shape: [2, 5, 4], datatype: 'FP32', data: new Array(40).fill(0) }] });
    expect(wrong).toMatchObject({ status: 400, json: { error: 'Input "x" has dims [2, 5, 4], but the model\'s input "x" expects [?, p2o.DynamicDimension.0, 3]: dim 2 must be 3.' } });
    const meta = (await fetch(`${svc.url}/v2/models/dynamic-dims`).then((r) => r.json())) as { inputs: unknown };
    expect(meta.inputs).toEqual([{ name: 'x', datatype: 'FP32', shape: [-1, -1, 3] }]);
  });
});

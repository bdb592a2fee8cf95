import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeModel } from '../testing/small-models';
import { startTestService, type TestService } from '../testing/test-service';
import { binaryOutputs, protocolExampleModel, splitAnswer, v2Post } from '../testing/v2-client';

/**
 * The Open Inference Protocol as its specification writes it: health, metadata, readiness, and
 * its own inference examples (JSON, and the binary tensor data extension's) against a model made
 * to answer them, with the protocol's `{"error"}` body for every refusal.
 */

const EXAMPLE_OUTPUT0 = [1.0, 1.1, 2.0, 2.1, 3.0, 3.1];

describe('Open Inference Protocol (v2)', () => {
  let svc: TestService;
  const url = (path: string) => `${svc.url}/v2${path}`;
  const get = async (path: string) => {
    const res = await fetch(url(path));
    return { status: res.status, json: (await res.json()) as any };
  };

  beforeAll(async () => {
    svc = await startTestService();
    await writeModel(svc.modelsDir, 'mymodel.onnx', protocolExampleModel());
    for (const path of ['mymodel.onnx', 'digits.onnx']) {
      const res = await fetch(`${svc.url}/models/load`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ path }) });
      expect(res.status, await res.text()).toBe(201);
    }
  });
  afterAll(() => svc?.stop());

  it('answers server live, ready and metadata, naming the binary extension', async () => {
    expect(await get('/health/live')).toEqual({ status: 200, json: { live: true } });
    expect(await get('/health/ready')).toEqual({ status: 200, json: { ready: true } });
    const meta = await get('');
    expect(meta.status).toBe(200);
    expect(meta.json).toMatchObject({ name: expect.any(String), version: expect.any(String), extensions: ['binary_tensor_data'] });
  });

  it('gives model metadata with datatypes and -1 for dynamic dims, and model readiness', async () => {
    expect(await get('/models/digits')).toEqual({
      status: 200,
      json: { name: 'digits', platform: 'onnxruntime_onnx', inputs: [{ name: 'image', datatype: 'FP32', shape: [-1, 1, 28, 28] }], outputs: [{ name: 'probabilities', datatype: 'FP32', shape: [-1, 10] }] },
    });
    expect((await get('/models/mymodel')).json.inputs).toEqual([
      { name: 'input0', datatype: 'UINT32', shape: [2, 2] },
      { name: 'input1', datatype: 'BOOL', shape: [3] },
    ]);
    expect(await get('/models/digits/ready')).toEqual({ status: 200, json: { name: 'digits', ready: true } });
    expect(await get('/models/nope')).toEqual({ status: 404, json: { error: expect.stringMatching(/nope/) } });
    expect(await get('/models/nope/ready')).toEqual({ status: 404, json: { error: expect.stringMatching(/nope/) } });
  });

  it("answers the specification's JSON inference example with its response", async () => {
    // The specification's example sends one value for input1's three; a full one is sent here,
    // and the example as written is refused below with the count it lacks.
    const res = await v2Post(url('/models/mymodel/infer'), {
      id: '42',
      inputs: [
        { name: 'input0', shape: [2, 2], datatype: 'UINT32', data: [1, 2, 3, 4] },
        { name: 'input1', shape: [3], datatype: 'BOOL', data: [true, true, true] },
      ],
      outputs: [{ name: 'output0' }],
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.json).toEqual({ model_name: 'mymodel', id: '42', outputs: [{ name: 'output0', shape: [3, 2], datatype: 'FP32', data: EXAMPLE_OUTPUT0.map(Math.fround) }] });
    const literal = await v2Post(url('/models/mymodel/infer'), { id: '42', inputs: [{ name: 'input0', shape: [2, 2], datatype: 'UINT32', data: [1, 2, 3, 4] }, { name: 'input1', shape: [3], datatype: 'BOOL', data: [true] }] });
    expect(literal).toMatchObject({ status: 400, json: { error: 'Input "input1" has 1 values, but shape [3] needs 3.' } });
  });

  it("answers the binary extension's example: 19 bytes in, 24 bytes of FP32 out", async () => {
    const res = await v2Post(
      url('/models/mymodel/infer'),
      {
        model_name: 'mymodel',
        inputs: [
          { name: 'input0', shape: [2, 2], datatype: 'UINT32', parameters: { binary_data_size: 16 } },
          { name: 'input1', shape: [3], datatype: 'BOOL', parameters: { binary_data_size: 3 } },
        ],
        outputs: [{ name: 'output0', parameters: { binary_data: true } }],
      },
      [Buffer.from(Uint32Array.from([1, 2, 3, 4]).buffer), Buffer.from([1, 1, 1])],
    );
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.json).toEqual({ model_name: 'mymodel', outputs: [{ name: 'output0', shape: [3, 2], datatype: 'FP32', parameters: { binary_data_size: 24 } }] });
    expect(res.binary.length).toBe(24);
    expect([...new Float32Array(new Uint8Array(res.binary).buffer)]).toEqual(EXAMPLE_OUTPUT0.map(Math.fround));
  });

  it('returns only the outputs asked for, binary_data_output for all of them, and every output when none is named', async () => {
    const inputs = [
      { name: 'input0', shape: [2, 2], datatype: 'UINT32', data: [[5, 6], [7, 8]] },
      { name: 'input1', shape: [3], datatype: 'BOOL', data: [true, false, true] },
    ];
    const all = await v2Post(url('/models/mymodel/infer'), { inputs });
    expect(all.json.outputs.map((o: { name: string }) => o.name)).toEqual(['output0', 'output1']);
    expect(all.json.outputs[1]).toEqual({ name: 'output1', shape: [2, 2], datatype: 'FP32', data: [5, 6, 7, 8] });
    const binary = await v2Post(url('/models/mymodel/infer'), { inputs, parameters: { binary_data_output: true }, outputs: [{ name: 'output1' }] });
    expect(binary.json.outputs).toEqual([{ name: 'output1', shape: [2, 2], datatype: 'FP32', parameters: { binary_data_size: 16 } }]);
    expect([...new Float32Array(new Uint8Array(binaryOutputs(binary).output1!).buffer)]).toEqual([5, 6, 7, 8]);
  });

  it.each([
    ['an unknown model', '/models/nope/infer', { inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: [1] }] }, [], 404, /nope/],
    ['a datatype other than the model\'s', '/models/mymodel/infer', { inputs: [{ name: 'input0', shape: [2, 2], datatype: 'INT32', data: [1, 2, 3, 4] }, { name: 'input1', shape: [3], datatype: 'BOOL', data: [1, 1, 1] }] }, [], 400, /^Input "input0" is UINT32 in model "mymodel", but the request says INT32\.$/],
    ['a missing input', '/models/mymodel/infer', { inputs: [{ name: 'input0', shape: [2, 2], datatype: 'UINT32', data: [1, 2, 3, 4] }] }, [], 400, /needs input "input1" as well/],
    ['an unknown input', '/models/mymodel/infer', { inputs: [{ name: 'inputX', shape: [1], datatype: 'FP32', data: [1] }] }, [], 400, /has no input "inputX"; its inputs are input0, input1/],
    ['an unknown input named as an object property', '/models/mymodel/infer', { inputs: [{ name: 'constructor', shape: [1], datatype: 'FP32', data: [1] }] }, [], 400, /has no input "constructor"; its inputs are input0, input1/],
    ['an unknown output', '/models/mymodel/infer', { inputs: [{ name: 'input0', shape: [2, 2], datatype: 'UINT32', data: [1, 2, 3, 4] }, { name: 'input1', shape: [3], datatype: 'BOOL', data: [1, 1, 1] }], outputs: [{ name: 'output9' }] }, [], 400, /no output "output9"; its outputs are output0, output1/],
    ['a shape the model cannot take', '/models/mymodel/infer', { inputs: [{ name: 'input0', shape: [4], datatype: 'UINT32', data: [1, 2, 3, 4] }, { name: 'input1', shape: [3], datatype: 'BOOL', data: [1, 1, 1] }] }, [], 400, /Input "input0" has dims \[4\] \(rank 1\), but the model's input "input0" expects \[2, 2\]/],
    ['no inputs', '/models/mymodel/infer', { inputs: [] }, [], 400, /inputs: Too small/i],
    ['a binary size larger than the body', '/models/mymodel/infer', { inputs: [{ name: 'input0', shape: [2, 2], datatype: 'UINT32', parameters: { binary_data_size: 16 } }, { name: 'input1', shape: [3], datatype: 'BOOL', parameters: { binary_data_size: 3 } }] }, [Buffer.alloc(16)], 400, /binary_data_size 3, but only 0 bytes of binary data are left/],
    ['a binary size wrong for the datatype', '/models/mymodel/infer', { inputs: [{ name: 'input0', shape: [2, 2], datatype: 'UINT32', parameters: { binary_data_size: 8 } }, { name: 'input1', shape: [3], datatype: 'BOOL', parameters: { binary_data_size: 3 } }] }, [Buffer.alloc(11)], 400, /has 8 bytes, but dims \[2, 2\] of uint32 need 16/],
    ['binary bytes no input accounts for', '/models/mymodel/infer', { inputs: [{ name: 'input0', shape: [2, 2], datatype: 'UINT32', parameters: { binary_data_size: 16 } }, { name: 'input1', shape: [3], datatype: 'BOOL', parameters: { binary_data_size: 3 } }] }, [Buffer.alloc(16), Buffer.from([1, 1, 1, 9])], 400, /1 bytes of binary data that no input's binary_data_size accounts for/],
  ])('refuses %s with the protocol\'s error body', async (_what, path, header, tensors, status, message) => {
    const res = await v2Post(url(path), header, tensors as Buffer[]);
    expect(res.status).toBe(status);
    expect(Object.keys(res.json)).toEqual(['error']);
    expect(res.json.error).toMatch(message);
  });

  it('refuses a header length beyond the body, or not a number, and a header that is not JSON', async () => {
    const post = (body: Buffer, length: string) => fetch(url('/models/mymodel/infer'), { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'inference-header-content-length': length }, body }).then(splitAnswer);
    expect(await post(Buffer.from('{"inputs":[]}'), '400')).toMatchObject({ status: 400, json: { error: 'The inference-header-content-length header says the JSON is 400 bytes, but the body has only 13.' } });
    expect(await post(Buffer.from('{"inputs":[]}'), 'ten')).toMatchObject({ status: 400, json: { error: expect.stringMatching(/must be a whole number of bytes/) } });
    expect(await post(Buffer.from('{"inputs":'), '10')).toMatchObject({ status: 400, json: { error: expect.stringMatching(/^The inference header is not valid JSON/) } });
  });

  it('answers a route the protocol does not have with its error body', async () => {
    expect(await get('/models/digits/versions/1/stats')).toEqual({ status: 404, json: { error: expect.stringMatching(/no GET \/v2\/models\/digits\/versions\/1\/stats/) } });
  });
});

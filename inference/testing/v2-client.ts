import { encodeModel } from '../demo-models/onnx-graph';
import { ELEMENT_TYPES } from '../tensors/element-types';
import { HEADER_LENGTH } from '../v2/binary-body';

/**
 * A test's client of the Open Inference Protocol: JSON requests, and binary ones built as the
 * binary tensor data extension writes them (JSON header, then each tensor's bytes, its length in
 * Inference-Header-Content-Length), with the answer split back the same way.
 */

export interface V2Answer {
  status: number;
  headers: Headers;
  json: any;
  /** The bytes after the JSON header of a binary answer (empty for a JSON one). */
  binary: Buffer;
}

export async function v2Post(url: string, header: unknown, tensors: Uint8Array[] = [], extraHeaders: Record<string, string> = {}): Promise<V2Answer> {
  const json = Buffer.from(JSON.stringify(header));
  const binary = tensors.length > 0;
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': binary ? 'application/octet-stream' : 'application/json',
      ...(binary ? { [HEADER_LENGTH]: String(json.length) } : {}),
      ...extraHeaders,
    },
    body: Buffer.concat([json, ...tensors]),
  });
  return splitAnswer(res);
}

export async function splitAnswer(res: Response): Promise<V2Answer> {
  const body = Buffer.from(await res.arrayBuffer());
  const length = res.headers.get(HEADER_LENGTH);
  const jsonEnd = length === null ? body.length : Number(length);
  return { status: res.status, headers: res.headers, json: JSON.parse(body.subarray(0, jsonEnd).toString('utf8')), binary: body.subarray(jsonEnd) };
}

/** Each binary output's bytes, in the order of the answer's outputs. */
export function binaryOutputs(answer: V2Answer): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  let offset = 0;
  for (const o of answer.json.outputs as { name: string; parameters?: { binary_data_size?: number } }[]) {
    const size = o.parameters?.binary_data_size;
    if (size === undefined) continue;
    out[o.name] = answer.binary.subarray(offset, offset + size);
    offset += size;
  }
  return out;
}

/**
 * The model of the protocol's own inference examples: input0 UINT32 [2, 2] and input1 BOOL [3];
 * output0 FP32 [3, 2], which is [[1.0, 1.1], [2.0, 2.1], [3.0, 3.1]] where input1 is all true (the
 * examples' answer), and output1, input0 as floats, which the examples do not ask for.
 */
export const protocolExampleModel = () =>
  encodeModel({
    name: 'mymodel',
    docString: "The Open Inference Protocol's example model",
    inputs: [
      { name: 'input0', shape: [2, 2], type: 'uint32' },
      { name: 'input1', shape: [3], type: 'bool' },
    ],
    outputs: [
      { name: 'output0', shape: [3, 2] },
      { name: 'output1', shape: [2, 2] },
    ],
    initializers: [
      { name: 'rows', dims: [2, 3], values: new Float32Array([1, 2, 3, 1.1, 2.1, 3.1]) },
      { name: 'zeros', dims: [2, 3], values: new Float32Array(6) },
    ],
    nodes: [
      // input1 [3] broadcasts over the rows of [2, 3]; the transpose gives the examples' [3, 2].
      { op: 'Where', inputs: ['input1', 'rows', 'zeros'], output: 'picked' },
      { op: 'Transpose', inputs: ['picked'], output: 'output0', attributes: { perm: [1, 0] } },
      { op: 'Cast', inputs: ['input0'], output: 'output1', attributes: { to: ELEMENT_TYPES.float32.onnx } },
    ],
  });

import { HEADER_LENGTH } from '../v2/binary-body';

/** One POST the bench times: path, body and headers as sent. */
export interface BenchRequest {
  path: string;
  body: Buffer;
  headers: Record<string, string>;
}

export const TENSOR_PATHS = ['seed JSON', 'seed raw body', 'v2 binary'] as const;
export type TensorPath = (typeof TENSOR_PATHS)[number];

/** A single-input FP32 model, the input it is fed and the output asked for. */
export interface TensorModel {
  model: string;
  input: string;
  output: string;
  dims: number[];
  values: Float32Array;
}

const octetStream = { 'content-type': 'application/octet-stream' };

/**
 * The same FP32 tensor as each path takes it: the seed's /predict with the tensor as JSON, the
 * seed's /predict with its raw little-endian bytes (dims in the query), and the Open Inference
 * Protocol's /infer with the binary tensor data extension, input and output as binary data.
 */
export function tensorRequests({ model, input, output, dims, values }: TensorModel): Record<TensorPath, BenchRequest> {
  const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  const json = { model_name: model, inputs: { [input]: { dims, data: Array.from(values) } } };
  const header = Buffer.from(
    JSON.stringify({
      inputs: [{ name: input, shape: dims, datatype: 'FP32', parameters: { binary_data_size: bytes.length } }],
      outputs: [{ name: output, parameters: { binary_data: true } }],
    }),
  );
  return {
    'seed JSON': { path: '/predict', body: Buffer.from(JSON.stringify(json)), headers: { 'content-type': 'application/json' } },
    'seed raw body': { path: `/predict?model_name=${model}&dims=${dims.join(',')}`, body: bytes, headers: octetStream },
    'v2 binary': { path: `/v2/models/${model}/infer`, body: Buffer.concat([header, bytes]), headers: { ...octetStream, [HEADER_LENGTH]: String(header.length) } },
  };
}

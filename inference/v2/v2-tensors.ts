import type * as ort from 'onnxruntime-node';
import type { LoadedModel } from '../model-registry';
import { bytesToTensor, tensorToBytes } from '../tensors/binary';
import { flattenNested, valuesToTensor } from '../tensors/json-decode';
import { tensorDataToJson } from '../tensors/json-encode';
import { checkDims, dimsText } from '../tensors/shapes';
import { inputElementType, outputElementType } from '../tensors/tensor-data';
import type { BinaryCursor } from './binary-body';
import { V2Error } from './v2-error';
import type { RequestInput, ResponseOutput } from './v2-schemas';

/** `binary_data_size` of a request input, when it comes as binary data. */
function binarySize(input: RequestInput): number | undefined {
  const size = input.parameters?.binary_data_size;
  if (size === undefined) return undefined;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) throw new V2Error(`Input "${input.name}": binary_data_size must be a whole number of bytes, not ${JSON.stringify(size)}.`);
  return size;
}

/**
 * One request input as the model's tensor: its datatype must be the model's (the protocol does
 * not convert), its shape fit the model's, its data given as JSON or as the next binary tensor.
 */
export function requestTensor(model: LoadedModel, input: RequestInput, binary: BinaryCursor): ort.Tensor {
  const spec = model.inputs.find((i) => i.name === input.name);
  if (!spec) throw new V2Error(`Model "${model.name}" has no input "${input.name}"; its inputs are ${model.inputs.map((i) => i.name).join(', ')}.`);
  const type = inputElementType(spec);
  if (input.datatype !== type.v2) throw new V2Error(`Input "${input.name}" is ${type.v2} in model "${model.name}", but the request says ${input.datatype}.`);
  const label = `Input "${input.name}"`;
  const count = checkDims(spec, input.shape, label);
  const size = binarySize(input);
  if (size !== undefined) {
    if (input.data !== undefined) throw new V2Error(`${label} has both data and binary_data_size; send one.`);
    return bytesToTensor(type, binary.take(size, input.name), input.shape, label);
  }
  if (input.data === undefined) throw new V2Error(`${label} has neither data nor a binary_data_size parameter.`);
  // Nested lists or a flat row-major list: the shape field says the shape, the data only the values.
  const { data } = flattenNested(input.data, `${label} data`, Math.max(32, input.shape.length + 1));
  if (data.length !== count) throw new V2Error(`${label} has ${data.length} values, but shape ${dimsText(input.shape)} needs ${count}.`);
  return valuesToTensor(type, data, input.shape, label);
}

/** One output for the response: as JSON data, or as binary data appended after the JSON. */
export function responseOutput(name: string, tensor: ort.Tensor, binary: boolean): { output: ResponseOutput; bytes: Uint8Array | null } {
  const head = { name, shape: [...tensor.dims], datatype: outputElementType(name, tensor).v2 };
  if (!binary) return { output: { ...head, data: tensorDataToJson(name, tensor) }, bytes: null };
  const bytes = tensorToBytes(name, tensor);
  return { output: { ...head, parameters: { binary_data_size: bytes.length } }, bytes };
}

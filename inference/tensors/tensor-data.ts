import * as ort from 'onnxruntime-node';
import { InferenceError } from '../inference-errors';
import { elementType, type ElementTypeInfo, type NumericArray } from './element-types';
import { invalidInput } from './invalid-input';
import type { TensorSpec } from './shapes';

/** The element type of a model input; a 400 for what the service cannot build (int4, bfloat16, sequences, maps). */
export function inputElementType(spec: TensorSpec): ElementTypeInfo {
  const info = elementType(spec.type);
  if (!info || info.type !== spec.type) throw invalidInput(`Input "${spec.name}" has type ${spec.type}, which this service cannot feed.`);
  return info;
}

/** The element type of a tensor a model answered; a 422 for what the service cannot send. */
export function outputElementType(name: string, tensor: ort.Tensor): ElementTypeInfo {
  const info = elementType(tensor.type);
  if (!info || info.type !== tensor.type) throw new InferenceError('UNSUPPORTED_OUTPUT', `The model's output "${name}" has type ${tensor.type}, which this service cannot send.`, 422);
  return info;
}

export function makeTensor(info: ElementTypeInfo, values: NumericArray | string[], dims: readonly number[]): ort.Tensor {
  return new ort.Tensor(info.type, values as Float32Array, dims);
}

/** A numeric tensor's values as bytes, in place (little-endian, as on every platform Node ships for). */
export function bytesOf(values: NumericArray): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/**
 * Why onnxruntime-node would not carry a string exactly, if so: it cuts a string at a NUL and
 * writes an unpaired surrogate as U+FFFD (both measured with onnxruntime-node 1.30).
 */
export function stringRefusal(text: string): string | undefined {
  if (text.includes('\0')) return 'holds a NUL character, where onnxruntime cuts strings';
  if (/\p{Cs}/u.test(text)) return 'holds an unpaired UTF-16 surrogate, which UTF-8 cannot carry';
  return undefined;
}

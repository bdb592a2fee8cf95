import type * as ort from 'onnxruntime-node';
import { InferenceError } from '../inference-errors';
import { halfToNumber } from './float16';
import { outputElementType } from './tensor-data';

/**
 * ort.Tensor -> JSON, exactly. int64 and uint64 come out as numbers while every value of the
 * tensor is a safe integer (|v| <= 2^53 - 1), and otherwise every value as a decimal string
 * ("1152921504606846977"): JSON numbers past 2^53 lose digits in most parsers, and one type per
 * tensor keeps clients simple. float16 comes out as the numbers its bits stand for, bool as
 * true/false. JSON has no NaN or infinity, so an output holding them is refused; and JSON writers
 * print -0 as 0, the one float value JSON does not carry.
 */

export type JsonTensorData = number[] | string[] | boolean[];

export interface OutputTensorJson {
  dims: number[];
  type: string;
  data: JsonTensorData;
}

const SAFE_MIN = BigInt(Number.MIN_SAFE_INTEGER);
const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER);

function bigintsToJson(values: BigInt64Array | BigUint64Array): number[] | string[] {
  const safe = values.every((v) => v >= SAFE_MIN && v <= SAFE_MAX);
  return safe ? Array.from(values, Number) : Array.from(values, String);
}

function finiteNumbers(name: string, numbers: number[]): number[] {
  if (!numbers.every(Number.isFinite)) {
    throw new InferenceError('NON_FINITE_OUTPUT', `The model's output "${name}" holds NaN or infinite values for this input (values too large for its arithmetic?).`, 422);
  }
  return numbers;
}

/** One output's values as JSON; `name` is for the error when they cannot be sent. */
export function tensorDataToJson(name: string, tensor: ort.Tensor): JsonTensorData {
  const info = outputElementType(name, tensor);
  const data = tensor.data as ArrayLike<number>;
  switch (info.kind) {
    case 'string':
      return [...(tensor.data as string[])];
    case 'bool':
      return Array.from(data, (v) => v !== 0);
    case 'bigint':
      return bigintsToJson(tensor.data as BigInt64Array | BigUint64Array);
    case 'int':
      return Array.from(data);
    case 'float':
      if (info.type !== 'float16') return finiteNumbers(name, Array.from(data));
      // Read as bits whether onnxruntime gave a Uint16Array (Node 20) or a Float16Array (where one exists).
      return finiteNumbers(name, Array.from(new Uint16Array((data as Uint16Array).buffer, (data as Uint16Array).byteOffset, data.length), halfToNumber));
  }
}

export function tensorToJson(name: string, tensor: ort.Tensor): OutputTensorJson {
  return { dims: [...tensor.dims], type: tensor.type, data: tensorDataToJson(name, tensor) };
}

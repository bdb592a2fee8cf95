import type * as ort from 'onnxruntime-node';
import { elementType, type ElementTypeInfo } from './element-types';
import { halfBits, isFiniteHalf } from './float16';
import { invalidInput } from './invalid-input';
import { checkDims, dimsText, MAX_RANK, type TensorSpec } from './shapes';
import { inputElementType, makeTensor, stringRefusal } from './tensor-data';

/**
 * JSON -> ort.Tensor. Floats and the small ints take numbers (a float must round to a finite
 * value of its type); int64 and uint64 take safe-integer numbers and, for their whole range,
 * decimal strings ("1152921504606846977"), since JSON numbers past 2^53 lose digits on the way;
 * bool takes true/false or 0/1; string takes strings.
 */

export interface TensorJson {
  dims: number[];
  data: unknown[];
  type?: string;
}

class Refusal {
  constructor(readonly reason: string) {}
}

type Convert = (value: unknown) => number | bigint | string | Refusal;

const DECIMAL = /^-?\d+$/;
/** More digits than any 64-bit value has, after leading zeros: out of range without parsing. */
const MAX_DIGITS = 20;

function bigintOf(value: unknown, info: ElementTypeInfo): bigint | Refusal {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return new Refusal('is not an integer');
    if (!Number.isSafeInteger(value)) return new Refusal('is beyond 2^53, where JSON numbers lose digits; send it as a decimal string');
    return BigInt(value);
  }
  if (typeof value !== 'string') return new Refusal('is not an integer or a decimal string');
  if (!DECIMAL.test(value)) return new Refusal('is not a decimal integer string');
  return value.replace(/^-?0*/, '').length > MAX_DIGITS ? new Refusal(outOfRange(info)) : BigInt(value);
}

function outOfRange(info: ElementTypeInfo): string {
  const [min, max] = info.range!;
  return info.kind === 'float' ? `is out of range for ${info.type} (±${max})` : `is out of range for ${info.type} (${min} to ${max})`;
}

function converter(info: ElementTypeInfo): Convert {
  const [min, max] = info.range ?? [0, 0];
  const inRange = (v: number | bigint) => v >= min && v <= max;
  switch (info.kind) {
    case 'float': {
      const rounded = info.type === 'float16' ? halfBits : info.type === 'float32' ? Math.fround : (v: number) => v;
      const finite = info.type === 'float16' ? isFiniteHalf : Number.isFinite;
      return (v) => {
        if (typeof v !== 'number' || !Number.isFinite(v)) return new Refusal('is not a finite number');
        const stored = rounded(v);
        return finite(stored) ? stored : new Refusal(outOfRange(info));
      };
    }
    case 'int':
      return (v) => {
        if (typeof v !== 'number') return new Refusal('is not a number');
        if (!Number.isInteger(v)) return new Refusal('is not an integer');
        return inRange(v) ? v : new Refusal(outOfRange(info));
      };
    case 'bigint':
      return (v) => {
        const n = bigintOf(v, info);
        return n instanceof Refusal || inRange(n) ? n : new Refusal(outOfRange(info));
      };
    case 'bool':
      return (v) => (v === true || v === 1 ? 1 : v === false || v === 0 ? 0 : new Refusal('is not a bool (true, false, 0 or 1)'));
    case 'string':
      return (v) => {
        if (typeof v !== 'string') return new Refusal('is not a string');
        const reason = stringRefusal(v);
        return reason ? new Refusal(reason) : v;
      };
  }
}

const shown = (value: unknown) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
};

/** Flat JSON values as a tensor of `info`'s type; dims are the caller's to have checked. For the v2 routes too. */
export function valuesToTensor(info: ElementTypeInfo, data: readonly unknown[], dims: readonly number[], label: string): ort.Tensor {
  const convert = converter(info);
  const values = info.array ? new info.array(data.length) : new Array<string>(data.length);
  for (let i = 0; i < data.length; i++) {
    const value = convert(data[i]);
    if (value instanceof Refusal) throw invalidInput(`${label} value ${i} (${shown(data[i])}) ${value.reason}.`);
    values[i] = value as never;
  }
  return makeTensor(info, values, dims);
}

/** A nested array as dims and flat values; a bare value is a scalar (dims []), an empty array has dims [0]. */
export function flattenNested(value: unknown, label: string, maxRank = MAX_RANK, depth = 0): { dims: number[]; data: unknown[] } {
  if (!Array.isArray(value)) return { dims: [], data: [value] };
  if (depth >= maxRank) throw invalidInput(`${label} is nested deeper than ${maxRank} levels.`);
  if (value.length === 0) return { dims: [0], data: [] };
  const parts = value.map((v, i) => flattenNested(v, `${label}[${i}]`, maxRank, depth + 1));
  const inner = parts[0]!.dims;
  for (const [i, p] of parts.entries()) {
    if (p.dims.length !== inner.length || p.dims.some((d, k) => d !== inner[k])) throw invalidInput(`${label}[${i}] is ragged: every row must have the same shape.`);
  }
  return { dims: [value.length, ...inner], data: parts.flatMap((p) => p.data) };
}

function fromTensorJson(spec: TensorSpec, value: Partial<TensorJson>, label: string): { dims: number[]; data: unknown[] } {
  const { dims, data, type } = value;
  if (!Array.isArray(dims)) throw invalidInput(`${label}.dims must be a list of non-negative integers ([] for a scalar).`);
  if (!Array.isArray(data)) throw invalidInput(`${label}.data must be a list of values.`);
  if (type !== undefined && elementType(String(type))?.type !== spec.type) throw invalidInput(`${label} is declared ${type}, but the model's input "${spec.name}" is ${spec.type}.`);
  return { dims, data };
}

/**
 * A model input from JSON: `{dims, data[, type]}` with flat data, a nested array, or a bare value
 * (a scalar). `type` may be the onnxruntime name or the v2 datatype (int64 or INT64).
 */
export function jsonToTensor(spec: TensorSpec, value: unknown, label: string): ort.Tensor {
  const info = inputElementType(spec);
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  const { dims, data } = isObject ? fromTensorJson(spec, value, label) : flattenNested(value, label, Math.max(MAX_RANK, spec.shape.length));
  const count = checkDims(spec, dims, label);
  if (count !== data.length) throw invalidInput(`${label} has ${data.length} values, but dims ${dimsText(dims)} need ${count}.`);
  return valuesToTensor(info, data, dims, label);
}

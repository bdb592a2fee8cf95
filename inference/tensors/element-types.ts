/**
 * The tensor element types the service carries, in one table: their onnxruntime names, their
 * Open Inference Protocol (KServe v2) datatypes, ONNX TensorProto codes, typed arrays, sizes and
 * value ranges. Every conversion (JSON, binary, test models) reads it, so a type is added here once.
 */

export type NumericArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array;

export interface NumericArrayConstructor {
  new (length: number): NumericArray;
  readonly BYTES_PER_ELEMENT: number;
}

/** How a value is written in JSON: float and int as numbers, bigint as safe numbers or decimal strings. */
export type ValueKind = 'float' | 'int' | 'bigint' | 'bool' | 'string';

export interface ElementTypeInfo {
  /** onnxruntime's name, as in a session's metadata and ort.Tensor#type. */
  type: ElementType;
  v2: V2Datatype;
  /** ONNX TensorProto.DataType. */
  onnx: number;
  kind: ValueKind;
  /** float16 values are their half-precision bits in a Uint16Array (what onnxruntime-node 1.30 takes on Node 20). */
  array: NumericArrayConstructor | null;
  /** Bytes per element; strings have no fixed size. */
  bytes: number | null;
  /** Smallest and largest value (floats: largest finite magnitude); strings have none. */
  range: readonly [number, number] | readonly [bigint, bigint] | null;
}

const FLOAT32_MAX = 3.4028234663852886e38;
const FLOAT16_MAX = 65504;

const TABLE = {
  float32: { v2: 'FP32', onnx: 1, kind: 'float', array: Float32Array, range: [-FLOAT32_MAX, FLOAT32_MAX] },
  float16: { v2: 'FP16', onnx: 10, kind: 'float', array: Uint16Array, range: [-FLOAT16_MAX, FLOAT16_MAX] },
  float64: { v2: 'FP64', onnx: 11, kind: 'float', array: Float64Array, range: [-Number.MAX_VALUE, Number.MAX_VALUE] },
  int8: { v2: 'INT8', onnx: 3, kind: 'int', array: Int8Array, range: [-(2 ** 7), 2 ** 7 - 1] },
  int16: { v2: 'INT16', onnx: 5, kind: 'int', array: Int16Array, range: [-(2 ** 15), 2 ** 15 - 1] },
  int32: { v2: 'INT32', onnx: 6, kind: 'int', array: Int32Array, range: [-(2 ** 31), 2 ** 31 - 1] },
  int64: { v2: 'INT64', onnx: 7, kind: 'bigint', array: BigInt64Array, range: [-(2n ** 63n), 2n ** 63n - 1n] },
  uint8: { v2: 'UINT8', onnx: 2, kind: 'int', array: Uint8Array, range: [0, 2 ** 8 - 1] },
  uint16: { v2: 'UINT16', onnx: 4, kind: 'int', array: Uint16Array, range: [0, 2 ** 16 - 1] },
  uint32: { v2: 'UINT32', onnx: 12, kind: 'int', array: Uint32Array, range: [0, 2 ** 32 - 1] },
  uint64: { v2: 'UINT64', onnx: 13, kind: 'bigint', array: BigUint64Array, range: [0n, 2n ** 64n - 1n] },
  bool: { v2: 'BOOL', onnx: 9, kind: 'bool', array: Uint8Array, range: [0, 1] },
  string: { v2: 'BYTES', onnx: 8, kind: 'string', array: null, range: null },
} as const;

export type ElementType = keyof typeof TABLE;
export type V2Datatype = (typeof TABLE)[ElementType]['v2'];

export const ELEMENT_TYPES: Readonly<Record<ElementType, ElementTypeInfo>> = Object.fromEntries(
  Object.entries(TABLE).map(([type, row]) => [type, { type, ...row, bytes: row.array?.BYTES_PER_ELEMENT ?? null }]),
) as Record<ElementType, ElementTypeInfo>;

export const ELEMENT_TYPE_NAMES = Object.keys(TABLE) as ElementType[];

/** The row for an onnxruntime type name ('int64') or a v2 datatype ('INT64'); undefined for others (int4, bfloat16, non-tensors). */
export function elementType(name: string): ElementTypeInfo | undefined {
  return Object.hasOwn(TABLE, name) ? ELEMENT_TYPES[name as ElementType] : Object.values(ELEMENT_TYPES).find((t) => t.v2 === name);
}

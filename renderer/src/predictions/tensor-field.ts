import { DYNAMIC_DIM, shapeText, type TensorInfo, type TensorJson } from '../../../electron/api/inference-contract';

/**
 * One model input as the user types it: its values as JSON (nested or flat, a bare value for a
 * scalar) and, where the model leaves dims dynamic, its dims. Checked here as the service would
 * check them, so a mistake shows beside its field while typing rather than after a round trip.
 */

export interface FieldText {
  values: string;
  dims: string;
}

export type FieldCheck = { ok: true; tensor: TensorJson } | { ok: false; part: keyof FieldText; message: string };

export const hasDynamicDims = (info: TensorInfo) => info.shape.includes(DYNAMIC_DIM);

/** The model's shape with 1 for each dynamic dim: a size that always fits, for the user to change. */
export const initialField = (info: TensorInfo): FieldText => ({ values: '', dims: info.shape.map((d) => (d === DYNAMIC_DIM ? 1 : d)).join(', ') });

const count = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);
const dimsText = (dims: readonly number[]) => shapeText(dims, []);

/** `1, 3` or `[1, 3]` as dims the model accepts: its rank, and its size wherever it fixes one. */
export function parseDims(info: TensorInfo, text: string): number[] | string {
  const parts = text.trim().replace(/^\[|\]$/g, '').split(/[\s,]+/).filter(Boolean);
  const shape = shapeText(info.shape, info.dim_names);
  if (parts.length !== info.shape.length) return `Give ${info.shape.length} dims, one per dim of ${shape}.`;
  const bad = parts.find((p) => !/^\d{1,9}$/.test(p));
  if (bad !== undefined) return `"${bad}" is not a size: dims are whole numbers, 0 or more.`;
  const dims = parts.map(Number);
  const fixed = info.shape.findIndex((d, i) => d !== DYNAMIC_DIM && d !== dims[i]);
  return fixed < 0 ? dims : `Dim ${fixed + 1} is fixed at ${info.shape[fixed]} by the model ${shape}.`;
}

/** A nested array's dims and its values row-major; null where the rows differ in shape. */
export function flatten(value: unknown): { dims: number[]; data: unknown[] } | null {
  if (!Array.isArray(value)) return { dims: [], data: [value] };
  if (value.length === 0) return { dims: [0], data: [] };
  const rows = value.map(flatten);
  const inner = rows[0]?.dims;
  if (!inner || rows.some((r) => !r || r.dims.join() !== inner.join())) return null;
  return { dims: [value.length, ...inner], data: rows.flatMap((r) => r!.data) };
}

const INT_RANGES: Record<string, readonly [number, number]> = {
  int8: [-(2 ** 7), 2 ** 7 - 1],
  int16: [-(2 ** 15), 2 ** 15 - 1],
  int32: [-(2 ** 31), 2 ** 31 - 1],
  uint8: [0, 2 ** 8 - 1],
  uint16: [0, 2 ** 16 - 1],
  uint32: [0, 2 ** 32 - 1],
};
const BIGINT_RANGES: Record<string, readonly [bigint, bigint]> = { int64: [-(2n ** 63n), 2n ** 63n - 1n], uint64: [0n, 2n ** 64n - 1n] };
/** Whether a number stays finite once stored in the type (float16 rounds to infinity from 65520). */
const FLOAT_FITS: Record<string, (v: number) => boolean> = {
  float16: (v) => Math.abs(v) < 65520,
  float32: (v) => Number.isFinite(Math.fround(v)),
  float64: Number.isFinite,
};

/** A value of the type as it is typed in JSON, for a field's placeholder. */
export const exampleValue = (type: string) => (type === 'string' ? '"text"' : type === 'bool' ? 'true' : FLOAT_FITS[type] ? '0.5' : '1');

const outOfRange = (type: string, [min, max]: readonly [number | bigint, number | bigint]) => `is out of range for ${type} (${min} to ${max})`;

function bigintReason(type: string, v: unknown): string | null {
  if (typeof v === 'number' && !Number.isInteger(v)) return 'is not an integer';
  if (typeof v === 'number' && !Number.isSafeInteger(v)) return 'is beyond 2^53, where JSON numbers lose digits: write it in quotes, as a decimal string';
  if (typeof v === 'string' && !/^-?\d{1,40}$/.test(v)) return 'is not a decimal integer string';
  if (typeof v !== 'number' && typeof v !== 'string') return 'is not an integer';
  const [min, max] = BIGINT_RANGES[type]!;
  const n = BigInt(v);
  return n < min || n > max ? outOfRange(type, [min, max]) : null;
}

/** Why a value does not fit an element type, or null when it does (for a type the page does not know, any JSON scalar: the service decides). */
export function valueReason(type: string, v: unknown): string | null {
  if (FLOAT_FITS[type]) return typeof v !== 'number' ? 'is not a number' : FLOAT_FITS[type](v) ? null : `is out of range for ${type}`;
  const range = INT_RANGES[type];
  if (range) {
    if (typeof v !== 'number' || !Number.isInteger(v)) return 'is not an integer';
    return v < range[0] || v > range[1] ? outOfRange(type, range) : null;
  }
  if (BIGINT_RANGES[type]) return bigintReason(type, v);
  if (type === 'bool') return [true, false, 0, 1].includes(v as never) ? null : 'is not a bool (true, false, 0 or 1)';
  if (type === 'string') return typeof v === 'string' ? null : 'is not a string (in double quotes)';
  return ['number', 'string', 'boolean'].includes(typeof v) ? null : 'is not a number, string or bool';
}

/** A value in a message: short, as JSON. */
const shown = (v: unknown) => {
  const text = JSON.stringify(v);
  return text.length > 24 ? `${text.slice(0, 21)}...` : text;
};

/** Values (and dims) as the tensor the service takes, or the first thing wrong with them and where. */
export function checkField(info: TensorInfo, text: FieldText): FieldCheck {
  const dims = hasDynamicDims(info) ? parseDims(info, text.dims) : info.shape;
  if (typeof dims === 'string') return { ok: false, part: 'dims', message: dims };
  const fail = (message: string): FieldCheck => ({ ok: false, part: 'values', message });
  const need = count(dims);
  if (text.values.trim() === '') return fail(dims.length === 0 ? 'Type a single value.' : `Type ${need} value${need === 1 ? '' : 's'} as a JSON array.`);
  let value: unknown;
  try {
    value = JSON.parse(text.values);
  } catch (err) {
    return fail(`Not JSON: ${(err as Error).message}${info.type === 'string' ? ' (strings go in double quotes)' : ''}.`);
  }
  if (dims.length === 0 && Array.isArray(value)) return fail('A scalar takes a single value, not an array.');
  if (dims.length > 0 && !Array.isArray(value)) return fail(`Give the values as a JSON array: ${need} for dims ${dimsText(dims)}.`);
  const flat = flatten(value);
  if (!flat) return fail('The array is ragged: every row must have the same shape.');
  if (flat.dims.length > 1 && flat.dims.join() !== dims.join()) return fail(`The values are nested as ${dimsText(flat.dims)}, but the dims are ${dimsText(dims)}.`);
  if (flat.data.length !== need) return fail(`${flat.data.length} value${flat.data.length === 1 ? '' : 's'}, but dims ${dimsText(dims)} need ${need}.`);
  for (const [i, v] of flat.data.entries()) {
    const reason = valueReason(info.type, v);
    if (reason) return fail(`Value ${i + 1} (${shown(v)}) ${reason}.`);
  }
  return { ok: true, tensor: { dims, data: flat.data as TensorJson['data'], type: info.type } };
}

import { shapeText } from '../../../electron/api/inference-contract';

/** How many values of an output the page shows before it cuts the list short. */
export const SHOWN_VALUES = 16;

const FLOAT_TYPES = ['float16', 'float32', 'float64'];

/** `[2, 1, 2]`, or `scalar` for rank 0. */
export const outputDims = (dims: readonly number[]) => (dims.length === 0 ? 'scalar' : shapeText(dims, []));

/** One value as people read it: floats to 6 significant digits, strings quoted, the rest exact. */
export function valueText(type: string, v: number | string | boolean): string {
  if (typeof v === 'string') return type === 'string' ? JSON.stringify(v) : v;
  if (typeof v === 'number' && FLOAT_TYPES.includes(type)) return String(Number(v.toPrecision(6)));
  return String(v);
}

/** An output's values, the first SHOWN_VALUES of a longer one followed by how many there are. */
export function valuesText(t: { type: string; data: readonly (number | string | boolean)[] }): string {
  const shown = t.data.slice(0, SHOWN_VALUES).map((v) => valueText(t.type, v)).join(', ');
  return t.data.length > SHOWN_VALUES ? `${shown}, … (${t.data.length} values)` : shown;
}

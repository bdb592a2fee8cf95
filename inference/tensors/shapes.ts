import { shapeText } from '../api-types';
import { describeShape, type TensorInfo } from '../model-metadata';
import { invalidInput } from './invalid-input';

/** What the tensor layer needs of a model's input or output: model-metadata's TensorInfo (shape -1 where dynamic). */
export type TensorSpec = TensorInfo;

export const MAX_ELEMENTS = 16 * 1024 * 1024;
/** Deeper nesting or longer dims than this (or than the model's own rank) is an error, not a stack overflow. */
export const MAX_RANK = 32;

/** Dims a request sent, as messages print them: `[2, 4, 3]`. */
export const dimsText = (dims: readonly number[]) => shapeText(dims, []);

/** Dims from a query's `dims=1,3,224,224`; empty for a scalar (`dims=`). */
export function parseDims(text: string): number[] {
  return text === '' ? [] : text.split(',').map(Number);
}

/** The element count of dims, checked against the service's limits. */
export function elementCount(dims: readonly unknown[], label: string, maxRank = MAX_RANK): number {
  if (!dims.every((d): d is number => Number.isInteger(d) && (d as number) >= 0)) throw invalidInput(`${label}: dims must be non-negative integers; got ${JSON.stringify(dims)}.`);
  if (dims.length > maxRank) throw invalidInput(`${label} has ${dims.length} dims; at most ${maxRank} are accepted.`);
  const count = dims.reduce((a, b) => a * b, 1);
  if (count > MAX_ELEMENTS) throw invalidInput(`${label} has ${count} elements; at most ${MAX_ELEMENTS} are accepted.`);
  return count;
}

/**
 * Checks dims against a model input as onnxruntime-node 1.30 does before a run, with a clearer
 * message, and answers the element count. Measured: an input declared rank 0 (or without a shape)
 * takes any dims ([1], [2], [1, 1] all run); otherwise the rank must match and fixed dims must
 * equal, while dynamic dims, named or not, take any size, and two dims of one name need not agree.
 */
export function checkDims(spec: TensorSpec, dims: readonly number[], label: string): number {
  const count = elementCount(dims, label, Math.max(MAX_RANK, spec.shape.length));
  const { shape } = spec;
  if (shape.length === 0) return count;
  const expected = `the model's input "${spec.name}" expects ${describeShape(spec)}`;
  if (dims.length !== shape.length) throw invalidInput(`${label} has dims ${dimsText(dims)} (rank ${dims.length}), but ${expected} (rank ${shape.length}).`);
  const wrong = shape.findIndex((d, i) => d >= 0 && dims[i] !== d);
  if (wrong >= 0) throw invalidInput(`${label} has dims ${dimsText(dims)}, but ${expected}: dim ${wrong} must be ${shape[wrong]}.`);
  return count;
}

import * as ort from 'onnxruntime-node';
import type { NumericArray, NumericArrayConstructor } from '../tensors/element-types';

/**
 * Tensors joined and cut along dim 0, for every element type: the values are copied as they are
 * held (float16 as its bits, int64 as bigints, bool as bytes, strings as strings), never converted,
 * so a row comes back out of a batch with the very bits it went in with.
 */

type Values = NumericArray | string[];

/** Tensors of one type whose dims agree after the first, end to end: dim 0 is the sum of theirs. */
export function concatRows(tensors: readonly ort.Tensor[]): ort.Tensor {
  const first = tensors[0]!;
  const dims = [tensors.reduce((rows, t) => rows + t.dims[0]!, 0), ...first.dims.slice(1)];
  if (first.type === 'string') return new ort.Tensor('string', tensors.flatMap((t) => t.data as string[]), dims);
  const TypedArray = (first.data as NumericArray).constructor as NumericArrayConstructor;
  const values = new TypedArray(tensors.reduce((n, t) => n + t.data.length, 0));
  let offset = 0;
  for (const t of tensors) {
    // One typed-array constructor for all, so bigint arrays take bigints and the rest numbers.
    (values as Float32Array).set(t.data as Float32Array, offset);
    offset += t.data.length;
  }
  return new ort.Tensor(first.type, values, dims);
}

/** Rows `start` to `start + count` of a tensor, as a tensor of its own (a copy: the batch's buffer is not kept alive). */
export function sliceRows(tensor: ort.Tensor, start: number, count: number): ort.Tensor {
  const rest = tensor.dims.slice(1);
  const perRow = rest.reduce((a, b) => a * b, 1);
  const values = (tensor.data as Values).slice(start * perRow, (start + count) * perRow);
  return new ort.Tensor(tensor.type, values, [count, ...rest]);
}

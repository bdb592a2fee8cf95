import type * as ort from 'onnxruntime-node';
import type { TensorInfo } from '../model-metadata';
import { concatRows, sliceRows } from './tensor-rows';

export type Feeds = Readonly<Record<string, ort.Tensor>>;
export type Results = ort.InferenceSession.OnnxValueMapType;

/** Where a request may queue: `key` is null where it cannot join others; `rows` is its dim 0. */
export interface BatchPlace {
  key: string | null;
  rows: number;
}

/**
 * Requests join when they feed exactly the model's inputs, each input the same type and the same
 * dims after the first as the others', every input with the same number of rows, and ask for the
 * same outputs. Anything else (a mismatch onnxruntime will refuse, say) runs alone, so its error is
 * the one it gets unbatched.
 */
export function batchPlace(inputs: readonly TensorInfo[], feeds: Feeds, fetches: readonly string[]): BatchPlace {
  const tensors = inputs.map((i) => feeds[i.name]);
  const rows = tensors[0]?.dims[0] ?? 0;
  const joinable = rows > 0 && Object.keys(feeds).length === tensors.length && tensors.every((t) => t?.dims[0] === rows);
  if (!joinable) return { key: null, rows };
  return { key: JSON.stringify([[...fetches].sort(), tensors.map((t) => [t!.type, t!.dims.slice(1)])]), rows };
}

/** The requests' feeds as one, input by input along dim 0, in the requests' order. */
export function joinFeeds(requests: readonly Feeds[]): Record<string, ort.Tensor> {
  return Object.fromEntries(Object.keys(requests[0]!).map((name) => [name, concatRows(requests.map((f) => f[name]!))]));
}

/**
 * Each request's rows of every output, or null where an output's dim 0 is not the batch's rows
 * (a model whose dynamic first dim is not a batch): that batch is not cut, its requests run alone.
 */
export function splitResults(results: Results, rows: readonly number[]): Results[] | null {
  const total = rows.reduce((a, b) => a + b, 0);
  const outputs = Object.entries(results);
  if (outputs.some(([, tensor]) => tensor.dims[0] !== total)) return null;
  let start = 0;
  return rows.map((count) => {
    const part = Object.fromEntries(outputs.map(([name, tensor]) => [name, sliceRows(tensor, start, count)]));
    start += count;
    return part;
  });
}

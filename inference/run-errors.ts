import type * as ort from 'onnxruntime-node';
import { shapeText } from './api-types';
import { cleanOrtMessage, InferenceError, runtimeDetailOf } from './inference-errors';
import { describeShape, type TensorInfo } from './model-metadata';

/**
 * onnxruntime's run failures as sentences a user can act on: which input, the dims sent, the dims
 * the model expects. onnxruntime's own text goes along as `runtime_detail`. Its messages name
 * the input for shape and rank errors only; for the others the input is found from the feeds
 * (the one of the wrong type, the ones holding the sizes or the index it quotes).
 */

type Feeds = Readonly<Record<string, Pick<ort.Tensor, 'dims' | 'type' | 'data'>>>;

/** onnxruntime's element type names (`tensor(float)`) as onnxruntime-node's (`float32`). */
const JS_TYPE: Record<string, string> = { float: 'float32', double: 'float64', float16: 'float16' };
const jsType = (t: string) => JS_TYPE[t] ?? t;

const dimsText = (dims: readonly number[]) => shapeText(dims, []);

function sent(feeds: Feeds, info: TensorInfo): string {
  const feed = feeds[info.name];
  return `"${info.name}" was sent with dims ${feed ? dimsText(feed.dims) : '(none)'}, where the model expects ${describeShape(info)}`;
}

/** The node onnxruntime names in a kernel's failure: `Add node "add_0"`. */
function nodeOf(message: string): string {
  const node = /running (\S+) node\. Name:'([^']*)'/.exec(message);
  if (!node) return "one of the model's nodes";
  return node[2] ? `the model's ${node[1]} node "${node[2]}"` : `the model's ${node[1]} node`;
}

function shapeMismatch(message: string, inputs: readonly TensorInfo[], feeds: Feeds): string | null {
  const dims = /Got invalid dimensions for input: (\S+) for the following indices([\s\S]*?)Please fix/.exec(message);
  if (dims) {
    const info = inputs.find((i) => i.name === dims[1]);
    const which = [...dims[2]!.matchAll(/index: (\d+) Got: (\d+) Expected: (\d+)/g)].map((m) => `dim ${m[1]} is ${m[2]}, not ${m[3]}`);
    return info ? `Input ${sent(feeds, info)}: ${which.join('; ')}.` : null;
  }
  const rank = /Invalid rank for input: (\S+) Got: (\d+) Expected: (\d+)/.exec(message);
  const info = rank && inputs.find((i) => i.name === rank[1]);
  return info ? `Input ${sent(feeds, info)}: rank ${rank[2]}, not ${rank[3]}.` : null;
}

function typeMismatch(message: string, inputs: readonly TensorInfo[], feeds: Feeds): string | null {
  const types = /Unexpected input data type\. Actual: \(tensor\((\w+)\)\) , expected: \(tensor\((\w+)\)\)/.exec(message);
  if (!types) return null;
  const [actual, expected] = [jsType(types[1]!), jsType(types[2]!)];
  const info = inputs.find((i) => feeds[i.name]?.type === actual && i.type === expected);
  const which = info ? `Input "${info.name}" was sent as ${actual} ${dimsText(feeds[info.name]!.dims)}, where the model expects ${expected} ${describeShape(info)}` : `An input was sent as ${actual} where the model expects ${expected}`;
  return `${which}.`;
}

/** Named dynamic dims sent with different sizes: the likely cause of a broadcast failure. */
function disagreeingDims(inputs: readonly TensorInfo[], feeds: Feeds): string[] {
  const sizes = new Map<string, Map<number, string>>();
  for (const info of inputs) {
    info.dimNames.forEach((name, i) => {
      const size = feeds[info.name]?.dims[i];
      if (name === null || size === undefined) return;
      const seen = sizes.get(name) ?? new Map<number, string>();
      if (!seen.has(size)) seen.set(size, info.name);
      sizes.set(name, seen);
    });
  }
  return [...sizes].filter(([, seen]) => seen.size > 1).map(([name, seen]) => `dim "${name}" is ${[...seen].map(([size, input]) => `${size} in "${input}"`).join(' but ')}`);
}

function broadcastMismatch(message: string, inputs: readonly TensorInfo[], feeds: Feeds): string | null {
  const sizes = /Attempting to broadcast an axis by a dimension other than 1\. (\d+) by (\d+)/.exec(message);
  if (!sizes) return null;
  const [a, b] = [Number(sizes[1]), Number(sizes[2])];
  // The inputs that were sent one of the two sizes in a dynamic dim; all dynamic ones otherwise.
  const dynamic = inputs.filter((i) => i.shape.some((d) => d < 0));
  const holding = dynamic.filter((i) => i.shape.some((d, k) => d < 0 && [a, b].includes(feeds[i.name]?.dims[k] ?? NaN)));
  const involved = holding.length > 0 ? holding : dynamic;
  const disagree = disagreeingDims(inputs, feeds);
  return (
    `A dim of ${a} cannot be broadcast against ${b} at ${nodeOf(message)} (one of them must be 1, or both equal): ` +
    `${involved.map((i) => `input ${sent(feeds, i)}`).join('; ')}.${disagree.length > 0 ? ` Send the same size for each named dim: ${disagree.join('; ')}.` : ''}`
  );
}

function holdsIndex(feed: Feeds[string] | undefined, index: number): boolean {
  if (!feed || !/int/.test(feed.type)) return false;
  return Array.from(feed.data as ArrayLike<number | bigint>).some((v) => Number(v) === index);
}

function indexOutOfRange(message: string, inputs: readonly TensorInfo[], feeds: Feeds): string | null {
  const range = /idx=(-?\d+) must be within the inclusive range \[(-?\d+),\s*(-?\d+)\]/.exec(message);
  if (!range) return null;
  const [index, low, high] = range.slice(1).map(Number) as [number, number, number];
  const info = inputs.find((i) => holdsIndex(feeds[i.name], index));
  const which = info ? `Input ${sent(feeds, info)}, and holds the index ${index}` : `An input holds the index ${index}`;
  return `${which}; ${nodeOf(message)} takes indices from ${low} to ${high} only.`;
}

const MAPPINGS: [code: string, map: (message: string, inputs: readonly TensorInfo[], feeds: Feeds) => string | null][] = [
  ['INPUT_SHAPE_MISMATCH', shapeMismatch],
  ['INPUT_TYPE_MISMATCH', typeMismatch],
  ['INPUT_BROADCAST_MISMATCH', broadcastMismatch],
  ['INDEX_OUT_OF_RANGE', indexOutOfRange],
];

/** The 400 answer for a failed `session.run` on `feeds`. */
export function runFailure(err: unknown, inputs: readonly TensorInfo[], feeds: Feeds): InferenceError {
  const detail = runtimeDetailOf(err);
  for (const [code, map] of MAPPINGS) {
    const sentence = map(detail, inputs, feeds);
    if (sentence) return new InferenceError(code, sentence, 400, detail);
  }
  return new InferenceError('INFERENCE_FAILED', `The model rejected the input: ${cleanOrtMessage(detail)}`, 400, detail);
}

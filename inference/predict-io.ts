import * as ort from 'onnxruntime-node';
import { imageToTensor } from './image-input';
import { InferenceError } from './inference-errors';
import type { LoadedModel, TensorInfo } from './model-registry';

/**
 * What /predict accepts and answers, between JSON and onnxruntime tensors. Inputs: per input
 * name a tensor `{dims, data}` (or a nested array), or a base64 PNG/JPEG (`image`, or the
 * input's own name) for models whose sidecar describes an image; a bare nested array feeds the
 * model's only input. Outputs: every output as `{dims, type, data}`, plus top-k labels with
 * scores when the sidecar names the classes.
 */

export type TensorJson = { dims: number[]; data: number[]; type?: string };
export type InputValue = string | Buffer | TensorJson | unknown[];
export type PredictInputs = Record<string, InputValue> | unknown[];

const MAX_ELEMENTS = 16 * 1024 * 1024;

const bad = (message: string) => new InferenceError('INVALID_INPUT', message, 400);

type TypedArray = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | Int8Array;
const FLOAT32_MAX = 3.4028234663852886e38;
const ARRAYS: Record<string, { make: (n: number) => TypedArray; integer: boolean; min?: number; max?: number }> = {
  float32: { make: (n) => new Float32Array(n), integer: false, min: -FLOAT32_MAX, max: FLOAT32_MAX },
  float64: { make: (n) => new Float64Array(n), integer: false },
  int32: { make: (n) => new Int32Array(n), integer: true, min: -(2 ** 31), max: 2 ** 31 - 1 },
  int64: { make: (n) => new BigInt64Array(n), integer: true, min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER },
  uint8: { make: (n) => new Uint8Array(n), integer: true, min: 0, max: 255 },
  int8: { make: (n) => new Int8Array(n), integer: true, min: -128, max: 127 },
};

/** Deeper nesting than any model's rank is an error, not a stack overflow. */
const MAX_RANK = 8;

function flatten(value: unknown, path: string, depth = 0): { dims: number[]; data: unknown[] } {
  if (!Array.isArray(value)) return { dims: [], data: [value] };
  if (depth >= MAX_RANK) throw bad(`${path} is nested deeper than ${MAX_RANK} levels.`);
  if (value.length === 0) throw bad(`${path} is an empty array.`);
  const parts = value.map((v, i) => flatten(v, `${path}[${i}]`, depth + 1));
  const inner = parts[0]!.dims;
  for (const [i, p] of parts.entries()) {
    if (p.dims.length !== inner.length || p.dims.some((d, k) => d !== inner[k])) throw bad(`${path}[${i}] is ragged: every row must have the same shape.`);
  }
  return { dims: [value.length, ...inner], data: parts.flatMap((p) => p.data) };
}

/** Checks dims against the model's input shape; answers the element count. */
function checkedCount(info: TensorInfo, dims: number[], label: string): number {
  if (dims.length !== info.shape.length) throw bad(`${label} has rank ${dims.length} (dims [${dims}]), but the model's input "${info.name}" expects rank ${info.shape.length} ([${info.shape}]).`);
  for (const [i, d] of info.shape.entries()) {
    if (typeof d === 'number' && d >= 0 && dims[i] !== d) throw bad(`${label} has dims [${dims}], but the model's input "${info.name}" expects [${info.shape}].`);
  }
  const count = dims.reduce((a, b) => a * b, 1);
  if (count > MAX_ELEMENTS) throw bad(`${label} has ${count} elements; at most ${MAX_ELEMENTS} are accepted.`);
  return count;
}

function toTensor(info: TensorInfo, value: TensorJson | unknown[], label: string): ort.Tensor {
  const { dims, data } = Array.isArray(value) ? flatten(value, label) : value;
  if (!Array.isArray(dims) || !dims.every((d) => Number.isInteger(d) && d >= 0)) throw bad(`${label}.dims must be a list of non-negative integers.`);
  if (!Array.isArray(data)) throw bad(`${label}.data must be a list of numbers.`);
  const kind = ARRAYS[info.type];
  if (!kind) throw bad(`Input "${info.name}" has type ${info.type}, which JSON input does not support.`);
  if (value && !Array.isArray(value) && value.type !== undefined && value.type !== info.type) {
    throw bad(`${label} is declared ${value.type}, but the model's input "${info.name}" is ${info.type}.`);
  }
  const count = checkedCount(info, dims, label);
  if (count !== data.length) throw bad(`${label} has ${data.length} values, but dims [${dims}] need ${count}.`);
  const array = kind.make(count);
  for (let i = 0; i < count; i++) {
    const v = data[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(`${label} value ${i} is not a finite number.`);
    if ((kind.integer && !Number.isInteger(v)) || (kind.min !== undefined && (v < kind.min || v > kind.max!))) throw bad(`${label} value ${i} (${v}) is not a valid ${info.type}.`);
    array[i] = (array instanceof BigInt64Array ? BigInt(v) : v) as never;
  }
  return new ort.Tensor(info.type as 'float32', array as Float32Array, dims);
}

/**
 * A raw tensor body (`application/octet-stream`): the input's values as little-endian bytes of its
 * type, the shape in the query. No JSON to parse, so the cheapest way to send a tensor.
 */
export function rawTensorFeeds(model: LoadedModel, inputName: string | undefined, dimsText: string | undefined, body: Buffer): Record<string, ort.Tensor> {
  if (!dimsText) throw bad('A raw tensor body needs its shape in the query: /predict?model_name=NAME&dims=1,1,28,28.');
  if (!inputName && model.inputs.length !== 1) throw bad(`The model "${model.name}" has ${model.inputs.length} inputs; name one: &input=${model.inputs[0]?.name}.`);
  const info = inputName ? model.inputs.find((i) => i.name === inputName) : model.inputs[0]!;
  if (!info) throw bad(`The model "${model.name}" has no input "${inputName}"; its inputs are ${model.inputs.map((i) => i.name).join(', ')}.`);
  const kind = ARRAYS[info.type];
  if (!kind || info.type === 'int64') throw bad(`Input "${info.name}" has type ${info.type}, which a raw tensor body does not support; send JSON.`);
  const dims = dimsText.split(',').map(Number);
  const count = checkedCount(info, dims, 'dims');
  const array = kind.make(count);
  if (body.length !== count * array.BYTES_PER_ELEMENT) {
    throw bad(`The body has ${body.length} bytes, but dims [${dims}] of ${info.type} need ${count * array.BYTES_PER_ELEMENT}.`);
  }
  // Every platform Node and Electron ship for is little-endian, as the body is.
  new Uint8Array(array.buffer).set(body);
  if (!kind.integer) {
    for (let i = 0; i < count; i++) if (!Number.isFinite(array[i] as number)) throw bad(`Value ${i} of the body is not a finite number.`);
  }
  return { [info.name]: new ort.Tensor(info.type as 'float32', array as Float32Array, dims) };
}

async function imageTensor(model: LoadedModel, info: TensorInfo, image: string | Buffer): Promise<ort.Tensor> {
  const spec = model.sidecar?.image;
  if (!spec) throw bad(`The model "${model.name}" has no image description in its sidecar; send a tensor {dims, data} instead.`);
  if (info.type !== 'float32') throw bad(`Image input needs a float32 model input; "${info.name}" is ${info.type}.`);
  const bytes = Buffer.isBuffer(image) ? image : decodeBase64(image);
  const { data, dims } = await imageToTensor(bytes, spec);
  return new ort.Tensor('float32', data, dims);
}

function decodeBase64(text: string): Buffer {
  const body = text.replace(/^data:[^;,]*;base64,/, '');
  if (body.length === 0 || !/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(body)) throw bad('The image is not valid base64.');
  return Buffer.from(body, 'base64');
}

/** The name an image feeds: the sidecar's `input`, else the model's first input. */
export function imageInputName(model: LoadedModel): string {
  return model.sidecar?.input ?? model.inputs[0]!.name;
}

export async function buildFeeds(model: LoadedModel, inputs: PredictInputs): Promise<Record<string, ort.Tensor>> {
  const infoOf = new Map(model.inputs.map((i) => [i.name, i]));
  if (Array.isArray(inputs)) {
    if (model.inputs.length !== 1) throw bad(`The model "${model.name}" has ${model.inputs.length} inputs; name them: {"inputs": {"${model.inputs[0]?.name}": ...}}.`);
    return { [model.inputs[0]!.name]: toTensor(model.inputs[0]!, inputs, 'inputs') };
  }
  const feeds: Record<string, ort.Tensor> = {};
  for (const [key, value] of Object.entries(inputs)) {
    const name = key === 'image' && !infoOf.has('image') ? imageInputName(model) : key;
    const info = infoOf.get(name);
    if (!info) throw bad(`The model "${model.name}" has no input "${key}"; its inputs are ${model.inputs.map((i) => i.name).join(', ')}.`);
    if (feeds[name]) throw bad(`Input "${name}" is given twice.`);
    if (typeof value === 'string' || Buffer.isBuffer(value)) feeds[name] = await imageTensor(model, info, value);
    else if (value && typeof value === 'object') feeds[name] = toTensor(info, value as TensorJson | unknown[], `inputs.${key}`);
    else throw bad(`inputs.${key} must be a tensor {dims, data}, a nested array, or a base64 image.`);
  }
  const missing = model.inputs.filter((i) => !feeds[i.name]);
  if (missing.length > 0) throw bad(`Missing input${missing.length > 1 ? 's' : ''} ${missing.map((i) => `"${i.name}" (${i.type} [${i.shape}])`).join(', ')}.`);
  return feeds;
}

export interface OutputTensor {
  dims: number[];
  type: string;
  data: number[];
}

export interface LabelScore {
  label: string;
  index: number;
  score: number;
}

/** JSON has no NaN or Infinity: an output holding them is reported, not sent as a broken body. */
export function outputsToJson(results: ort.InferenceSession.OnnxValueMapType): Record<string, OutputTensor> {
  const out: Record<string, OutputTensor> = {};
  for (const [name, tensor] of Object.entries(results)) {
    const data = Array.from(tensor.data as ArrayLike<number | bigint>, Number);
    if (!data.every(Number.isFinite)) {
      throw new InferenceError('NON_FINITE_OUTPUT', `The model's output "${name}" holds NaN or infinite values for this input (values too large for its arithmetic?).`, 422);
    }
    out[name] = { dims: [...tensor.dims], type: tensor.type, data };
  }
  return out;
}

/** Top-k labels per batch row of the first output, when the sidecar names the classes. */
export function topK(model: LoadedModel, outputs: Record<string, OutputTensor>, k: number): LabelScore[][] | undefined {
  const labels = model.sidecar?.labels;
  const first = outputs[model.outputs[0]?.name ?? ''];
  if (!labels || !first || first.dims.at(-1) !== labels.length) return undefined;
  const classes = labels.length;
  const rows: LabelScore[][] = [];
  for (let r = 0; r * classes < first.data.length; r++) {
    const scores = first.data.slice(r * classes, (r + 1) * classes).map((score, index) => ({ label: labels[index]!, index, score }));
    rows.push(scores.sort((a, b) => b.score - a.score).slice(0, k));
  }
  return rows;
}

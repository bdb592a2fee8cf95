import * as ort from 'onnxruntime-node';
import { imageToTensor } from './image-input';
import { describeShape } from './model-metadata';
import type { LoadedModel, TensorInfo } from './model-registry';
import { bytesToTensor } from './tensors/binary';
import { elementType } from './tensors/element-types';
import { invalidInput as bad } from './tensors/invalid-input';
import { jsonToTensor, type TensorJson } from './tensors/json-decode';
import { tensorToJson, type OutputTensorJson } from './tensors/json-encode';
import { checkDims, parseDims } from './tensors/shapes';
import { inputElementType } from './tensors/tensor-data';

/**
 * What /predict accepts and answers, between JSON and onnxruntime tensors. Inputs: per input
 * name a tensor `{dims, data}` (or a nested array), or a base64 PNG/JPEG (`image`, or the
 * input's own name) for models whose sidecar describes an image; a bare nested array feeds the
 * model's only input. Every element type onnxruntime-node has, as tensors/ converts them. Outputs:
 * every output (or the ones asked for) as `{dims, type, data}`, plus top-k labels with scores when
 * the sidecar names the classes.
 */

export type { TensorJson } from './tensors/json-decode';
export type InputValue = string | number | boolean | Buffer | TensorJson | unknown[];
export type PredictInputs = Record<string, InputValue> | unknown[];

/**
 * A raw tensor body (`application/octet-stream`): the input's values as little-endian bytes of its
 * type (strings as v2 BYTES), the shape in the query (`dims=` for a scalar). No JSON to parse, so
 * the cheapest way to send a tensor. It feeds one input: a model that needs several is sent to the
 * paths that take them all, rather than to a run that fails on the ones left out.
 */
export function rawTensorFeeds(model: LoadedModel, inputName: string | undefined, dimsText: string | undefined, body: Buffer): Record<string, ort.Tensor> {
  if (dimsText === undefined) throw bad('A raw tensor body needs its shape in the query: /predict?model_name=NAME&dims=1,1,28,28 (dims= for a scalar).');
  const names = model.inputs.map((i) => i.name).join(', ');
  const info = inputName ? model.inputs.find((i) => i.name === inputName) : model.inputs[0]!;
  if (!info) throw bad(`The model "${model.name}" has no input "${inputName}"; its inputs are ${names}.`);
  if (model.inputs.length > 1) {
    throw bad(
      `The model "${model.name}" needs ${model.inputs.length} inputs (${names}), and a raw body feeds one: send them all as JSON to /predict, or as binary tensors to /v2/models/${model.name}/infer.`,
    );
  }
  const type = inputElementType(info);
  const dims = parseDims(dimsText);
  checkDims(info, dims, 'The body');
  return { [info.name]: bytesToTensor(type, body, dims) };
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

/** Inputs where a bare JSON string is a value (a string, or a 64-bit integer in decimal), not an image. */
const takesStrings = (info: TensorInfo) => ['string', 'bigint'].includes(elementType(info.type)?.kind ?? '');

const isNumbers = (data: unknown[]): data is number[] => data.every((v) => typeof v === 'number');

/** The name an image feeds: the sidecar's `input`, else the model's first input. */
export function imageInputName(model: LoadedModel): string {
  return model.sidecar?.input ?? model.inputs[0]!.name;
}

export async function buildFeeds(model: LoadedModel, inputs: PredictInputs): Promise<Record<string, ort.Tensor>> {
  const infoOf = new Map(model.inputs.map((i) => [i.name, i]));
  if (Array.isArray(inputs)) {
    if (model.inputs.length !== 1) throw bad(`The model "${model.name}" has ${model.inputs.length} inputs; name them: {"inputs": {"${model.inputs[0]?.name}": ...}}.`);
    return { [model.inputs[0]!.name]: jsonToTensor(model.inputs[0]!, inputs, 'inputs') };
  }
  const feeds: Record<string, ort.Tensor> = {};
  for (const [key, value] of Object.entries(inputs)) {
    const name = key === 'image' && !infoOf.has('image') ? imageInputName(model) : key;
    const info = infoOf.get(name);
    if (!info) throw bad(`The model "${model.name}" has no input "${key}"; its inputs are ${model.inputs.map((i) => i.name).join(', ')}.`);
    if (feeds[name]) throw bad(`Input "${name}" is given twice.`);
    if (value === null || value === undefined) throw bad(`inputs.${key} must be a tensor {dims, data}, a nested array, a single value, or a base64 image.`);
    if (Buffer.isBuffer(value) || (typeof value === 'string' && !takesStrings(info))) feeds[name] = await imageTensor(model, info, value);
    else feeds[name] = jsonToTensor(info, value, `inputs.${key}`);
  }
  const missing = model.inputs.filter((i) => !feeds[i.name]);
  if (missing.length > 0) throw bad(`Missing input${missing.length > 1 ? 's' : ''} ${missing.map((i) => `"${i.name}" (${i.type} ${describeShape(i)})`).join(', ')}.`);
  return feeds;
}

export type OutputTensor = OutputTensorJson;

export interface LabelScore {
  label: string;
  index: number;
  score: number;
}

/** The outputs to run and answer: the ones named (each one the model has), or all of them. */
export function selectOutputs(model: LoadedModel, names: readonly string[] | undefined): string[] {
  const all = model.outputs.map((o) => o.name);
  if (!names) return all;
  const unknown = names.find((n) => !all.includes(n));
  if (unknown !== undefined) throw bad(`The model "${model.name}" has no output "${unknown}"; its outputs are ${all.join(', ')}.`);
  return [...new Set(names)];
}

/** Exact JSON per output (tensors/json-encode.ts): NaN or Infinity is refused, not sent as a broken body. */
export function outputsToJson(results: ort.InferenceSession.OnnxValueMapType): Record<string, OutputTensor> {
  return Object.fromEntries(Object.entries(results).map(([name, tensor]) => [name, tensorToJson(name, tensor)]));
}

/** Top-k labels per batch row of the first output, when the sidecar names the classes. */
export function topK(model: LoadedModel, outputs: Record<string, OutputTensor>, k: number): LabelScore[][] | undefined {
  const labels = model.sidecar?.labels;
  const first = outputs[model.outputs[0]?.name ?? ''];
  if (!labels || !first || first.dims.at(-1) !== labels.length || !isNumbers(first.data)) return undefined;
  const classes = labels.length;
  const rows: LabelScore[][] = [];
  const data = first.data;
  for (let r = 0; r * classes < data.length; r++) {
    const scores = data.slice(r * classes, (r + 1) * classes).map((score, index) => ({ label: labels[index]!, index, score }));
    rows.push(scores.sort((a, b) => b.score - a.score).slice(0, k));
  }
  return rows;
}

import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve } from 'node:path';
import sharp from 'sharp';
import { DYNAMIC_DIM, type ModelInfo } from '../../../inference/api-types';
import { elementType } from '../../../inference/tensors/element-types';
import { HEADER_LENGTH } from '../../../inference/v2/binary-body';
import { loadtestTensorsSchema, type LoadtestSpec } from '../../api/schemas/loadtest';
import { specErrors } from './spec-checks';

/** One request as every connection sends it, again and again: built once, before the run. */
export interface LoadRequest {
  path: string;
  body: Buffer;
  headers: Record<string, string>;
}

type Value = number | string | boolean;
interface Tensor {
  name: string;
  type: string;
  dims: number[];
  data: Value[];
}
type Payload = { image: Buffer } | { tensors: Tensor[] };
/** What of a model's metadata shapes its request. */
type ModelShape = Pick<ModelInfo, 'name' | 'inputs' | 'image'>;

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg']);
/** A sample file larger than this is no single request a worker would take. */
const MAX_FILE_BYTES = 64 * 2 ** 20;
const JSON_TYPE = { 'content-type': 'application/json' };

const count = (dims: number[]) => dims.reduce((n, d) => n * d, 1);

/** Zeros of every input's shape, a dynamic dim taken as 1: what any model accepts without a sample of its own. */
function zeros(model: ModelShape): Tensor[] {
  return model.inputs.map((i) => {
    const dims = i.shape.map((d) => (d === DYNAMIC_DIM ? 1 : d));
    const zero = i.type === 'string' ? '' : i.type === 'bool' ? false : 0;
    return { name: i.name, type: i.type, dims, data: new Array<Value>(count(dims)).fill(zero) };
  });
}

/** A mid-grey picture of the model's size: the service decodes and scales it as it would a photo. */
async function demoImage(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 128, g: 128, b: 128 } } }).png().toBuffer();
}

/** Given tensors, checked against the model's inputs so a mistake is named before the run, not answered 400 in it. */
function givenTensors(raw: unknown, model: ModelShape, field: string): Tensor[] {
  const parsed = loadtestTensorsSchema.safeParse(raw);
  if (!parsed.success) throw specErrors(parsed.error.issues.map((i) => ({ path: [field, ...i.path].join('.'), message: i.message })));
  const issues: { path: string; message: string }[] = [];
  const names = model.inputs.map((i) => i.name);
  const missing = names.filter((n) => !Object.hasOwn(parsed.data, n));
  if (missing.length > 0) issues.push({ path: field, message: `model "${model.name}" needs input ${missing.map((n) => `"${n}"`).join(', ')} as well` });
  const tensors: Tensor[] = [];
  for (const [name, t] of Object.entries(parsed.data)) {
    const input = model.inputs.find((i) => i.name === name);
    if (!input) issues.push({ path: `${field}.${name}`, message: `model "${model.name}" has no input "${name}" (its inputs: ${names.join(', ')})` });
    else if (t.data.length !== count(t.dims)) issues.push({ path: `${field}.${name}.data`, message: `dims [${t.dims.join(', ')}] hold ${count(t.dims)} values, not ${t.data.length}` });
    else tensors.push({ name, type: t.type ?? input.type, dims: t.dims, data: t.data });
  }
  if (issues.length > 0) throw specErrors(issues);
  return tensors;
}

/** A file in the models folder (never outside it, links included): an image, or JSON tensors. */
async function filePayload(path: string, model: ModelShape, modelsDir: string): Promise<Payload> {
  const refuse = (message: string) => specErrors([{ path: 'input.path', message }]);
  const root = await realpath(modelsDir).catch(() => resolve(modelsDir));
  const real = await realpath(resolve(root, path)).catch(() => {
    throw refuse(`there is no file "${path}" in the models folder ${root}`);
  });
  const inside = relative(root, real);
  if (inside.startsWith('..') || isAbsolute(inside)) throw refuse(`"${path}" is outside the models folder ${root}`);
  if ((await stat(real)).size > MAX_FILE_BYTES) throw refuse(`"${path}" is larger than ${MAX_FILE_BYTES / 2 ** 20} MiB`);
  const ext = extname(real).toLowerCase();
  if (IMAGE_EXTENSIONS.has(ext)) return { image: await readFile(real) };
  if (ext !== '.json') throw refuse(`"${path}" is neither an image (.png, .jpg) nor tensors (.json)`);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(real, 'utf8'));
  } catch {
    throw refuse(`"${path}" is not valid JSON`);
  }
  const inputs = json && typeof json === 'object' && 'inputs' in json ? json.inputs : json;
  return { tensors: givenTensors(inputs, model, 'input.path') };
}

async function payloadFor(spec: LoadtestSpec, model: ModelShape, modelsDir: string): Promise<Payload> {
  const { input } = spec;
  if (input.kind === 'tensor') return { tensors: givenTensors(input.inputs, model, 'input.inputs') };
  if (input.kind === 'file') return filePayload(input.path, model, modelsDir);
  // The v2 protocol takes tensors only: an image model's sample there is zeros like any other's.
  return model.image && spec.protocol === 'json' ? { image: await demoImage(model.image.width, model.image.height) } : { tensors: zeros(model) };
}

/** A tensor's little-endian bytes, or null for types sent as JSON values (strings, and float16, whose bits JSON numbers are not). */
function binaryBytes(t: Tensor): Buffer | null {
  const info = elementType(t.type);
  if (!info?.array || info.type === 'float16') return null;
  const array = new info.array(t.data.length) as { [i: number]: number | bigint; buffer: ArrayBufferLike; byteOffset: number; byteLength: number };
  t.data.forEach((v, i) => (array[i] = info.kind === 'bigint' ? BigInt(v) : Number(v)));
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

/** The Open Inference Protocol's /infer: a JSON header, then each binary tensor's bytes; outputs asked for as binary too. */
function v2Request(model: string, tensors: Tensor[]): LoadRequest {
  const bytes: Buffer[] = [];
  const inputs = tensors.map((t) => {
    const binary = binaryBytes(t);
    if (binary) bytes.push(binary);
    const datatype = elementType(t.type)?.v2 ?? t.type.toUpperCase();
    return { name: t.name, shape: t.dims, datatype, ...(binary ? { parameters: { binary_data_size: binary.length } } : { data: t.data }) };
  });
  const header = Buffer.from(JSON.stringify({ inputs, parameters: { binary_data_output: true } }));
  return {
    path: `/v2/models/${encodeURIComponent(model)}/infer`,
    body: Buffer.concat([header, ...bytes]),
    headers: { 'content-type': 'application/octet-stream', [HEADER_LENGTH]: String(header.length) },
  };
}

/** The service's own /predict with JSON: an image as base64, or tensors as {dims, data, type}. */
function jsonRequest(model: string, payload: Payload): LoadRequest {
  const inputs = 'image' in payload ? { image: payload.image.toString('base64') } : Object.fromEntries(payload.tensors.map((t) => [t.name, { dims: t.dims, data: t.data, type: t.type }]));
  return { path: '/predict', body: Buffer.from(JSON.stringify({ model_name: model, inputs })), headers: JSON_TYPE };
}

/** The one request of a run, from its spec's input and protocol and the model's metadata. */
export async function buildRequest(spec: LoadtestSpec, model: ModelShape, modelsDir: string): Promise<LoadRequest> {
  const payload = await payloadFor(spec, model, modelsDir);
  if (spec.protocol === 'json') return jsonRequest(model.name, payload);
  if ('image' in payload) throw specErrors([{ path: 'protocol', message: 'the v2 protocol takes tensors, not images: use protocol json for an image file' }]);
  try {
    return v2Request(model.name, payload.tensors);
  } catch (err) {
    // BigInt() refuses a value that is no whole number: an int64 input given 1.5 or "x".
    throw specErrors([{ path: spec.input.kind === 'file' ? 'input.path' : 'input.inputs', message: `a value does not fit its input's type (${(err as Error).message})` }]);
  }
}

import { readFile } from 'node:fs/promises';
import { formatZodIssues } from './env-overrides';
import { InferenceError } from './inference-errors';
import { describeShape, type TensorInfo } from './model-metadata';
import { modelSidecarSchema, sidecarPathFor, type ImageInputSpec, type ModelSidecar } from './model-sidecar';

/**
 * A model's sidecar, read and held against the model at load: a sidecar that contradicts the
 * model would otherwise fail every prediction, or worse answer wrong labels, long after the load
 * said yes. Every refusal is a 422 INVALID_SIDECAR that names both sides.
 */

const invalid = (message: string) => new InferenceError('INVALID_SIDECAR', message, 422);

/** Mean and std declared in 0..255 pixel values (`scale: 255`), in the 0..1 units the image input uses. */
function inPixelUnits(spec: ImageInputSpec): ImageInputSpec {
  if (spec.scale === undefined) return spec;
  const { scale, ...rest } = spec;
  return { ...rest, mean: spec.mean.map((v) => v / scale), std: spec.std.map((v) => v / scale) };
}

/** The sidecar beside a model file, or null without one. */
export async function readSidecar(modelFile: string): Promise<ModelSidecar | null> {
  const file = sidecarPathFor(modelFile);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return null;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw invalid(`The model's sidecar ${file} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = modelSidecarSchema.safeParse(json);
  if (!parsed.success) throw invalid(`The model's sidecar ${file} is invalid: ${formatZodIssues(parsed.error)}`);
  const sidecar = parsed.data;
  return sidecar.image ? { ...sidecar, image: inPixelUnits(sidecar.image) } : sidecar;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function checkImage(spec: ImageInputSpec, input: TensorInfo): void {
  const described = `${spec.width}x${spec.height}, ${plural(spec.channels, 'channel')}, ${spec.layout}`;
  if (input.shape.length !== 4) {
    throw invalid(`The sidecar describes an image (${described}), but the model's input "${input.name}" ${describeShape(input)} has rank ${input.shape.length}; an image feeds a rank-4 tensor.`);
  }
  // Dims 1 to 3, after the batch.
  const order = spec.layout === 'NCHW' ? (['channels', 'height', 'width'] as const) : (['height', 'width', 'channels'] as const);
  const clashes = order.flatMap((key, i) => {
    const dim = input.shape[i + 1]!;
    return dim >= 0 && dim !== spec[key] ? [`${key} ${spec[key]} where dim ${i + 1} is ${dim}`] : [];
  });
  if (clashes.length > 0) {
    throw invalid(`The sidecar's image (${described}) does not fit the model's input "${input.name}" ${describeShape(input)}: ${clashes.join('; ')}.`);
  }
}

function checkLabels(labels: readonly string[], output: TensorInfo | undefined): void {
  const classes = output?.shape.at(-1);
  if (output && classes !== undefined && classes >= 0 && classes !== labels.length) {
    throw invalid(`The sidecar has ${plural(labels.length, 'label')}, but the model's output "${output.name}" ${describeShape(output)} has ${classes} classes in its last dim.`);
  }
}

/** Refuses a sidecar whose input, image size or labels contradict the model's own dims. */
export function checkSidecarAgainstModel(sidecar: ModelSidecar, inputs: readonly TensorInfo[], outputs: readonly TensorInfo[]): void {
  const input = sidecar.input === undefined ? inputs[0] : inputs.find((i) => i.name === sidecar.input);
  if (!input && sidecar.input !== undefined) throw invalid(`The sidecar names input "${sidecar.input}", which the model does not have.`);
  if (sidecar.image) {
    if (!input) throw invalid('The sidecar describes an image, but the model has no input for it.');
    checkImage(sidecar.image, input);
  }
  if (sidecar.labels) checkLabels(sidecar.labels, outputs[0]);
}

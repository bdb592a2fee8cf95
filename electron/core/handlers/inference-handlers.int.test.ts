import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDigits } from '../../../inference/demo-models/mnist-digits';
import { digitImage } from '../../../inference/testing/digit-images';
import { startTestService, type TestService } from '../../../inference/testing/test-service';
import { parseSettings } from '../../settings/settings-file';
import { freePort } from '../../../stack/testing/test-settings';
import { dispatchApiCall } from '../dispatch';
import { ConsoleCore } from '../console-core';

/** The contract's inference methods, through ConsoleCore and the typed client, to the real service. */
describe('inference contract', () => {
  let svc: TestService;
  let core: ConsoleCore;
  const call = (method: string, ...args: unknown[]) => dispatchApiCall(core.handlers, method, args, () => {});

  beforeAll(async () => {
    svc = await startTestService();
    core = new ConsoleCore({ settings: parseSettings({ inference: { port: svc.port } }), settingsFile: '/dev/null', mode: 'web' });
  });
  afterAll(async () => {
    core?.close();
    await svc?.stop();
  });

  it('lists available files, loads one, and shows it loaded and healthy', async () => {
    const available = await call('models.available');
    expect(available.status).toBe(200);
    expect(available.body).toMatchObject({ ok: true, result: { files: [{ path: 'digits.onnx' }, { path: 'latency-convnet.onnx' }] } });
    const load = await call('models.load', { path: 'digits.onnx' });
    expect(load.body).toMatchObject({ ok: true, result: { name: 'digits', provider: 'cpu' } });
    expect((await call('models.list')).body).toMatchObject({ ok: true, result: { total: 1 } });
    expect((await call('inference.health')).body).toMatchObject({ ok: true, result: { reachable: true, message: null, health: { status: 'healthy', models_loaded: 1 } } });
  });

  it('runs a prediction on an image and on a tensor', async () => {
    const sample = loadDigits().test[3]!;
    const image = await call('predict.run', { model_name: 'digits', input: { kind: 'image', base64: (await digitImage(sample)).toString('base64') }, top_k: 2 });
    expect(image.status).toBe(200);
    const result = (image.body as { ok: true; result: { predictions: { label: string }[][]; provider: string } }).result;
    expect(result.predictions[0]).toHaveLength(2);
    expect(result.predictions[0]![0]!.label).toBe(String(sample.label));
    const tensor = await call('predict.run', { model_name: 'digits', input: { kind: 'tensor', inputs: { image: { dims: [1, 1, 28, 28], data: Array.from(sample.pixels) } } } });
    expect(tensor.body).toMatchObject({ ok: true, result: { model_name: 'digits', provider: 'cpu' } });
  });

  it("passes the service's errors through with their message and status", async () => {
    const unknown = await call('predict.run', { model_name: 'nope', input: { kind: 'tensor', inputs: [1] } });
    expect(unknown).toEqual({ status: 404, body: { ok: false, error: { code: 'MODEL_NOT_FOUND', message: 'No model named "nope" is loaded.' } } });
    const outside = await call('models.load', { path: '../../etc/x.onnx' });
    expect(outside.status).toBe(403);
    expect(outside.body).toMatchObject({ ok: false, error: { code: 'MODEL_PATH_OUTSIDE' } });
    const badImage = await call('predict.run', { model_name: 'digits', input: { kind: 'image', base64: 'aGVsbG8=' } });
    expect(badImage.body).toMatchObject({ ok: false, error: { code: 'INVALID_IMAGE' } });
    // The contract checks arguments before the service sees them.
    expect((await call('predict.run', { model_name: 'digits', input: { kind: 'video' } })).status).toBe(400);
    expect((await call('models.unload', '../x')).status).toBe(400);
  });

  it('says so when the service is not running: a state for health, a 503 for the rest', async () => {
    const offline = new ConsoleCore({ settings: parseSettings({ inference: { port: await freePort() } }), settingsFile: '/dev/null', mode: 'web' });
    const health = await dispatchApiCall(offline.handlers, 'inference.health', [], () => {});
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ ok: true, result: { reachable: false, health: null, message: expect.stringMatching(/not answering.*rx580-ops up/) } });
    const list = await dispatchApiCall(offline.handlers, 'models.list', [], () => {});
    expect(list.status).toBe(503);
    expect(list.body).toMatchObject({ ok: false, error: { code: 'INFERENCE_UNREACHABLE' } });
    offline.close();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceOptionsFromSettings } from '../service';
import { serviceSettingsFromEnv } from '../service-settings';
import { gatherModel, reluModel, writeModel } from '../testing/small-models';
import { call, startTestService, type TestService } from '../testing/test-service';
import { statefulModel } from '../testing/type-models';
import { protocolExampleModel } from '../testing/v2-client';
import { batchingRefusal } from './batching-config';

describe('batching settings', () => {
  it('come from RX580_OPS_INFERENCE_MAX_BATCH_SIZE, _MAX_QUEUE_DELAY_MS and _MAX_CONCURRENT_RUNS, batching off by default', () => {
    expect(serviceOptionsFromSettings(serviceSettingsFromEnv({})).batching).toEqual({ maxBatchSize: 1, maxQueueDelayMs: 2, maxConcurrentRuns: 2 });
    const settings = serviceSettingsFromEnv({ RX580_OPS_INFERENCE_MAX_BATCH_SIZE: '16', RX580_OPS_INFERENCE_MAX_QUEUE_DELAY_MS: '0.5', RX580_OPS_INFERENCE_MAX_CONCURRENT_RUNS: '1' });
    expect(serviceOptionsFromSettings(settings).batching).toEqual({ maxBatchSize: 16, maxQueueDelayMs: 0.5, maxConcurrentRuns: 1 });
    expect(() => serviceSettingsFromEnv({ RX580_OPS_INFERENCE_MAX_BATCH_SIZE: '0' })).toThrow(/maxBatchSize/);
    expect(() => serviceSettingsFromEnv({ RX580_OPS_INFERENCE_MAX_QUEUE_DELAY_MS: '-1' })).toThrow(/maxQueueDelayMs/);
    expect(() => serviceSettingsFromEnv({ RX580_OPS_INFERENCE_MAX_CONCURRENT_RUNS: '0' })).toThrow(/maxConcurrentRuns/);
  });

  it('take a model whose inputs and outputs all have a dynamic first dim, and say which one does not', () => {
    const t = (name: string, shape: number[]) => ({ name, type: 'float32', shape, dimNames: shape.map(() => null) });
    expect(batchingRefusal([t('x', [-1, 3])], [t('y', [-1])])).toBeNull();
    expect(batchingRefusal([t('x', [-1, 3])], [t('y', [1, 10])])).toBe('its output "y" [1, 10] has a fixed first dim of 1');
    expect(batchingRefusal([t('x', [-1]), t('s', [])], [t('y', [-1])])).toBe('its input "s" [] has no first dim');
    expect(batchingRefusal([], [t('y', [-1])])).toBe('the model has no inputs');
  });
});

describe('batching of each model, at load and in its info', () => {
  let svc: TestService;
  const load = (path: string) => call(svc, 'POST', '/models/load', { path });

  beforeAll(async () => {
    svc = await startTestService({ batching: { maxBatchSize: 8, maxQueueDelayMs: 30 } });
    await writeModel(svc.modelsDir, 'example.onnx', protocolExampleModel());
    await writeModel(svc.modelsDir, 'example-batched.onnx', protocolExampleModel(), { max_batch_size: 4 });
    await writeModel(svc.modelsDir, 'stateful-batched.onnx', statefulModel(), { max_batch_size: 2 });
    await writeModel(svc.modelsDir, 'gather.onnx', gatherModel(), { max_batch_size: 4, max_queue_delay_ms: 7, max_concurrent_runs: 3 });
    await writeModel(svc.modelsDir, 'relu.onnx', reluModel(), { max_batch_size: 1 });
    await writeModel(svc.modelsDir, 'relu-zero.onnx', reluModel(), { max_batch_size: 0 });
  });
  afterAll(() => svc?.stop());

  it("reports the service's batching for a model that can take it", async () => {
    expect((await load('digits.onnx')).status).toBe(201);
    expect((await call(svc, 'GET', '/models/digits')).json.batching).toEqual({ enabled: true, max_batch_size: 8, max_queue_delay_ms: 30, max_concurrent_runs: 2 });
  });

  it("reports the sidecar's batching over the service's, and a sidecar's max_batch_size 1 as off", async () => {
    expect((await load('gather.onnx')).json.batching).toEqual({ enabled: true, max_batch_size: 4, max_queue_delay_ms: 7, max_concurrent_runs: 3 });
    expect((await load('relu.onnx')).json.batching).toEqual({ enabled: false, max_batch_size: 1, max_queue_delay_ms: 0, max_concurrent_runs: 2 });
    const zero = await load('relu-zero.onnx');
    expect(zero.status).toBe(422);
    expect(zero.json.detail).toMatch(/max_batch_size/);
  });

  it("serves a model with a fixed first dim unbatched under the service's setting, and says why", async () => {
    const res = await load('example.onnx');
    expect(res.status).toBe(201);
    expect(res.json.batching).toEqual({
      enabled: false,
      max_batch_size: 1,
      max_queue_delay_ms: 0,
      max_concurrent_runs: 2,
      note: `Served without batching (the service's maxBatchSize is 8): its input "input0" [2, 2] has a fixed first dim of 2.`,
    });
  });

  it('refuses at load a sidecar that asks to batch a model with a fixed first dim, or a scalar input', async () => {
    const fixed = await load('example-batched.onnx');
    expect(fixed.status).toBe(422);
    expect(fixed.json).toMatchObject({
      error_code: 'INVALID_SIDECAR',
      detail:
        'The sidecar asks for batching (max_batch_size 4), but its input "input0" [2, 2] has a fixed first dim of 2: batching joins requests along a dynamic first dim. Remove max_batch_size, or set it to 1.',
    });
    const scalar = await load('stateful-batched.onnx');
    expect(scalar.status).toBe(422);
    expect(scalar.json.detail).toContain('its input "sr" [] has no first dim');
    expect((await call(svc, 'GET', '/models/example-batched')).status).toBe(404);
  });
});

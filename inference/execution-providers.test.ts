import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestService, type TestService } from './testing/test-service';

/** No GPU here: webgpu finds no adapter, and DirectML is not bundled on Linux. */
describe('a named execution provider', () => {
  let svc: TestService;
  const lines: string[] = [];

  beforeAll(async () => {
    svc = await startTestService({ providers: ['webgpu', 'cpu'], log: (line) => lines.push(line) });
  });
  afterAll(() => svc?.stop());

  it('that cannot be had is refused with 409 and the reason, and the failed load is logged', async () => {
    const webgpu = await call(svc, 'POST', '/models/load', { path: 'digits.onnx', device: 'webgpu' });
    expect(webgpu.status).toBe(409);
    expect(webgpu.json).toMatchObject({
      error_code: 'PROVIDER_UNAVAILABLE',
      detail: '"digits.onnx" cannot be loaded on webgpu here: WebGPU found no GPU adapter (No supported adapters). Load it with "device": "auto" to run it on cpu.',
      runtime_detail: expect.stringContaining('Failed to get a WebGPU adapter'),
    });
    expect(lines).toContain(`could not load digits.onnx: ${webgpu.json.detail}`);

    const dml = await call(svc, 'POST', '/models/load', { path: 'digits.onnx', device: 'dml' });
    expect(dml.status).toBe(409);
    expect(dml.json.detail).toBe(`"digits.onnx" cannot be loaded on dml here: DirectML is not bundled with onnxruntime-node on ${process.platform}. Load it with "device": "auto" to run it on cpu.`);
    expect((await call(svc, 'GET', '/models')).json.total).toBe(0);
  });

  it('is refused again, from memory, once the machine has shown it cannot run it', async () => {
    const again = await call(svc, 'POST', '/models/load', { path: 'digits.onnx', device: 'webgpu' });
    expect(again.status).toBe(409);
    expect(again.json.detail).toMatch(/cannot be loaded on webgpu here: WebGPU found no GPU adapter/);
  });

  it('is not needed with auto, which falls back to cpu and says so', async () => {
    const auto = await call(svc, 'POST', '/models/load', { path: 'digits.onnx' });
    expect(auto.status).toBe(201);
    expect(auto.json).toMatchObject({ provider: 'cpu', refused_providers: [{ provider: 'webgpu' }], note: expect.stringMatching(/^Running on cpu: webgpu was refused/) });
    const cpu = await call(svc, 'POST', '/models/load', { path: 'digits.onnx', model_name: 'digits-cpu', device: 'cpu' });
    expect(cpu.json).toMatchObject({ provider: 'cpu', refused_providers: [] });
    expect(cpu.json).not.toHaveProperty('note');
  });

  it('still refuses a corrupt file as an invalid model, not as a provider problem', async () => {
    await writeFile(join(svc.modelsDir, 'corrupt.onnx'), 'not a model');
    const res = await call(svc, 'POST', '/models/load', { path: 'corrupt.onnx', device: 'cpu' });
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ error_code: 'INVALID_MODEL', runtime_detail: expect.stringContaining('protobuf parsing failed') });
    expect(lines.at(-1)).toMatch(/^could not load corrupt\.onnx: "corrupt\.onnx" could not be loaded as an ONNX model: .*protobuf parsing failed/);
  });
});

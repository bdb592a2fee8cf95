import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderSelector, type OpenedSession } from './execution-providers';
import { AmdGpuTelemetry } from './gpu-telemetry';
import { InferenceError } from './inference-errors';
import { ModelRegistry } from './model-registry';
import { weightsModel, writeModel } from './testing/small-models';
import { call, startTestService } from './testing/test-service';
import { VRAM_BYTES_PER_MODEL_BYTE, VramGuard } from './vram-guard';

// Fake sysfs trees (fixtures/README.md): sysfs-rx580 has 6.8 GiB of VRAM free, sysfs-rx580-vram-nearly-full 1 MiB.
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const MIB = 2 ** 20;
const guardOn = (tree: string) => new VramGuard(new AmdGpuTelemetry(tree));

/** No GPU here: a provider decision that opens on cpu, reports webgpu, and marks `extraBytes` of VRAM used in the sysfs tree. */
class PretendGpu extends ProviderSelector {
  constructor(
    private readonly usedFile: string,
    private readonly extraBytes: number,
  ) {
    super(['webgpu', 'cpu']);
  }
  override async open(model: Uint8Array, options: ort.InferenceSession.SessionOptions = {}): Promise<OpenedSession> {
    const opened = await super.open(model, options, ['cpu']);
    const used = Number((await readFile(this.usedFile, 'utf8')).trim());
    await writeFile(this.usedFile, `${used + this.extraBytes}\n`);
    return { ...opened, provider: 'webgpu' };
  }
}

describe('VRAM guard', () => {
  let dir: string;
  // 512 Ki floats: a file of 2 MiB and a little, so an estimate of 4 MiB against 1 MiB free.
  const model = weightsModel(512 * 1024);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rx580-vram-'));
    await writeModel(dir, 'weights.onnx', model);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('refuses a model that cannot fit in the free VRAM, with both numbers in MiB, unless forced', async () => {
    const guard = guardOn(fixture('sysfs-rx580-vram-nearly-full'));
    const refusal = await guard.beforeLoad('weights.onnx', model.byteLength, false).catch((err: InferenceError) => err);
    expect(refusal).toBeInstanceOf(InferenceError);
    expect(refusal).toMatchObject({ code: 'INSUFFICIENT_VRAM', status: 507 });
    expect((refusal as Error).message).toBe(
      `"weights.onnx" needs about ${((model.byteLength * VRAM_BYTES_PER_MODEL_BYTE) / MIB).toFixed(1)} MiB of VRAM (2 x its ${(model.byteLength / MIB).toFixed(1)} MiB file), ` +
        'but card0 has 1.0 MiB free (8191.0 MiB used of 8192.0 MiB). Unload a model, load this one with "device": "cpu", or send "force": true to try anyway.',
    );
    expect(await guard.beforeLoad('weights.onnx', model.byteLength, true)).toBe(8588886016);
  });

  it('lets a model that fits go ahead, and cannot judge without amdgpu readings', async () => {
    expect(await guardOn(fixture('sysfs-rx580')).beforeLoad('weights.onnx', model.byteLength, false)).toBe(1321467904);
    expect(await guardOn(fixture('sysfs-intel-only')).beforeLoad('weights.onnx', 64 * 2 ** 30, false)).toBeNull();
  });

  it('reports the VRAM a load on a GPU provider took, from used VRAM before and after', async () => {
    const sys = join(dir, 'sys');
    await cp(fixture('sysfs-rx580'), sys, { recursive: true });
    const usedFile = join(sys, 'class/drm/card0/device/mem_info_vram_used');
    const registry = new ModelRegistry(dir, ['webgpu', 'cpu'], {}, { providers: new PretendGpu(usedFile, 3 * MIB), vram: guardOn(sys) });
    try {
      const loaded = await registry.load({ path: 'weights.onnx' });
      expect(loaded).toMatchObject({ provider: 'webgpu', vramBytes: 3 * MIB });
    } finally {
      await registry.close();
    }
  });

  it('checks before a load on a GPU provider only', async () => {
    const nearlyFull = guardOn(fixture('sysfs-rx580-vram-nearly-full'));
    const gpu = new ModelRegistry(dir, ['webgpu', 'cpu'], {}, { providers: new PretendGpu(join(dir, 'unused'), 0), vram: nearlyFull });
    await expect(gpu.load({ path: 'weights.onnx' })).rejects.toMatchObject({ status: 507 });
    const cpu = new ModelRegistry(dir, ['cpu'], {}, { vram: nearlyFull });
    try {
      expect(await cpu.load({ path: 'weights.onnx' })).toMatchObject({ provider: 'cpu', vramBytes: null });
    } finally {
      await cpu.close();
    }
  });

  it('answers 507 over HTTP before trying webgpu, and loads with force: true (on cpu, as there is no GPU here)', async () => {
    const svc = await startTestService({ providers: ['webgpu', 'cpu'], sysRoot: fixture('sysfs-rx580-vram-nearly-full') });
    try {
      await writeModel(svc.modelsDir, 'weights.onnx', model);
      const refused = await call(svc, 'POST', '/models/load', { path: 'weights.onnx' });
      expect(refused.status).toBe(507);
      expect(refused.json).toMatchObject({ error_code: 'INSUFFICIENT_VRAM', detail: expect.stringMatching(/needs about 4\.0 MiB of VRAM .* card0 has 1\.0 MiB free/) });
      const forced = await call(svc, 'POST', '/models/load', { path: 'weights.onnx', force: true });
      expect(forced.status).toBe(201);
      expect(forced.json).toMatchObject({ provider: 'cpu', vram_used_mb: null, refused_providers: [{ provider: 'webgpu' }] });
    } finally {
      await svc.stop();
    }
  });
});

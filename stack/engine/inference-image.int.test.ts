import type Docker from 'dockerode';
import { build } from 'esbuild';
import { statSync } from 'node:fs';
import { appendFile, cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDigits } from '../../inference/demo-models/mnist-digits';
import { digitImage } from '../../inference/testing/digit-images';
import { ConsoleError } from '../console-error';
import { connectDocker } from './docker-engine';
import { buildInferenceImage, inferenceBuildContext, parseBuildStep, type BuildProgress } from './inference-image';
import { LABEL_PROJECT } from '../spec/stack-spec';
import { execIn } from '../testing/container-exec';

/**
 * The inference image as the console builds it, on the real engine, from the local stand-in for
 * node:22-bookworm-slim (stack/test-images/node-base.sh): `eval "$(bash stack/test-images/build.sh)"`
 * sets RX580_OPS_INFERENCE_BASE_IMAGE. The image is kept between runs (its tag is its content).
 */

const appRoot = fileURLToPath(new URL('../..', import.meta.url));
const baseImage = process.env.RX580_OPS_INFERENCE_BASE_IMAGE;

/**
 * Rebuilds dist/inference.js, as scripts/build-node.mjs bundles it, when it is older than any
 * source it bundles (only that entry, so the test does not depend on the rest of the app building).
 */
async function ensureBundleFresh(): Promise<void> {
  const options = {
    entryPoints: { inference: join(appRoot, 'inference/main.ts') },
    absWorkingDir: appRoot,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    sourcemap: true,
    packages: 'external',
    outdir: 'dist',
    logLevel: 'warning',
  } as const;
  const { metafile } = await build({ ...options, write: false, metafile: true });
  const built = statSync(join(appRoot, 'dist/inference.js'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const newest = Math.max(...Object.keys(metafile.inputs).map((f) => statSync(join(appRoot, f)).mtimeMs));
  if (newest > built) await build(options);
}

describe('build progress', () => {
  it('reads the classic builder step lines, and nothing else', () => {
    expect(parseBuildStep('Step 3/12 : RUN apt-get update\n')).toEqual({ message: 'RUN apt-get update', current: 3, total: 12 });
    expect(parseBuildStep(' ---> Using cache')).toBeNull();
    expect(parseBuildStep('Successfully tagged rx580-ops/inference:abc')).toBeNull();
  });
});

describe('inference build context', () => {
  it('refuses, naming npm run build, when the bundle is missing', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'rx580-no-build-'));
    try {
      const err = await inferenceBuildContext(empty, 'node:22-bookworm-slim').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConsoleError);
      expect(err).toMatchObject({ code: 'INFERENCE_NOT_BUILT', status: 409, message: expect.stringContaining('npm run build') });
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});

describe('inference image', () => {
  const docker = connectDocker();
  const project = `rx580-image-test-${process.pid}`;
  let tag = '';
  let container: Docker.Container | null = null;
  let baseUrl = '';

  beforeAll(async () => {
    if (!baseImage) throw new Error('RX580_OPS_INFERENCE_BASE_IMAGE is not set: run eval "$(bash stack/test-images/build.sh)" first (it builds the local node base image)');
    await ensureBundleFresh();
  });

  afterAll(async () => {
    await container?.remove({ force: true, v: true }).catch(() => {});
  });

  it('has a context of exactly the image files, tagged by its content and base image', async () => {
    const context = await inferenceBuildContext(appRoot, baseImage!);
    expect(context.files).toEqual([
      'assets/models/digits.json',
      'assets/models/digits.onnx',
      'assets/models/latency-convnet.json',
      'assets/models/latency-convnet.onnx',
      'dist/inference.js',
      'dist/inference.js.map',
      'inference/Dockerfile',
      'inference/package-lock.json',
      'inference/package.json',
    ]);
    expect(context.tag).toBe(`rx580-ops/inference:${context.hash.slice(0, 12)}`);
    expect((await inferenceBuildContext(appRoot, baseImage!)).tar.equals(context.tar)).toBe(true);
    expect((await inferenceBuildContext(appRoot, 'node:22-bookworm-slim')).tag).not.toBe(context.tag);
  });

  it('builds the image through the engine, or finds it built', { timeout: 20 * 60_000 }, async () => {
    const started = Date.now();
    tag = await buildInferenceImage(docker, { appRoot, baseImage: baseImage! });
    process.stderr.write(`inference image ${tag} ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    expect(tag).toBe((await inferenceBuildContext(appRoot, baseImage!)).tag);
  });

  it('skips the build when the tag exists', async () => {
    const started = Date.now();
    const steps: BuildProgress[] = [];
    expect(await buildInferenceImage(docker, { appRoot, baseImage: baseImage!, onProgress: (p) => steps.push(p) })).toBe(tag);
    expect(steps).toEqual([]);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('reports each Dockerfile step of a build, and leaves no intermediate containers', async () => {
    // A changed bundle, as after a code change: a new tag, built on the cached apt and npm layers.
    // (Untagging the shared image instead would pull it from under tests running beside this one.)
    const changed = await mkdtemp(join(tmpdir(), 'rx580-changed-build-'));
    let changedTag: string | null = null;
    try {
      for (const f of (await inferenceBuildContext(appRoot, baseImage!)).files) await cp(join(appRoot, f), join(changed, f));
      await appendFile(join(changed, 'dist/inference.js'), `\n// ${project}\n`);
      const steps: BuildProgress[] = [];
      const started = Date.now();
      changedTag = await buildInferenceImage(docker, { appRoot: changed, baseImage: baseImage!, onProgress: (p) => steps.push(p) });
      process.stderr.write(`inference image rebuilt after a code change in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      expect(changedTag).not.toBe(tag);
      expect(steps.length).toBeGreaterThan(5);
      steps.forEach((s, i) => i > 0 && expect(s.current).toBeGreaterThan(steps[i - 1]!.current));
      expect(steps.at(-1)!.current).toBe(steps.at(-1)!.total);
      expect(steps.map((s) => s.message)).toContain('USER node');
      // rm/forcerm: no container of any of the image's layers left behind.
      const layers = new Set((await docker.getImage(changedTag).history()).map((h: { Id: string }) => h.Id));
      expect((await docker.listContainers({ all: true })).filter((c) => layers.has(c.ImageID))).toEqual([]);
    } finally {
      // Only its own top layers go; the cached ones are the shared image's too.
      if (changedTag) await docker.getImage(changedTag).remove().catch(() => {});
      await rm(changed, { recursive: true, force: true });
    }
  });

  it('turns a failing build into IMAGE_BUILD_FAILED with the last lines of its output', async () => {
    const broken = await mkdtemp(join(tmpdir(), 'rx580-broken-build-'));
    try {
      await mkdir(join(broken, 'inference'));
      await mkdir(join(broken, 'dist'));
      await mkdir(join(broken, 'assets/models'), { recursive: true });
      await writeFile(join(broken, 'inference/Dockerfile'), 'ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nRUN echo "about to fail" && exit 3\n');
      for (const f of ['inference/package.json', 'inference/package-lock.json', 'dist/inference.js']) await writeFile(join(broken, f), '{}');
      const err = await buildInferenceImage(docker, { appRoot: broken, baseImage: baseImage! }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'IMAGE_BUILD_FAILED', status: 500 });
      expect((err as Error).message).toMatch(/returned a non-zero code: 3/);
      expect((err as Error).message).toMatch(/about to fail/);
    } finally {
      await rm(broken, { recursive: true, force: true });
    }
  });

  it('runs the service as uid 1000, reachable on the published port, with the Vulkan loader and RADV', { timeout: 120_000 }, async () => {
    container = await docker.createContainer({
      Image: tag,
      name: `${project}-inference`,
      Labels: { [LABEL_PROJECT]: project },
      ExposedPorts: { '8000/tcp': {} },
      HostConfig: { PortBindings: { '8000/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] }, AutoRemove: false },
    });
    await container.start();
    const port = (await container.inspect()).NetworkSettings.Ports['8000/tcp']![0]!.HostPort;
    baseUrl = `http://127.0.0.1:${port}`;
    let health: Response | null = null;
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
      // Each attempt bounded: a connection made while the container starts can hang unanswered.
      health = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(2000) }).catch(() => null);
      if (health?.ok) break;
      expect((await container.inspect()).State.Running, 'the container exited').toBe(true);
    }
    expect(health?.status).toBe(200);
    const body = (await health!.json()) as { models: { name: string; provider: string }[]; providers: { order: string[]; refused: { provider: string; reason: string }[] } };
    expect(body.models.map((m) => m.name).sort()).toEqual(['digits', 'latency-convnet']);
    // No GPU here: webgpu was tried first and refused with a reason, cpu serves.
    expect(body.providers.order).toEqual(['webgpu', 'cpu']);
    expect(body.providers.refused).toEqual([{ provider: 'webgpu', reason: expect.stringMatching(/\w/) }]);
    expect(body.models.every((m) => m.provider === 'cpu')).toBe(true);

    const logs = (await container.logs({ stdout: true, stderr: true })).toString();
    expect(logs).toMatch(/every interface of the container's own network namespace/);
    expect(logs).toMatch(/listening on http:\/\/0\.0\.0\.0:8000/);

    // onnxruntime's telemetry is off: no device id written to the home directory.
    expect(await execIn(container, ['ls', '-A', '/home/node'])).toMatchObject({ out: expect.not.stringContaining('.cache') });
    const uid = await execIn(container, ['cat', '/proc/1/status']);
    expect(uid.out).toMatch(/^Uid:\s+1000\s+1000\s+1000\s+1000$/m);
    const vulkan = ['/usr/lib/x86_64-linux-gnu/libvulkan.so.1', '/usr/share/vulkan/icd.d/radeon_icd.x86_64.json'];
    expect(await execIn(container, ['ls', '-L', ...vulkan])).toMatchObject({ code: 0 });
  });

  it('classifies a handwritten digit and exports its start time', async () => {
    const sample = loadDigits().test[3]!;
    const image = (await digitImage(sample)).toString('base64');
    const res = await fetch(`${baseUrl}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model_name: 'digits', inputs: { image } }),
    });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { provider: string; predictions: { label: string }[][] };
    expect(answer.provider).toBe('cpu');
    expect(answer.predictions[0]![0]!.label).toBe(String(sample.label));

    const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
    const start = Number(/^process_start_time_seconds (\S+)$/m.exec(metrics)?.[1]);
    expect(Math.abs(Date.now() / 1000 - start)).toBeLessThan(120);
    const startedAt = Date.parse((await container!.inspect()).State.StartedAt) / 1000;
    expect(Math.abs(start - startedAt)).toBeLessThan(5);
  });
});

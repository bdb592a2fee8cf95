import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSettings } from '../../stack/settings';
import { freePort } from '../../stack/testing/test-settings';
import { dispatchApiCall } from '../api/dispatch';
import { ConsoleCore } from '../console-core';

// The small real server stands in for dist/inference.js here (it takes the same --port);
// inference-acceptance.test.ts runs the real service.
const SMALL_SERVER = fileURLToPath(new URL('./testing/small-server.mjs', import.meta.url));

describe('inference process through the contract', () => {
  const cores: ConsoleCore[] = [];
  afterEach(async () => {
    for (const core of cores.splice(0)) await core.inference?.stop();
  });

  async function makeCore(inference: { enabled: boolean }) {
    const dir = await mkdtemp(join(tmpdir(), 'rx580-inference-proc-'));
    const settings = parseSettings({ project: 'rx580-inference-proc', dataDir: dir, inference: { ...inference, port: await freePort() } });
    const core = new ConsoleCore({ settings, settingsFile: join(dir, 'settings.json'), mode: 'web', inferenceScript: SMALL_SERVER, env: { DOCKER_HOST: 'unix:///tmp/rx580-no-engine.sock' } });
    cores.push(core);
    return core;
  }

  it('starts, reports health, streams status and log events, and stops', async () => {
    const core = await makeCore({ enabled: true });
    const events: string[] = [];
    const unsubscribe = core.subscribe((event, payload) => {
      if (event === 'inference.status') events.push(`status:${(payload as { state: string }).state}`);
      if (event === 'inference.log') events.push('log');
    });
    const started = await dispatchApiCall(core.handlers, 'inference.start', []);
    expect(started.body).toMatchObject({ ok: true, result: { name: 'inference', state: 'starting', enabled: true } });
    await expect.poll(async () => (await core.handlers['inference.status']()).state, { timeout: 5000 }).toBe('running');
    const { lines } = await core.handlers['inference.logs']({ tail: 50 });
    expect(lines[0]?.text).toMatch(/^starting inference: .*small-server\.mjs --settings \S+settings\.json --port \d+ --providers webgpu,cpu$/);
    expect(events).toContain('status:running');
    expect(events).toContain('log');
    const stopped = await dispatchApiCall(core.handlers, 'inference.stop', []);
    expect(stopped.body).toMatchObject({ ok: true, result: { state: 'stopped', pid: null } });
    unsubscribe();
  });

  it('says the service is switched off when inference.enabled is false', async () => {
    const core = await makeCore({ enabled: false });
    expect(core.inference).toBeNull();
    expect(await core.handlers['inference.status']()).toMatchObject({ enabled: false, state: 'stopped' });
    const res = await dispatchApiCall(core.handlers, 'inference.start', []);
    expect(res).toMatchObject({ status: 409, body: { ok: false, error: { code: 'INFERENCE_DISABLED' } } });
  });

  it('rejects a bad log request at the boundary', async () => {
    const core = await makeCore({ enabled: true });
    const res = await dispatchApiCall(core.handlers, 'inference.logs', [{ tail: 0 }]);
    expect(res).toMatchObject({ status: 400, body: { error: { code: 'BAD_ARGUMENT' } } });
  });
});

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSettings, saveSettings } from '../../stack/settings';
import { freePort } from '../../stack/testing/test-settings';
import { IPC_EVENT_CHANNEL } from '../api/channels';
import { appRoot } from '../app-root';
import type { ProcessLogLine, ProcessStatus } from '../process/process-status';
import { defaultInferenceScript } from '../process/inference-process';
import { DesktopApp } from './desktop-app';
import { fakePorts, type FakePorts } from './testing/fake-ports';

type Answer<T> = { ok: true; result: T };
const PAGE = 'file:///app/dist/renderer/index.html';

// The real inference service (dist/inference.js, real onnxruntime) supervised by the desktop
// app, called as its window calls it; child_process stands in for Electron's utilityProcess.
describe('inference supervision in the desktop app (real inference process)', () => {
  let ports: FakePorts;
  let app: DesktopApp;
  const call = async <T>(method: string, ...args: unknown[]) => ((await ports.invoke!(PAGE, method, args)) as Answer<T>).result;
  const status = () => call<ProcessStatus>('inference.status');

  beforeAll(async () => {
    if (!existsSync(defaultInferenceScript())) execFileSync(process.execPath, ['scripts/build-node.mjs'], { cwd: appRoot() });
    const dir = await mkdtemp(join(tmpdir(), 'rx580-supervision-'));
    const settings = parseSettings({
      project: 'rx580-supervision',
      dataDir: dir,
      prometheus: { port: await freePort() },
      inference: { port: await freePort(), providers: ['cpu'] },
    });
    await saveSettings(join(dir, 'settings.json'), settings);
    ports = fakePorts(dir);
    app = new DesktopApp({ ports, env: { ...process.env, DOCKER_HOST: 'unix:///tmp/rx580-supervision-no-engine.sock' } });
    await app.start();
  }, 60_000);

  afterAll(async () => {
    await app?.quitFlow?.run();
  });

  it('is back and healthy within 10 s of a SIGKILL, and its logs show the crash', async () => {
    expect((await call<ProcessStatus>('inference.start')).state).toBe('starting');
    await expect.poll(async () => (await status()).healthy, { timeout: 45_000, interval: 200 }).toBe(true);
    const killed = (await status()).pid!;

    const t0 = performance.now();
    process.kill(killed, 'SIGKILL');
    await expect.poll(async () => { const s = await status(); return s.healthy && s.pid !== killed; }, { timeout: 10_000, interval: 100 }).toBe(true);
    console.log(`inference back and healthy ${((performance.now() - t0) / 1000).toFixed(1)} s after SIGKILL`);

    const after = await status();
    expect(after).toMatchObject({ state: 'running', restarts: 1, lastExit: { code: null, signal: 'SIGKILL' } });
    const { lines } = await call<{ lines: ProcessLogLine[] }>('inference.logs', { tail: 500 });
    const texts = lines.map((l) => `${l.stream}: ${l.text}`);
    expect(texts).toContainEqual('supervisor: inference crashed (signal SIGKILL); restarting in 1 s (restart 1 of at most 5 in a row)');
    // The service's own output, before and after the crash.
    expect(texts.filter((t) => /inference: listening on http:\/\/127\.0\.0\.1:/.test(t))).toHaveLength(2);
    // The window (the Logs page) got the same lines live.
    const live = ports.windows[0]!.sent.filter(([channel, event]) => channel === IPC_EVENT_CHANNEL && event === 'inference.log').map(([, , l]) => (l as ProcessLogLine).text);
    expect(live).toContain('inference crashed (signal SIGKILL); restarting in 1 s (restart 1 of at most 5 in a row)');
  }, 90_000);

  it('stops on request and stays stopped', async () => {
    const stopped = await call<ProcessStatus>('inference.stop');
    expect(stopped).toMatchObject({ state: 'stopped', pid: null, healthy: false });
    await new Promise((r) => setTimeout(r, 1500));
    expect((await status()).state).toBe('stopped');
  });
});

import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSettings, saveSettings } from './settings-file';
import { dispatchApiCall } from '../core/dispatch';
import { ConsoleCore } from '../core/console-core';

// A real ConsoleCore and a real settings file; the Docker endpoint does not exist (not needed).
async function makeCore(env: NodeJS.ProcessEnv = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'rx580-settings-api-'));
  const file = join(dir, 'settings.json');
  const settings = parseSettings({ project: 'rx580-settings-api', dataDir: dir, inference: { enabled: false } });
  // The console runs with what its file says.
  await saveSettings(file, settings);
  const core = new ConsoleCore({ settings, settingsFile: file, mode: 'desktop', env: { DOCKER_HOST: 'unix:///tmp/rx580-no-engine.sock', ...env } });
  const call = async (method: string, ...args: unknown[]) => (await dispatchApiCall(core.handlers, method, args)).body as { ok: boolean; result?: any; error?: any };
  return { core, file, call };
}

describe('settings through the contract', () => {
  it('saves the form atomically with its schema version and tells whether a restart is needed', async () => {
    const { core, file, call } = await makeCore();
    const { result: view } = await call('settings.get');
    expect(view).toMatchObject({ file, restartNeeded: false, settings: { project: 'rx580-settings-api', prometheus: { port: 9090 } } });

    const desktopOnly = await call('settings.update', { ...view.settings, desktop: { notifications: false, onQuit: 'keep' } });
    expect(desktopOnly).toMatchObject({ ok: true, result: { restartNeeded: false, settings: { desktop: { notifications: false, onQuit: 'keep' } } } });
    expect(core.settings.desktop).toEqual({ notifications: false, onQuit: 'keep' });

    const ports = await call('settings.update', { ...view.settings, prometheus: { ...view.settings.prometheus, port: 19090 } });
    expect(ports).toMatchObject({ ok: true, result: { restartNeeded: true } });
    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(saved).toMatchObject({ schemaVersion: 3, prometheus: { port: 19090 } });
  });

  it('answers a bad form with one message per field', async () => {
    const { call } = await makeCore();
    const { result: view } = await call('settings.get');
    const bad = await call('settings.update', { ...view.settings, prometheus: { ...view.settings.prometheus, port: 70000 }, inference: { ...view.settings.inference, providers: [] } });
    expect(bad.ok).toBe(false);
    expect(bad.error.code).toBe('BAD_ARGUMENT');
    expect(bad.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['0.inference.providers', '0.prometheus.port']);
  });

  it('exports a file that imports back, and imports a v1 file', async () => {
    const a = await makeCore();
    const { result: view } = await a.call('settings.get');
    await a.call('settings.update', { ...view.settings, alerts: { ...view.settings.alerts, errorRateWarning: 0.02 } });
    const { result: exported } = await a.call('settings.export');
    expect(exported.fileName).toBe('rx580-ops-settings.json');
    expect(JSON.parse(exported.content)).toMatchObject({ schemaVersion: 3, alerts: { errorRateWarning: 0.02 } });

    const b = await makeCore();
    expect(await b.call('settings.import', exported.content)).toMatchObject({ ok: true, result: { settings: { alerts: { errorRateWarning: 0.02 } } } });
    const v1 = await b.call('settings.import', JSON.stringify({ project: 'old-rig', prometheus: { port: 29090 } }));
    expect(v1).toMatchObject({ ok: true, result: { settings: { project: 'old-rig', prometheus: { port: 29090 }, desktop: { onQuit: 'ask' } } } });
    expect(JSON.parse(await readFile(b.file, 'utf8')).schemaVersion).toBe(3);
  });

  it('refuses an import that is not JSON or not valid, saying where, and keeps the saved file', async () => {
    const { call, file } = await makeCore();
    const { result: view } = await call('settings.get');
    await call('settings.update', view.settings);
    const before = await readFile(file, 'utf8');
    expect((await call('settings.import', '{ nope')).error).toMatchObject({ code: 'BAD_SETTINGS_FILE', message: expect.stringMatching(/not JSON/) });
    const invalid = await call('settings.import', JSON.stringify({ prometheus: { port: 'x' }, desktop: { onQuit: 'never' } }));
    expect(invalid.error.code).toBe('INVALID_SETTINGS');
    expect(invalid.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['desktop.onQuit', 'prometheus.port']);
    expect((await call('settings.import', JSON.stringify({ schemaVersion: 9 }))).error.message).toMatch(/newer version/);
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('lists environment overrides and never writes them into the file', async () => {
    const { call, file } = await makeCore({ RX580_OPS_GRAFANA_ENABLED: 'false' });
    const { result: view } = await call('settings.get');
    expect(view.overridden).toEqual([{ path: 'grafana.enabled', variable: 'RX580_OPS_GRAFANA_ENABLED' }]);
    expect(view.settings.grafana.enabled).toBe(true);
    await call('settings.update', view.settings);
    expect(JSON.parse(await readFile(file, 'utf8')).grafana.enabled).toBe(true);
  });
});

import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OFFICIAL_IMAGES, SETTING_LEAVES } from '../api/schemas/settings';
import { applyEnvOverrides, loadSettings, saveSettings } from './settings-file';
import { SettingsError } from './settings-error';

const tmp = () => mkdtemp(join(tmpdir(), 'rx580-settings-'));

describe('settings', () => {
  it('derives one environment variable per leaf setting', () => {
    const names = SETTING_LEAVES.map((l) => l.envName);
    expect(names).toEqual(
      expect.arrayContaining(['RX580_OPS_PROMETHEUS_IMAGE', 'RX580_OPS_PROMETHEUS_PORT', 'RX580_OPS_ALERTMANAGER_IMAGE', 'RX580_OPS_GRAFANA_ENABLED', 'RX580_OPS_DATA_DIR', 'RX580_OPS_WEB_PORT']),
    );
    expect(new Set(names).size).toBe(names.length);
  });

  it('uses pinned official images and loopback-friendly default ports when nothing is set', async () => {
    const { settings, fileExists } = await loadSettings(join(await tmp(), 'none.json'), {});
    expect(fileExists).toBe(false);
    expect(settings.prometheus).toEqual({ enabled: true, image: OFFICIAL_IMAGES.prometheus, port: 9090, scrapeInterval: '15s', remoteWrite: expect.objectContaining({ enabled: false }) });
    expect(settings.alertmanager.port).toBe(9093);
    expect(settings.grafana.port).toBe(3000);
    for (const image of Object.values(OFFICIAL_IMAGES)) expect(image).not.toMatch(/:latest$|^[^:]+$/);
  });

  it('lets the environment override the file', async () => {
    const file = join(await tmp(), 'settings.json');
    await writeFile(file, JSON.stringify({ prometheus: { port: 19090, image: 'from-file' } }));
    const { settings } = await loadSettings(file, { RX580_OPS_PROMETHEUS_IMAGE: 'from-env', RX580_OPS_GRAFANA_ENABLED: 'false' });
    expect(settings.prometheus).toEqual({ enabled: true, image: 'from-env', port: 19090, scrapeInterval: '15s', remoteWrite: expect.objectContaining({ enabled: false }) });
    expect(settings.grafana.enabled).toBe(false);
  });

  it.each([
    [{ RX580_OPS_PROMETHEUS_PORT: 'ninety' }, /RX580_OPS_PROMETHEUS_PORT=ninety is not a number/],
    [{ RX580_OPS_PROMETHEUS_PORT: '70000' }, /prometheus\.port: /],
    [{ RX580_OPS_GRAFANA_ENABLED: 'maybe' }, /RX580_OPS_GRAFANA_ENABLED=maybe is not true or false/],
    [{ RX580_OPS_PROJECT: 'Bad Name!' }, /project: lowercase letters/],
    [{ RX580_OPS_ALERTS_API_DOWN_FOR: '1 minute' }, /alerts\.apiDownFor: a duration such as 30s/],
    [{ RX580_OPS_ALERTS_EVALUATION_INTERVAL: '0s' }, /alerts\.evaluationInterval: must be longer than zero/],
  ])('refuses %j with a clear message', async (env, message) => {
    await expect(loadSettings(join(await tmp(), 'none.json'), env)).rejects.toThrow(message);
    await expect(loadSettings(join(await tmp(), 'none.json'), env)).rejects.toBeInstanceOf(SettingsError);
  });

  it('names the file when it is not JSON', async () => {
    const file = join(await tmp(), 'settings.json');
    await writeFile(file, '{ port: 1');
    await expect(loadSettings(file, {})).rejects.toThrow(`Settings file ${file} is not valid JSON`);
  });

  it('saves atomically, private to the user, and reads back what it saved', async () => {
    const file = join(await tmp(), 'nested', 'settings.json');
    await saveSettings(file, { prometheus: { port: 19191 } });
    expect(JSON.parse(await readFile(file, 'utf8')).prometheus.port).toBe(19191);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await loadSettings(file, {})).settings.prometheus.port).toBe(19191);
  });

  it('reads a list setting from a comma-separated variable', async () => {
    const { settings } = await loadSettings(join(await tmp(), 'none.json'), { RX580_OPS_INFERENCE_PROVIDERS: 'cpu' });
    expect(settings.inference.providers).toEqual(['cpu']);
    await expect(loadSettings(join(await tmp(), 'none.json'), { RX580_OPS_INFERENCE_PROVIDERS: 'cuda' })).rejects.toThrow(/inference\.providers\.0/);
  });

  it('does not mutate the input when applying overrides', () => {
    const input = { prometheus: { port: 1 } };
    applyEnvOverrides(input, { RX580_OPS_PROMETHEUS_PORT: '2' });
    expect(input.prometheus.port).toBe(1);
  });
});

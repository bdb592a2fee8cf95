import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings, saveSettings } from './settings-file';
import { SettingsError } from './settings-error';
import { migrateSettings, SETTINGS_SCHEMA_VERSION } from './settings-migration';

/** A settings file as the first releases wrote it: no schemaVersion, no sections added since. */
const V1_FILE = {
  project: 'my-rig',
  dataDir: '/srv/rx580',
  prometheus: { enabled: true, image: 'prom/prometheus:v2.53.0', port: 19090 },
  alertmanager: { enabled: false, image: 'prom/alertmanager:v0.27.0', port: 19093 },
  grafana: { enabled: true, image: 'grafana/grafana:11.0.0', port: 13000 },
  web: { port: 17580 },
};

describe('settings file versions', () => {
  it('loads a v1 file with every value kept and the newer sections defaulted, and saves it as the current version', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'rx580-migrate-')), 'settings.json');
    await writeFile(file, JSON.stringify(V1_FILE));
    const { settings } = await loadSettings(file, {});
    expect(settings).toMatchObject(V1_FILE);
    expect(settings.desktop).toEqual({ notifications: true, onQuit: 'ask' });
    expect(settings.inference.providers).toEqual(['webgpu', 'cpu']);

    await saveSettings(file, settings);
    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(saved.schemaVersion).toBe(SETTINGS_SCHEMA_VERSION);
    expect(saved).toMatchObject(V1_FILE);
    expect((await loadSettings(file, {})).settings).toEqual(settings);
  });

  it('drops the exporter section of a v2 file (no alert depends on the console any more) and keeps the rest', () => {
    const v2 = { ...V1_FILE, schemaVersion: 2, exporter: { port: 9581 }, inference: { port: 18000 } };
    const migrated = migrateSettings(v2);
    expect(migrated).not.toHaveProperty('exporter');
    expect(migrated).toEqual({ ...V1_FILE, schemaVersion: 3, inference: { port: 18000 } });
  });

  it('refuses a file from a newer console, saying so, rather than dropping what it does not know', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'rx580-migrate-')), 'settings.json');
    await writeFile(file, JSON.stringify({ ...V1_FILE, schemaVersion: SETTINGS_SCHEMA_VERSION + 1 }));
    const err = await loadSettings(file, {}).catch((e) => e);
    expect(err).toBeInstanceOf(SettingsError);
    expect(err.message).toMatch(/written by a newer version of the console.*update the console/);
  });

  it.each([[[]], ['text'], [{ schemaVersion: 'two' }], [{ schemaVersion: 0 }]])('refuses %j with a clear message', (raw) => {
    expect(() => migrateSettings(raw)).toThrow(/JSON object|schemaVersion must be a whole number/);
  });
});

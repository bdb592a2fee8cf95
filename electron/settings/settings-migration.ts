/**
 * Versions of the settings file. Each migration turns a file of one version into the next, so a
 * file from any earlier release loads; a file from a newer release is refused rather than
 * silently stripped of what this version does not know.
 *
 * v1: the first releases wrote no `schemaVersion` and knew only project, dataDir, the three
 *     services and web; everything newer takes its default.
 * v2: `schemaVersion` written into the file.
 * v3: the console's exporter is gone (no alert depends on the console's process): `exporter` dropped.
 */
export const SETTINGS_SCHEMA_VERSION = 3;

import { SettingsError } from './settings-error';

type RawSettings = Record<string, unknown>;

const MIGRATIONS: Record<number, (from: RawSettings) => RawSettings> = {
  1: (v1) => ({ ...v1, schemaVersion: 2 }),
  2: ({ exporter: _dropped, ...v2 }) => ({ ...v2, schemaVersion: 3 }),
};

/** A settings file of a version this console cannot read. */
export class SettingsVersionError extends SettingsError {
  override name = 'SettingsVersionError';
}

/** Brings a parsed settings file up to the current version; the result still needs validating. */
export function migrateSettings(raw: unknown): RawSettings {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new SettingsVersionError('Settings must be a JSON object.');
  let settings = raw as RawSettings;
  const declared = settings.schemaVersion ?? 1;
  if (typeof declared !== 'number' || !Number.isInteger(declared) || declared < 1) {
    throw new SettingsVersionError(`schemaVersion must be a whole number from 1 to ${SETTINGS_SCHEMA_VERSION}, not ${JSON.stringify(declared)}.`);
  }
  if (declared > SETTINGS_SCHEMA_VERSION) {
    throw new SettingsVersionError(`These settings were written by a newer version of the console (schemaVersion ${declared}; this one knows up to ${SETTINGS_SCHEMA_VERSION}): update the console.`);
  }
  for (let v = declared; v < SETTINGS_SCHEMA_VERSION; v++) settings = MIGRATIONS[v]!(settings);
  return settings;
}

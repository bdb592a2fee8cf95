import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { applyEnvOverrides as applyVariables, formatZodIssues } from '../../inference/env-overrides';
import { ENV_PREFIX, SETTING_LEAVES, settingsSchema, type Settings, type SettingsInput } from '../api/schemas/settings';
import { SettingsError } from './settings-error';
import { migrateSettings, SETTINGS_SCHEMA_VERSION } from './settings-migration';

/**
 * The settings file and the environment, on the main-process side: where the file lives, the
 * defaults only the host knows, reading (migrated), validating and writing it atomically.
 */

export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'rx580-ops');
}

export function defaultSettingsFile(env: NodeJS.ProcessEnv = process.env): string {
  return env[`${ENV_PREFIX}SETTINGS`] || join(defaultConfigDir(env), 'settings.json');
}

function defaultDataDir(): string {
  return join(process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'rx580-ops');
}

/**
 * The settings whose defaults depend on this host, filled where left out: the data folder,
 * containers for inference on Linux (only Linux hands a GPU's device nodes to a container), and
 * node_exporter on Linux only (elsewhere Docker runs in a VM, whose resources a container sees).
 */
export function withHostDefaults(input: unknown): unknown {
  if (!isObject(input)) return input;
  const linux = process.platform === 'linux';
  const inference = input.inference ?? {};
  const nodeExporter = input.nodeExporter ?? {};
  return {
    ...input,
    dataDir: input.dataDir ?? defaultDataDir(),
    inference: isObject(inference) ? { ...inference, runtime: inference.runtime ?? (linux ? 'container' : 'host') } : inference,
    nodeExporter: isObject(nodeExporter) ? { ...nodeExporter, enabled: nodeExporter.enabled ?? linux } : nodeExporter,
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Applies `RX580_OPS_*` variables on top of what the file said. */
export function applyEnvOverrides(input: unknown, env: NodeJS.ProcessEnv): Record<string, unknown> {
  return applyVariables(input, env, SETTING_LEAVES, (message) => new SettingsError(message));
}

/** Settings from a file's content or a caller, host defaults filled in; a bad value is a SettingsError. */
export function parseSettings(input: unknown): Settings {
  const result = settingsSchema.safeParse(withHostDefaults(input));
  if (!result.success) throw new SettingsError(`Invalid settings: ${formatZodIssues(result.error)}`);
  return result.data;
}

export interface LoadedSettings {
  settings: Settings;
  file: string;
  fileExists: boolean;
}

/** What the settings file says, migrated to the current version; `{}` when there is no file. */
export async function readSettingsFile(file: string): Promise<{ raw: Record<string, unknown>; fileExists: boolean }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return { raw: {}, fileExists: false };
    throw new SettingsError(`Cannot read settings file ${file}: ${e.message}`);
  }
  try {
    return { raw: migrateSettings(JSON.parse(text)), fileExists: true };
  } catch (err) {
    throw new SettingsError(`Settings file ${file} ${err instanceof SyntaxError ? 'is not valid JSON' : 'cannot be used'}: ${(err as Error).message}`);
  }
}

/** Reads the settings file (a missing file means defaults) and applies the environment. */
export async function loadSettings(file = defaultSettingsFile(), env: NodeJS.ProcessEnv = process.env): Promise<LoadedSettings> {
  const { raw, fileExists } = await readSettingsFile(file);
  return { settings: parseSettings(applyEnvOverrides(raw, env)), file, fileExists };
}

/** Writes the settings file atomically (temp file + rename), so a crash never leaves half a file. */
export async function saveSettings(file: string, settings: SettingsInput): Promise<void> {
  const valid = parseSettings(settings);
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify({ schemaVersion: SETTINGS_SCHEMA_VERSION, ...valid }, null, 2) + '\n', { mode: 0o600 });
  await rename(tmp, file);
}

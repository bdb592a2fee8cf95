import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { SettingsError } from './settings-error';
import { migrateSettings, SETTINGS_SCHEMA_VERSION } from './settings-migration';
import { PROVIDER_NAMES } from '../inference/api-types';
import { gpuSelectionSchema } from './gpu/gpu-selection';
import { inferenceRuntimeSchema, serviceNameSchema } from '../electron/api/schemas/stack-status';

/**
 * The console's settings: one typed schema, read from a JSON file and overridable by
 * environment variables whose names are derived from the schema's paths
 * (`prometheus.image` -> `RX580_OPS_PROMETHEUS_IMAGE`), so scripts and tests can point the
 * console at other images and ports without editing files.
 */

const port = z.number().int().min(1).max(65535);

/** A Prometheus duration such as `30s`, `2m` or `1h30m`, as rule files and prometheus.yml take it. */
export const durationSchema = z
  .string()
  .regex(/^([0-9]+(ms|s|m|h|d|w|y))+$/, 'a duration such as 30s, 2m or 1h (units ms, s, m, h, d, w, y)');
/** A duration that must be longer than zero (intervals; a `for` of 0s is allowed). */
const interval = durationSchema.refine((d) => /[1-9]/.test(d), 'must be longer than zero');

const serviceShape = (image: string, defaultPort: number) =>
  z.object({
    enabled: z.boolean().default(true),
    image: z.string().min(1).default(image),
    port: port.default(defaultPort),
  });
const serviceSettings = (image: string, defaultPort: number) => serviceShape(image, defaultPort).prefault({});

// Official images, pinned: `:latest` was one of the seed's defects.
export const OFFICIAL_IMAGES = {
  prometheus: 'prom/prometheus:v3.5.0',
  alertmanager: 'prom/alertmanager:v0.28.1',
  grafana: 'grafana/grafana:12.1.1',
} as const;

export const settingsSchema = z.object({
  /** Name prefix and label value of everything the console creates in Docker. */
  project: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_.-]{0,40}$/, 'lowercase letters, digits, dot, dash or underscore, 41 characters at most')
    .default('rx580-ops'),
  /** Where the console keeps rendered config files and its own state. */
  dataDir: z.string().min(1).default(defaultDataDir()),
  prometheus: serviceShape(OFFICIAL_IMAGES.prometheus, 9090)
    .extend({
      /** How often every target is scraped. */
      scrapeInterval: interval.default('15s'),
    })
    .prefault({}),
  alertmanager: serviceSettings(OFFICIAL_IMAGES.alertmanager, 9093),
  grafana: serviceSettings(OFFICIAL_IMAGES.grafana, 3000),
  web: z
    .object({
      /** Port of the headless web mode; 0 picks a free one. */
      port: z.number().int().min(0).max(65535).default(7580),
    })
    .prefault({}),
  /** The ONNX inference service (inference/), scraped by Prometheus as job `rx580-api` (the seed's name). */
  inference: z
    .object({
      enabled: z.boolean().default(true),
      /** Host port of the first worker; worker N publishes port + N. */
      port: port.default(8000),
      /** Containers need the GPU's device nodes, which only Linux hands to a container. */
      runtime: inferenceRuntimeSchema.default(process.platform === 'linux' ? 'container' : 'host'),
      /** AMD cards that get a worker each: `all`, `none` (CPU only) or a list such as `card0,card1`. */
      gpus: gpuSelectionSchema.default('all'),
      /** CPU workers when no GPU is selected or found. */
      cpuWorkers: z.number().int().min(1).max(16).default(1),
      /** A registry image of the service; empty builds it here from inference/Dockerfile. */
      image: z.string().default(''),
      /** The base the local build starts from (inference/Dockerfile's BASE_IMAGE). */
      baseImage: z.string().min(1).default('node:22-bookworm-slim'),
      /** Folder of `.onnx` models; empty means the demo models that ship with the console. */
      modelsDir: z.string().default(''),
      /** Execution providers in the order they are tried; the first that works is used. */
      providers: z.array(z.enum(PROVIDER_NAMES)).min(1).default(['webgpu', 'cpu']),
      /** Model files (in modelsDir) loaded at start; empty with the demo models means all of them. */
      preload: z.array(z.string().min(1)).default([]),
      /** Predictions running at once; beyond that the service answers 503 with Retry-After. */
      maxConcurrent: z.number().int().min(1).max(1024).default(64),
      /** Largest request body in bytes (an image in base64 JSON is 4/3 of the file). */
      bodyLimit: z.number().int().min(1024).max(256 * 2 ** 20).default(16 * 2 ** 20),
    })
    .prefault({}),
  /**
   * Thresholds and `for` durations of the seed's 11 alert rules (stack/alert-rules.ts renders
   * them), and how often Prometheus evaluates them. Durations are strings like `30s` or `2m`.
   */
  alerts: z
    .object({
      evaluationInterval: interval.default('30s'),
      errorRateWarning: z.number().gt(0).lt(1).default(0.05),
      errorRateWarningFor: durationSchema.default('2m'),
      errorRateCritical: z.number().gt(0).lt(1).default(0.1),
      errorRateCriticalFor: durationSchema.default('1m'),
      latencyP95Seconds: z.number().positive().default(0.1),
      latencyFor: durationSchema.default('5m'),
      apiDownFor: durationSchema.default('1m'),
      requestRatePerSecond: z.number().positive().default(100),
      requestRateFor: durationSchema.default('2m'),
      modelLoadFailures: z.number().int().min(0).default(3),
      modelLoadFailuresFor: durationSchema.default('1m'),
      inferenceP95Seconds: z.number().positive().default(1),
      inferenceFor: durationSchema.default('5m'),
      memoryBytes: z.number().int().positive().default(7 * 2 ** 30),
      memoryFor: durationSchema.default('5m'),
      containerRestarts: z.number().int().min(0).default(2),
      containerRestartingFor: durationSchema.default('1m'),
      containerDownFor: durationSchema.default('1m'),
      targetDownFor: durationSchema.default('2m'),
    })
    .prefault({}),
  /** The desktop app's own behaviour. */
  desktop: z
    .object({
      /** Desktop notifications when an alert starts firing or resolves. */
      notifications: z.boolean().default(true),
      /** What quitting does to a running stack: ask, stop it, or keep it running. */
      onQuit: z.enum(['ask', 'stop', 'keep']).default('ask'),
    })
    .prefault({}),
});

export type Settings = z.infer<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;
export { type ServiceName, type MonitoringService, MONITORING_SERVICES } from '../electron/api/schemas/stack-status';
export const SERVICE_NAMES = serviceNameSchema.options;

export const ENV_PREFIX = 'RX580_OPS_';

export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'rx580-ops');
}

export function defaultSettingsFile(env: NodeJS.ProcessEnv = process.env): string {
  return env[`${ENV_PREFIX}SETTINGS`] || join(defaultConfigDir(env), 'settings.json');
}

function defaultDataDir(): string {
  return join(process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'rx580-ops');
}

export { SettingsError };

type Leaf = { envName: string; path: string[]; kind: 'string' | 'number' | 'boolean' | 'list' };

function unwrap(schema: z.ZodType): z.ZodType {
  let s: z.ZodType = schema;
  while (s instanceof z.ZodDefault || s instanceof z.ZodPrefault || s instanceof z.ZodOptional) {
    s = s.unwrap() as z.ZodType;
  }
  return s;
}

/** Every leaf setting with its environment variable name, derived from the schema. */
export function settingLeaves(schema: z.ZodObject = settingsSchema, path: string[] = []): Leaf[] {
  const leaves: Leaf[] = [];
  for (const [key, child] of Object.entries(schema.shape)) {
    const inner = unwrap(child as z.ZodType);
    const childPath = [...path, key];
    if (inner instanceof z.ZodObject) {
      leaves.push(...settingLeaves(inner, childPath));
      continue;
    }
    const kind = inner instanceof z.ZodNumber ? 'number' : inner instanceof z.ZodBoolean ? 'boolean' : inner instanceof z.ZodArray ? 'list' : 'string';
    const envName = ENV_PREFIX + childPath.map((p) => p.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()).join('_');
    leaves.push({ envName, path: childPath, kind });
  }
  return leaves;
}

/** The environment variable of one setting (`inference.port` -> `RX580_OPS_INFERENCE_PORT`). */
export function envNameOf(path: string): string {
  const leaf = settingLeaves().find((l) => l.path.join('.') === path);
  if (!leaf) throw new Error(`There is no setting ${path}`);
  return leaf.envName;
}

function parseEnvValue(leaf: Leaf, raw: string): unknown {
  if (leaf.kind === 'number') {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n)) throw new SettingsError(`${leaf.envName}=${raw} is not a number`);
    return n;
  }
  // Lists are comma-separated: RX580_OPS_INFERENCE_PROVIDERS=cpu or =webgpu,cpu.
  if (leaf.kind === 'list') return raw.split(',').map((v) => v.trim()).filter(Boolean);
  if (leaf.kind === 'boolean') {
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    throw new SettingsError(`${leaf.envName}=${raw} is not true or false`);
  }
  return raw;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    node = next && typeof next === 'object' ? (next as Record<string, unknown>) : (node[key] = {});
  }
  node[path[path.length - 1]!] = value;
}

/** Applies `RX580_OPS_*` variables on top of what the file said. */
export function applyEnvOverrides(input: unknown, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const merged = structuredClone((input ?? {}) as Record<string, unknown>);
  for (const leaf of settingLeaves()) {
    const raw = env[leaf.envName];
    if (raw !== undefined) setPath(merged, leaf.path, parseEnvValue(leaf, raw));
  }
  return merged;
}

export function formatZodIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

export function parseSettings(input: unknown): Settings {
  const result = settingsSchema.safeParse(input);
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

import { z } from 'zod';
import { PROVIDER_NAMES } from './api-types';
import { applyEnvOverrides, envNameIn, formatZodIssues, settingLeaves } from './env-overrides';
import { maxBatchSizeSchema, maxConcurrentRunsSchema, maxQueueDelayMsSchema } from './model-sidecar';

/**
 * The inference service's own settings: what it serves and how much at once. The service reads
 * them from `RX580_OPS_INFERENCE_*` variables and its flags, and nothing else: it knows nothing of
 * the console. The console's settings compose this schema as their `inference` section, adding
 * where and how its workers run, so both read the same variable names.
 */
export const SERVICE_ENV_PREFIX = 'RX580_OPS_INFERENCE_';

/** Batching off, and the wait it would have: what a model gets where nothing else is said. */
export const BATCHING_DEFAULTS = { maxBatchSize: 1, maxQueueDelayMs: 2, maxConcurrentRuns: 2 } as const;

export const serviceSettingsSchema = z.object({
  /** Port the service listens on (the console's first worker publishes this one). */
  port: z.number().int().min(1).max(65535).default(8000),
  /** Folder of `.onnx` models; empty means the demo models that ship with the service. */
  modelsDir: z.string().default(''),
  /** Execution providers in the order they are tried; the first that works is used. */
  providers: z.array(z.enum(PROVIDER_NAMES)).min(1).default(['webgpu', 'cpu']),
  /** Model files (in modelsDir) loaded at start; empty with the demo models means all of them. */
  preload: z.array(z.string().min(1)).default([]),
  /** Predictions running at once; beyond that the service answers 503 with Retry-After. */
  maxConcurrent: z.number().int().min(1).max(1024).default(64),
  /** Largest request body in bytes (an image in base64 JSON is 4/3 of the file). */
  bodyLimit: z.number().int().min(1024).max(256 * 2 ** 20).default(16 * 2 ** 20),
  /**
   * Rows (dim 0, summed over requests) joined into one run of a model whose inputs and outputs all
   * have a dynamic first dim, as Triton's dynamic batcher does; 1 is off. A sidecar's max_batch_size wins.
   */
  maxBatchSize: maxBatchSizeSchema.default(BATCHING_DEFAULTS.maxBatchSize),
  /** How long a request waits for others to fill its batch, in ms; a sidecar's max_queue_delay_ms wins. */
  maxQueueDelayMs: maxQueueDelayMsSchema.default(BATCHING_DEFAULTS.maxQueueDelayMs),
  /**
   * Runs of one model at once (batched or not), as Triton's instance count; the rest wait their
   * turn. onnxruntime spreads each run over every core already. A sidecar's max_concurrent_runs wins.
   */
  maxConcurrentRuns: maxConcurrentRunsSchema.default(BATCHING_DEFAULTS.maxConcurrentRuns),
  /** File of API keys, one per line (`#` comments and blank lines skipped); every request then needs `Authorization: Bearer <key>`. Empty: no keys. */
  apiKeysFile: z.string().default(''),
  /**
   * Set by whoever publishes the API beyond this machine's loopback: the service then refuses to
   * start without `apiKeysFile`. A flag, not the bind address, because only the launcher knows
   * where the port is reachable (see startInferenceService).
   */
  requireApiKey: z.boolean().default(false),
  /** Requests per second allowed to each API key (or each client address without keys); 0 is no limit. */
  rateLimit: z.number().min(0).max(1_000_000).default(0),
  /** Requests a key may send at once before `rateLimit` paces it (the token bucket's size); beyond, 429 with Retry-After. */
  rateLimitBurst: z.number().int().min(1).max(1_000_000).default(20),
  /** PEM certificate (its chain after it) to serve HTTPS with; set with `tlsKeyFile`, or neither for HTTP. */
  tlsCertFile: z.string().default(''),
  /** PEM private key of `tlsCertFile`. */
  tlsKeyFile: z.string().default(''),
});

export type ServiceSettings = z.output<typeof serviceSettingsSchema>;
export type ServiceSetting = keyof ServiceSettings;
/** How a model's runs are scheduled (joined, and how many at once) unless its sidecar says otherwise: the settings BATCHING_DEFAULTS names. */
export type BatchingSettings = Pick<ServiceSettings, keyof typeof BATCHING_DEFAULTS>;

/** The scheduling settings alone, out of the service's (or the console's wider `settings.inference`). */
export const batchingSettingsOf = (s: BatchingSettings): BatchingSettings =>
  Object.fromEntries(Object.keys(BATCHING_DEFAULTS).map((k) => [k, s[k as keyof BatchingSettings]])) as BatchingSettings;

/** Who may call the API, how often, and over what: the settings api-access.ts acts on. */
const ACCESS_KEYS = ['apiKeysFile', 'requireApiKey', 'rateLimit', 'rateLimitBurst', 'tlsCertFile', 'tlsKeyFile'] as const;
export type AccessSettings = Pick<ServiceSettings, (typeof ACCESS_KEYS)[number]>;

/** The access settings alone, out of the service's (or the console's wider `settings.inference`). */
export const accessSettingsOf = (s: AccessSettings): AccessSettings =>
  Object.fromEntries(ACCESS_KEYS.map((k) => [k, s[k]])) as AccessSettings;

const leaves = settingLeaves(serviceSettingsSchema, SERVICE_ENV_PREFIX);

/** The variable of one setting, for messages that tell the user what to set. */
export const serviceEnvName = (key: ServiceSetting): string => envNameIn(leaves, key);

/** The service's settings from its environment (defaults for what is not set). */
export function serviceSettingsFromEnv(env: Readonly<Record<string, string | undefined>>): ServiceSettings {
  const result = serviceSettingsSchema.safeParse(applyEnvOverrides({}, env, leaves));
  if (!result.success) throw new Error(`Invalid ${SERVICE_ENV_PREFIX}* settings: ${formatZodIssues(result.error)}`);
  return result.data;
}

/** The variables that hand these settings to the service: how a launcher (a container, a host process) configures it. */
export function serviceSettingsEnv(values: Partial<ServiceSettings>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [envNameIn(leaves, key), Array.isArray(value) ? value.join(',') : String(value)]));
}

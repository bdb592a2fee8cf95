import { z } from 'zod';
import { envNameIn, settingLeaves } from '../../../inference/env-overrides';
import { serviceSettingsSchema } from '../../../inference/service-settings';
import { gpuSelectionSchema } from './gpu-selection';
import { LOCAL_RIG_NAME, rigNameSchema } from './rigs';
import { inferenceRuntimeSchema, type ServiceName } from './stack-status';

/**
 * The console's settings: one typed schema for the whole app (the stack, the inference workers,
 * the web mode and the desktop shell), read from a JSON file and overridable by environment
 * variables whose names are derived from the schema's paths (`prometheus.image` ->
 * `RX580_OPS_PROMETHEUS_IMAGE`). Two defaults depend on the host (the data folder, and whether
 * inference runs in containers): the main process fills them before parsing
 * (electron/settings/settings-file.ts), so this module stays plain zod for every side.
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
  nodeExporter: 'prom/node-exporter:v1.9.1',
} as const;

/**
 * Long-term stores the stack's Prometheus can remote_write to: the path each takes samples at
 * (a URL without one is refused with it), and the header that names a tenant, if it has one.
 */
export const REMOTE_WRITE_TARGETS = {
  victoriametrics: { title: 'VictoriaMetrics', path: '/api/v1/write', tenantHeader: null },
  thanos: { title: 'Thanos Receive', path: '/api/v1/receive', tenantHeader: 'THANOS-TENANT' },
  mimir: { title: 'Mimir', path: '/api/v1/push', tenantHeader: 'X-Scope-OrgID' },
  generic: { title: 'A remote_write receiver', path: null, tenantHeader: null },
} as const satisfies Record<string, { title: string; path: string | null; tenantHeader: string | null }>;
export type RemoteWriteKind = keyof typeof REMOTE_WRITE_TARGETS;
const REMOTE_WRITE_KINDS = Object.keys(REMOTE_WRITE_TARGETS) as [RemoteWriteKind, ...RemoteWriteKind[]];

/** What is wrong with a write URL for this kind of receiver, or null. */
export function remoteWriteUrlProblem(kind: RemoteWriteKind, text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'not a URL: write the receiver\'s write URL, such as http://victoria-metrics:8428/api/v1/write';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `scheme "${url.protocol.slice(0, -1)}" is not supported: use http:// or https://`;
  // The settings file is no place for a secret: a user name has its own field, a password its variable.
  if (url.username || url.password) {
    return `no credentials in the URL (it is kept in the settings file): set auth to basic, the user name in username, and the password in ${REMOTE_WRITE_SECRET_ENV}`;
  }
  if (url.hash) return `a write URL has no fragment ("${url.hash}")`;
  const { title, path } = REMOTE_WRITE_TARGETS[kind];
  if (path && url.pathname === '/') return `${title} takes samples at ${path}: write ${url.origin}${path}`;
  return null;
}

/** Mimir's rule for a tenant ID (Thanos takes any), which keeps the header value plain. */
const TENANT = /^[A-Za-z0-9!._*'()-]{1,150}$/;

const remoteWriteSchema = z
  .object({
    /** Off by default: every sample the stack's Prometheus scrapes also goes to a long-term store. */
    enabled: z.boolean().default(false),
    /** What receives the samples (REMOTE_WRITE_TARGETS): decides the URL's path and the tenant header. */
    kind: z.enum(REMOTE_WRITE_KINDS).default('victoriametrics'),
    /** The receiver's write URL, path included, as Prometheus's container reaches it. */
    url: z.string().trim().default(''),
    /** The tenant samples go to (Mimir's X-Scope-OrgID, Thanos Receive's THANOS-TENANT); empty: the receiver's default. */
    tenant: z.string().trim().default(''),
    /** basic: `username` with a password, bearer: a token; either secret comes from REMOTE_WRITE_SECRET_ENV, never this file. */
    auth: z.enum(['none', 'basic', 'bearer']).default('none'),
    username: z.string().trim().default(''),
  })
  .superRefine((rw, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    const { title, tenantHeader } = REMOTE_WRITE_TARGETS[rw.kind];
    if (rw.url) {
      const problem = remoteWriteUrlProblem(rw.kind, rw.url);
      if (problem) issue('url', problem);
    } else if (rw.enabled) issue('url', 'the receiver\'s write URL is needed, such as http://victoria-metrics:8428/api/v1/write');
    if (rw.tenant && !tenantHeader) {
      const cluster = rw.kind === 'victoriametrics' ? ' (a VictoriaMetrics cluster takes the tenant in the URL: /insert/<accountID>/prometheus/api/v1/write)' : '';
      issue('tenant', `${title} takes no tenant header: leave it empty${cluster}`);
    } else if (rw.tenant && !TENANT.test(rw.tenant)) issue('tenant', "letters, digits and ! . _ * ' ( ) -, 150 characters at most");
    if (rw.auth === 'basic' && !rw.username) issue('username', 'basic auth needs a user name');
    if (rw.auth !== 'basic' && rw.username) issue('username', 'a user name goes with auth basic');
    if (rw.username.includes(':')) issue('username', 'basic auth forbids a colon in the user name');
  });

/** The inference service's own settings (inference/service-settings.ts), plus where and how the console runs its workers. */
const inferenceSettingsSchema = serviceSettingsSchema.extend({
  enabled: z.boolean().default(true),
  /** Containers need the GPU's device nodes, which only Linux hands to a container (host default). */
  runtime: inferenceRuntimeSchema,
  /** AMD cards that get a worker each: `all`, `none` (CPU only) or a list such as `card0,card1`. */
  gpus: gpuSelectionSchema.default('all'),
  /** CPU workers when no GPU is selected or found. */
  cpuWorkers: z.number().int().min(1).max(16).default(1),
  /** A registry image of the service; empty builds it here from inference/Dockerfile. */
  image: z.string().default(''),
  /** The base the local build starts from (inference/Dockerfile's BASE_IMAGE). */
  baseImage: z.string().min(1).default('node:22-bookworm-slim'),
});

export const settingsSchema = z.object({
  /** Name prefix and label value of everything the console creates in Docker. */
  project: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_.-]{0,40}$/, 'lowercase letters, digits, dot, dash or underscore, 41 characters at most')
    .default('rx580-ops'),
  /** Where the console keeps rendered config files and its own state (host default). */
  dataDir: z.string().min(1),
  prometheus: serviceShape(OFFICIAL_IMAGES.prometheus, 9090)
    .extend({
      /** How often every target is scraped. */
      scrapeInterval: interval.default('15s'),
      /** Every sample also written to a long-term store (stack/config/remote-write.ts renders it). */
      remoteWrite: remoteWriteSchema.prefault({}),
    })
    .prefault({}),
  alertmanager: serviceSettings(OFFICIAL_IMAGES.alertmanager, 9093),
  grafana: serviceSettings(OFFICIAL_IMAGES.grafana, 3000),
  /**
   * Host and GPU resources (CPU, memory, disk, network; per card VRAM, busy, temperature, power,
   * fans, clocks through the drm and hwmon collectors). On by default where Docker runs on this
   * machine's own kernel (Linux: the main process fills it); on Docker Desktop a container sees
   * Docker's VM, not this computer.
   */
  nodeExporter: serviceShape(OFFICIAL_IMAGES.nodeExporter, 9100)
    .extend({
      /** Scraped over the stack network only; published on 127.0.0.1 at `port` when set. */
      publish: z.boolean().default(false),
      /** The host folder node_exporter reads as sysfs: `/sys`, or a fixture tree in tests. */
      sysfs: z.string().min(1).default('/sys'),
    })
    .prefault({}),
  web: z
    .object({
      /** Port of the headless web mode; 0 picks a free one. */
      port: z.number().int().min(0).max(65535).default(7580),
    })
    .prefault({}),
  /** The ONNX inference service (inference/), scraped by Prometheus as job `rx580-api` (the seed's name). */
  inference: inferenceSettingsSchema,
  /**
   * Thresholds and `for` durations of the seed's 11 alert rules and the fleet's two (stack/config/alert-rules.ts
   * renders them), and how often Prometheus evaluates them. Durations are strings like `30s` or `2m`.
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
      rigDownFor: durationSchema.default('1m'),
      workerDownFor: durationSchema.default('1m'),
    })
    .prefault({}),
  /** The rigs besides this machine are on the Rigs page; this says which one runs the monitoring stack. */
  rigs: z
    .object({
      /**
       * Where Prometheus, Alertmanager, Grafana and node_exporter run: `local` (this machine) or a
       * rig reached over SSH, whose ports the console reaches through that connection. The
       * inference workers run on every rig either way. Takes effect at the console's next start.
       */
      monitoring: z.union([z.literal(LOCAL_RIG_NAME), rigNameSchema]).default(LOCAL_RIG_NAME),
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

/** What a caller may send: the host-dependent settings may be left out, for the main process to default. */
export const settingsInputSchema = settingsSchema.extend({
  dataDir: settingsSchema.shape.dataDir.optional(),
  inference: inferenceSettingsSchema.extend({ runtime: inferenceRuntimeSchema.optional() }).prefault({}),
});

export type Settings = z.output<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsInputSchema>;

/** Where each stack service's settings live (`node-exporter` under `nodeExporter`). */
export const SERVICE_SETTINGS_KEY = {
  prometheus: 'prometheus',
  alertmanager: 'alertmanager',
  grafana: 'grafana',
  'node-exporter': 'nodeExporter',
  inference: 'inference',
} as const satisfies Record<ServiceName, keyof Settings>;

export const serviceSettingsOf = (settings: Settings, name: ServiceName) => settings[SERVICE_SETTINGS_KEY[name]];

/** The port a service publishes on 127.0.0.1, or null when it is reached over the stack network only. */
export function publishedPort(settings: Settings, name: ServiceName): number | null {
  const own = serviceSettingsOf(settings, name);
  return 'publish' in own && !own.publish ? null : own.port;
}

export const ENV_PREFIX = 'RX580_OPS_';

/** The remote_write password or token: a secret, so an environment variable and never a setting. */
export const REMOTE_WRITE_SECRET_ENV = `${ENV_PREFIX}PROMETHEUS_REMOTE_WRITE_SECRET`;

/** Every leaf setting with its environment variable, derived from the schema. */
export const SETTING_LEAVES = settingLeaves(settingsSchema, ENV_PREFIX);

/** The environment variable of one setting (`inference.port` -> `RX580_OPS_INFERENCE_PORT`). */
export function envNameOf(path: string): string {
  return envNameIn(SETTING_LEAVES, path);
}

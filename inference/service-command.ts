import { Option, type Command } from 'commander';
import { resolve } from 'node:path';
import { PROVIDER_NAMES } from './api-types';
import type { ProviderName } from './execution-providers';
import { SERVICE_ENV_PREFIX, type ServiceSettings } from './service-settings';
import { serviceOptionsFromSettings, startInferenceService, type InferenceServiceOptions } from './service';

/**
 * The `inference` command's options and action, shared by `rx580-ops inference` and the
 * standalone `dist/inference.js` (the image's entry point, and host mode's process). Flags override
 * the settings.
 */

export interface InferenceFlags {
  port?: number;
  modelsDir?: string;
  providers?: string;
  listen?: string;
  load?: string;
  maxConcurrent?: number;
  inContainer?: boolean;
  sysRoot?: string;
}

/** Set to 1 (or true) by the image's Dockerfile, so `docker run IMAGE` needs no flag. */
export const IN_CONTAINER_ENV = `${SERVICE_ENV_PREFIX}IN_CONTAINER`;

const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);
const int = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, not "${v}"`);
  return n;
};

export function addInferenceOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('-p, --port <port>', 'port (default: settings inference.port, 8000; 0 picks a free one)').argParser(int('--port')))
    .option('--models-dir <dir>', 'folder of .onnx models (default: settings inference.modelsDir, else the demo models)')
    .option('--providers <list>', `execution providers in the order tried, comma-separated (${PROVIDER_NAMES.join(', ')})`)
    .option('--listen <addresses>', 'addresses to listen on, comma-separated (default: 127.0.0.1 and the Docker host gateway)')
    .option('--load <files>', 'models in the models directory to load at start, comma-separated')
    .addOption(new Option('--max-concurrent <n>', 'predictions at once before 503').argParser(int('--max-concurrent')))
    .option('--in-container', `running in a container: listen on every interface of its own network namespace (0.0.0.0) and ask Docker for nothing (also ${IN_CONTAINER_ENV}=1)`)
    .option('--sys-root <dir>', 'root of sysfs the AMD GPU telemetry reads (default: /sys)');
}

export function inferenceOptionsFrom(settings: ServiceSettings, flags: InferenceFlags, env: NodeJS.ProcessEnv = process.env): InferenceServiceOptions {
  // --models-dir stands in for the setting before the preload is derived from it: a folder of the
  // user's own preloads only what --load or the preload setting names, never the demo models.
  const options = serviceOptionsFromSettings(flags.modelsDir === undefined ? settings : { ...settings, modelsDir: flags.modelsDir });
  if (flags.port !== undefined) options.port = flags.port;
  if (flags.providers !== undefined) {
    const providers = list(flags.providers);
    const unknown = providers.filter((p) => !(PROVIDER_NAMES as readonly string[]).includes(p));
    if (providers.length === 0 || unknown.length > 0) throw new Error(`--providers takes ${PROVIDER_NAMES.join(', ')}; got "${flags.providers}"`);
    options.providers = providers as ProviderName[];
  }
  if (flags.listen !== undefined) options.listen = list(flags.listen);
  if (flags.load !== undefined) options.load = list(flags.load);
  if (flags.maxConcurrent !== undefined) options.maxConcurrent = Math.max(1, flags.maxConcurrent);
  if (flags.inContainer || /^(1|true)$/i.test(env[IN_CONTAINER_ENV] ?? '')) options.inContainer = true;
  if (flags.sysRoot !== undefined) options.sysRoot = resolve(flags.sysRoot);
  return options;
}

/** Runs the service until SIGTERM or SIGINT, then closes it cleanly (in-flight requests finish). */
export async function runInferenceService(options: InferenceServiceOptions): Promise<void> {
  const service = await startInferenceService(options);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`inference: ${signal} received, stopping\n`);
    const force = setTimeout(() => {
      process.stderr.write('inference: still busy after 10 s, exiting anyway\n');
      process.exit(1);
    }, 10_000);
    force.unref();
    service.close().then(
      () => {
        process.stdout.write('inference: stopped\n');
        process.exit(0);
      },
      (err: unknown) => {
        process.stderr.write(`inference: error while stopping: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

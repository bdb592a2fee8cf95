import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { describeAccess, loadApiAccess } from './api-access';
import type { ProviderName } from './execution-providers';
import { isWildcard, LOOPBACK, planListenAddresses } from './listen-addresses';
import { DEMO_MODEL_FILES, resolveModelsDir } from './models-dir';
import { createInferenceApp, type InferenceApp } from './server';
import { accessSettingsOf, batchingSettingsOf, type AccessSettings, type BatchingSettings, type ServiceSettings } from './service-settings';

export interface InferenceServiceOptions {
  port: number;
  modelsDir: string;
  providers: ProviderName[];
  maxConcurrent: number;
  bodyLimit: number;
  /** Batching for models whose sidecar sets none; off when left out. */
  batching?: Partial<BatchingSettings>;
  /** Addresses to listen on; default 127.0.0.1 and the Docker host gateway (0.0.0.0 with `inContainer`). */
  listen?: string[];
  /** Running in a container: every interface of its own network namespace, and no Docker to ask. */
  inContainer?: boolean;
  /** Models (files in the models directory) to load at start. */
  load?: string[];
  /** Root of sysfs for the GPU telemetry; default /sys. */
  sysRoot?: string;
  /** API keys, rate limit and TLS; an open HTTP API where left out. */
  access?: Partial<AccessSettings>;
  log?: (line: string) => void;
}

export interface RunningInferenceService extends InferenceApp {
  port: number;
  addresses: string[];
  url: string;
  close(): Promise<void>;
}

/**
 * The service's options from its settings (the console's `settings.inference` are a superset).
 * It preloads what `preload` names; with no models directory, the demo models unless it names some.
 */
export function serviceOptionsFromSettings(s: ServiceSettings): InferenceServiceOptions {
  return {
    port: s.port,
    modelsDir: resolveModelsDir(s.modelsDir),
    load: s.preload.length > 0 ? [...s.preload] : s.modelsDir.trim() === '' ? DEMO_MODEL_FILES : [],
    providers: [...s.providers],
    maxConcurrent: s.maxConcurrent,
    bodyLimit: s.bodyLimit,
    batching: batchingSettingsOf(s),
    access: accessSettingsOf(s),
  };
}

/** Starts the inference service: builds the API, loads the requested models, listens. */
export async function startInferenceService(options: InferenceServiceOptions): Promise<RunningInferenceService> {
  const log = options.log ?? ((line: string) => process.stdout.write(`inference: ${line}\n`));
  const plan = planListenAddresses(options.listen, options.inContainer);
  // Whether the API must be guarded is a flag (requireApiKey) the launcher sets, not read off the
  // bind address: in a container that is 0.0.0.0 yet reached only where the engine publishes the
  // port (127.0.0.1 by default), and on the host the Docker gateway is a host-only bridge. Only
  // the launcher knows when it publishes on a rig's network address.
  const access = await loadApiAccess(options.access);
  if (plan.note) log(plan.note);
  const inference = await createInferenceApp({
    modelsDir: options.modelsDir,
    providers: options.providers,
    maxConcurrent: options.maxConcurrent,
    bodyLimit: options.bodyLimit,
    batching: options.batching,
    sysRoot: options.sysRoot,
    log,
    access,
  });
  const { app, registry } = inference;
  // A model that fails to preload is skipped, the service still starts; the registry logged why.
  for (const path of options.load ?? []) {
    await registry.load({ path }).catch(() => undefined);
  }
  const [first, ...rest] = plan.addresses;
  await app.listen({ host: first!, port: options.port });
  const port = (app.server.address() as { port: number }).port;
  // Fastify listens on one address; the others get plain servers feeding the same router.
  const extra: Server[] = [];
  for (const host of rest) {
    const server = access.tls ? createHttpsServer(access.tls, (req, res) => app.routing(req, res)) : createServer((req, res) => app.routing(req, res));
    inference.metrics.watchConnections(server);
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
    extra.push(server);
  }
  const scheme = access.tls ? 'https' : 'http';
  log(`listening on ${plan.addresses.map((a) => `${scheme}://${a}:${port}`).join(', ')}; models from ${options.modelsDir}; providers ${options.providers.join(' > ')}; ${describeAccess(access)}`);
  return {
    ...inference,
    port,
    addresses: plan.addresses,
    // A wildcard is where it listens, not an address to connect to.
    url: `${scheme}://${isWildcard(first!) ? LOOPBACK : first}:${port}`,
    async close() {
      await Promise.all(extra.map((s) => new Promise((r) => s.close(r))));
      extra.forEach((s) => s.closeAllConnections());
      await app.close();
      await registry.close();
    },
  };
}

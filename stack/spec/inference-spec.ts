import { resolve } from 'node:path';
import { HEALTH_PATH } from '../../inference/api-types';
import { batchingSettingsOf, serviceSettingsEnv } from '../../inference/service-settings';
import type { WorkerGpu } from '../gpu/worker-gpu';
import type { Settings } from '../../electron/api/schemas/settings';
import type { ServiceSpec } from './service-spec';

/** The port the service listens on inside its container (the seed's). */
export const INFERENCE_CONTAINER_PORT = 8000;
/** Where a worker sees the models directory (read-only). */
export const MODELS_TARGET = '/models';
/** The user of inference/Dockerfile's image (the node images' `node`). */
const INFERENCE_USER = '1000';

/** The image's `node` has no wget: the healthcheck asks the ready path with Node's own fetch. */
const NODE_HEALTHCHECK = [
  'CMD',
  'node',
  '-e',
  `fetch('http://127.0.0.1:${INFERENCE_CONTAINER_PORT}${HEALTH_PATH}').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`,
];

/**
 * A rig's worker serves HTTPS: its own loopback asks /health with no key (the service allows
 * that to loopback peers only), and checking its certificate there would prove nothing.
 */
export const RIG_WORKER_HEALTHCHECK = [
  'CMD',
  'node',
  '-e',
  `require('https').get({ host: '127.0.0.1', port: ${INFERENCE_CONTAINER_PORT}, path: '${HEALTH_PATH}', rejectUnauthorized: false }, (r) => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1))`,
];

/**
 * One worker per selected GPU; without a GPU, `inference.cpuWorkers` CPU workers. A GPU worker
 * is named for its card; a lone CPU worker is plain `cpu`.
 */
export function inferenceWorkers(settings: Settings, gpus: WorkerGpu[]): { worker: string; gpu: WorkerGpu | null }[] {
  const cards = gpus.filter((g) => g.card !== null);
  if (cards.length > 0) return cards.map((gpu) => ({ worker: gpu.card!, gpu }));
  const n = settings.inference.cpuWorkers;
  return Array.from({ length: n }, (_, i) => ({ worker: n === 1 ? 'cpu' : `cpu${i}`, gpu: null }));
}

/** The status id of a worker: `inference` for a lone CPU worker, else `inference-<worker>`. */
export function inferenceWorkerId(worker: string): string {
  return worker === 'cpu' ? 'inference' : `inference-${worker}`;
}

/**
 * The inference service's containers: each publishes its own port on 127.0.0.1 (inference.port
 * + N), reads the models directory read-only, sees only its own card, and is scraped over the
 * stack network by its alias. Every other setting reaches it as the environment variable the
 * service reads anyway.
 */
/** This machine's models directory, absolute, or '' for the image's own demo models. */
export const inferenceModelsDir = (settings: Settings) => (settings.inference.modelsDir.trim() ? resolve(settings.inference.modelsDir) : '');

export function inferenceWorkerSpecs(settings: Settings, gpus: WorkerGpu[]): ServiceSpec[] {
  const s = settings.inference;
  const modelsDir = inferenceModelsDir(settings);
  const variables = serviceSettingsEnv({
    providers: s.providers,
    maxConcurrent: s.maxConcurrent,
    bodyLimit: s.bodyLimit,
    ...batchingSettingsOf(s),
    ...(s.preload.length ? { preload: s.preload } : {}),
    ...(modelsDir ? { modelsDir: MODELS_TARGET } : {}),
  });
  const env = Object.entries(variables).map(([name, value]) => `${name}=${value}`);
  return inferenceWorkers(settings, gpus).map(({ worker, gpu }, i) => {
    const id = inferenceWorkerId(worker);
    return {
      id,
      service: 'inference',
      worker,
      containerName: `${settings.project}-${id}`,
      image: s.image,
      build: s.image === '',
      hostPort: s.port + i,
      containerPort: INFERENCE_CONTAINER_PORT,
      configDir: null,
      configVolume: null,
      configTarget: null,
      volumeName: null,
      dataTarget: null,
      cmd: ['--in-container', '--port', String(INFERENCE_CONTAINER_PORT), ...(gpu?.sysRoot ? ['--sys-root', gpu.sysRoot] : [])],
      readyPath: HEALTH_PATH,
      user: INFERENCE_USER,
      env,
      secretsVolume: null,
      healthcheck: NODE_HEALTHCHECK,
      mounts: [...(modelsDir ? [{ Type: 'bind' as const, Source: modelsDir, Target: MODELS_TARGET, ReadOnly: true }] : []), ...(gpu?.mounts ?? [])],
      gpu,
    };
  });
}

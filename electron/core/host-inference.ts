import { join } from 'node:path';
import { HEALTH_PATH } from '../../inference/api-types';
import { batchingSettingsOf, serviceSettingsEnv } from '../../inference/service-settings';
import type { Settings } from '../api/schemas/settings';
import type { ServiceStatus } from '../api/schemas/stack-status';
import { DetachedProcess } from '../process/detached-process';
import { hostListenPlan } from './host-listen';

/**
 * The inference service as one detached process on the host (`inference.runtime: host`). Where it
 * listens is asked of the engine at each start; `onNote` hears why, when it is loopback alone.
 */
export function hostInferenceProcess(settings: Settings, script: string, env: NodeJS.ProcessEnv = process.env, onNote: (note: string) => void = () => {}): DetachedProcess {
  const { port, modelsDir, providers, preload, maxConcurrent, bodyLimit } = settings.inference;
  return new DetachedProcess({
    name: 'inference',
    script,
    // An empty modelsDir is left to the service, which then serves its demo models.
    args: async () => {
      const listen = await hostListenPlan(env);
      if (listen.note) onNote(listen.note);
      return ['--port', String(port), ...(modelsDir ? ['--models-dir', modelsDir] : []), '--providers', providers.join(','), '--listen', listen.addresses.join(',')];
    },
    stateDir: join(settings.dataDir, settings.project, 'inference-host'),
    healthUrl: `http://127.0.0.1:${port}${HEALTH_PATH}`,
    // onnxruntime-node reports usage from Linux unless told not to, before its binding loads.
    env: { ...env, ...serviceSettingsEnv({ preload, maxConcurrent, bodyLimit, ...batchingSettingsOf(settings.inference) }), ORT_DISABLE_TELEMETRY: '1' },
  });
}

/** The host process as one more service of the stack, in the stack's own status shape. */
export async function hostInferenceStatus(process: DetachedProcess, settings: Settings): Promise<ServiceStatus> {
  const p = await process.status();
  const { port } = settings.inference;
  return {
    id: 'inference',
    name: 'inference',
    worker: null,
    runtime: 'host',
    enabled: true,
    image: 'host process',
    port,
    url: `http://127.0.0.1:${port}`,
    state: p.state === 'running' ? 'running' : 'missing',
    health: p.state !== 'running' ? 'none' : p.healthy ? 'healthy' : 'starting',
    containerId: null,
    pid: p.pid,
    startedAt: p.startedAt,
    restarts: 0,
  };
}

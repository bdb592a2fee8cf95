import { join } from 'node:path';
import type { Settings } from '../../stack/settings';
import type { ServiceStatus } from '../api/schemas/stack-status';
import { DetachedProcess } from '../process/detached-process';

/** The inference service as one detached process on the host (`inference.runtime: host`). */
export function hostInferenceProcess(settings: Settings, settingsFile: string, script: string, env: NodeJS.ProcessEnv = process.env): DetachedProcess {
  const { port, modelsDir, providers } = settings.inference;
  return new DetachedProcess({
    name: 'inference',
    script,
    // An empty modelsDir is left to the service, which then serves its demo models.
    args: ['--settings', settingsFile, '--port', String(port), ...(modelsDir ? ['--models-dir', modelsDir] : []), '--providers', providers.join(',')],
    stateDir: join(settings.dataDir, settings.project, 'inference-host'),
    healthUrl: `http://127.0.0.1:${port}/health`,
    // onnxruntime-node reports usage from Linux unless told not to, before its binding loads.
    env: { ...env, ORT_DISABLE_TELEMETRY: '1' },
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

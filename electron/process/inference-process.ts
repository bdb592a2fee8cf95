import { join } from 'node:path';
import type { Settings } from '../../stack/settings';
import { appRoot } from '../app-root';
import { ProcessSupervisor } from './process-supervisor';
import type { Spawner } from './spawner';

/** The built inference service (npm run build puts it there). */
export function defaultInferenceScript(): string {
  return join(appRoot(), 'dist', 'inference.js');
}

export function inferenceUrl(settings: Settings): string {
  return `http://127.0.0.1:${settings.inference.port}`;
}

export interface InferenceProcessOptions {
  settings: Settings;
  /** The service reads its other settings (preload, limits) from the same file. */
  settingsFile: string;
  spawner: Spawner;
  script?: string;
  env?: NodeJS.ProcessEnv;
}

/** A supervisor for the inference service, started with the settings' port, models and providers. */
export function inferenceSupervisor({ settings, settingsFile, spawner, script = defaultInferenceScript(), env = process.env }: InferenceProcessOptions): ProcessSupervisor {
  const { port, modelsDir, providers } = settings.inference;
  const url = inferenceUrl(settings);
  return new ProcessSupervisor({
    name: 'inference',
    spawner,
    url,
    request: () => ({
      script,
      // An empty modelsDir is left to the service, which then serves its demo models.
      args: ['--settings', settingsFile, '--port', String(port), ...(modelsDir ? ['--models-dir', modelsDir] : []), '--providers', providers.join(',')],
      env,
      name: 'rx580-ops-inference',
    }),
    probe: async () => {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
      await res.body?.cancel();
      return res.ok;
    },
  });
}

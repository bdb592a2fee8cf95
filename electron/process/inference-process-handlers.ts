import { ConsoleError } from '../../stack/console-error';
import type { Settings } from '../../stack/settings';
import type { HandlersFor } from '../api/contract';
import type { inferenceProcessMethods } from '../api/inference-process-contract';
import { inferenceUrl } from './inference-process';
import type { ProcessStatus } from './process-status';
import type { ProcessSupervisor } from './process-supervisor';

/** What the contract reports while `inference.enabled` is false: no supervisor exists. */
function disabledStatus(settings: Settings): ProcessStatus {
  return { name: 'inference', enabled: false, state: 'stopped', healthy: false, pid: null, restarts: 0, lastExit: null, nextRestartAt: null, url: inferenceUrl(settings) };
}

function requireEnabled(supervisor: ProcessSupervisor | null): ProcessSupervisor {
  if (!supervisor) throw new ConsoleError('INFERENCE_DISABLED', 'The inference service is switched off in the settings (inference.enabled).', 409);
  return supervisor;
}

export function inferenceProcessHandlers(supervisor: ProcessSupervisor | null, settings: Settings): HandlersFor<typeof inferenceProcessMethods> {
  return {
    'inference.status': async () => supervisor?.status() ?? disabledStatus(settings),
    'inference.start': () => requireEnabled(supervisor).start(),
    'inference.stop': () => requireEnabled(supervisor).stop(),
    'inference.logs': async ({ tail }) => ({ lines: supervisor?.logTail(tail) ?? [] }),
  };
}

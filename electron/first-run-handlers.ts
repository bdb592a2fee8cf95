import type { HandlersFor } from './api/contract';
import type { desktopMethods } from './api/desktop-contract';
import type { ConsoleCore } from './console-core';
import { runFirstRunChecks } from './first-run-checks';

/** `app.checks`: ports held by the console's own containers and inference process count as free. */
export function firstRunHandlers(core: Pick<ConsoleCore, 'settings' | 'stack' | 'inference'>, env: NodeJS.ProcessEnv = process.env): HandlersFor<typeof desktopMethods> {
  return {
    'app.checks': async () => {
      const status = await core.stack.status();
      const ownPorts = new Set(status.services.filter((s) => s.state === 'running').map((s) => s.port));
      if (core.inference?.status().pid) ownPorts.add(core.settings.inference.port);
      return { checks: await runFirstRunChecks({ settings: core.settings, ownPorts, env }) };
    },
  };
}

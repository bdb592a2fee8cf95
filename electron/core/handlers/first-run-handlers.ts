import type { Settings } from '../../api/schemas/settings';
import type { StackStatus } from '../../api/schemas/stack-status';
import type { HandlersFor } from '../../api/contract';
import type { desktopMethods } from '../../api/desktop-contract';
import { runFirstRunChecks } from '../first-run-checks';

/**
 * `app.checks`: ports held by the rig's own containers and processes count as free, and so do
 * those the console holds itself (`heldPorts`: the tunnel to a stack on a rig).
 */
export function firstRunHandlers(
  rig: { settings: Settings; status: () => Promise<StackStatus>; heldPorts?: () => number[] },
  env: NodeJS.ProcessEnv = process.env,
): HandlersFor<typeof desktopMethods> {
  return {
    'app.checks': async () => {
      const status = await rig.status();
      const ownPorts = new Set([...status.services.flatMap((s) => (s.state === 'running' && s.port !== null ? [s.port] : [])), ...(rig.heldPorts?.() ?? [])]);
      return { checks: await runFirstRunChecks({ settings: rig.settings, ownPorts, env }) };
    },
  };
}

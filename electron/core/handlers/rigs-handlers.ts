import type { HandlersFor } from '../../api/contract';
import type { rigsMethods } from '../../api/rigs-contract';
import type { RigView } from '../../api/schemas/rigs';
import type { Fleet } from '../../../stack/rigs/fleet';
import type { RigRegistry } from '../../../stack/rigs/rig-registry';
import { RigConnectionError } from '../../../stack/rigs/rig-errors';
import { ConsoleError } from '../../../stack/console-error';

export interface RigsDeps {
  registry: RigRegistry;
  fleet: Fleet;
  /** This machine's own rig, listed first: always there, never removed. */
  local: () => RigView;
  /** Takes a removed rig out of Prometheus. */
  forget: (name: string) => Promise<void>;
  /** The rig that runs the monitoring stack (`rigs.monitoring`). */
  monitoring: string;
}

/** The fleet's handlers: one service layer for the Rigs page and `rx580-ops rig …`. */
export function rigsHandlers({ registry, fleet, local, forget, monitoring }: RigsDeps): HandlersFor<typeof rigsMethods> {
  return {
    'rigs.list': async () => ({ rigs: [local(), ...(await registry.list())], monitoring }),
    'rigs.add': async (rig) => registry.add(rig),
    'rigs.remove': async (name, options) => {
      const rig = await registry.get(name);
      if (name === monitoring) {
        throw new ConsoleError('RIG_RUNS_STACK', `Rig ${name} runs the monitoring stack: stop the stack and set rigs.monitoring to another rig (or local) before removing it.`, 409);
      }
      // Its workers go first: nothing of the console's stays on a rig it no longer knows, unless forced.
      let workersLeft = false;
      await fleet.purge(rig).catch((err: unknown) => {
        if (!(err instanceof RigConnectionError)) throw err;
        if (!options?.force) {
          throw new ConsoleError('RIG_UNREACHABLE', `Rig ${rig.name} was not removed: ${err.message} Its workers would stay behind on it: bring it back and remove it, or remove it anyway (force).`, 409);
        }
        workersLeft = true;
      });
      await registry.remove(name);
      await forget(name);
      return { removed: rig.name, workersLeft };
    },
    'rigs.test': async (name) => registry.test(name),
    'rigs.status': async () => fleet.status(),
    'rigs.up': async (name) => fleet.up(name),
    'rigs.down': async (name) => fleet.down(name),
    'rigs.workerUp': async (name, worker) => fleet.worker(name, worker, 'start'),
    'rigs.workerDown': async (name, worker) => fleet.worker(name, worker, 'stop'),
  };
}

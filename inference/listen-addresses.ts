import { isIP } from 'node:net';
// Static on purpose: esbuild hoists a bundled module's external imports to the top of the bundle,
// so a lazy import() of these helpers would still load dockerode at start (checked with its metafile).
import { connectDocker } from '../stack/engine/docker-engine';
import { hostGatewayAddress } from '../stack/engine/host-gateway';

export const LOOPBACK = '127.0.0.1';
const ALL_INTERFACES = '0.0.0.0';

const WILDCARDS = new Set([ALL_INTERFACES, '::', '[::]', '*']);
export const isWildcard = (address: string) => WILDCARDS.has(address);

export interface ListenPlan {
  addresses: string[];
  /** Why the addresses are what they are, when that is worth a line: no host gateway, or every interface of a container. */
  note: string | null;
}

/**
 * Where the service listens: 127.0.0.1 for this machine, and the Docker host-gateway address so
 * Prometheus in a container can scrape `host.docker.internal`. Never every interface (0.0.0.0),
 * which would open the API to the LAN, except in a container (`inContainer`): there 0.0.0.0 is
 * the container's own network namespace, reached only through the ports the engine publishes.
 * An explicit list (`--listen`) replaces the default.
 */
export async function planListenAddresses(explicit: string[] | undefined, env: NodeJS.ProcessEnv = process.env, inContainer = false): Promise<ListenPlan> {
  if (explicit && explicit.length > 0) {
    for (const a of explicit) {
      if (isWildcard(a)) {
        if (inContainer) continue;
        throw new Error(`refusing to listen on ${a}: that is every interface, the LAN included; name addresses (127.0.0.1, the Docker gateway)`);
      }
      if (!isIP(a) && a !== 'localhost') throw new Error(`"${a}" is not an IP address`);
    }
    return { addresses: [...new Set(explicit)], note: null };
  }
  if (inContainer) {
    return {
      addresses: [ALL_INTERFACES],
      note: `in a container: listening on every interface of the container's own network namespace (${ALL_INTERFACES}), reachable from outside only through the port the engine publishes (the console publishes it on 127.0.0.1)`,
    };
  }
  // A wedged engine must not hold the service up: give it a few seconds.
  const timeout = new Promise<null>((resolve) => setTimeout(resolve, 3000, null).unref());
  const gateway = await Promise.race([hostGatewayAddress(connectDocker(env)).catch(() => null), timeout]);
  if (!gateway) {
    return { addresses: [LOOPBACK], note: 'Docker is unreachable or has no default bridge, so only 127.0.0.1 is served: Prometheus in a container cannot scrape this service until it restarts with Docker running' };
  }
  return { addresses: gateway === LOOPBACK ? [LOOPBACK] : [LOOPBACK, gateway], note: null };
}

import { isIP } from 'node:net';
import { connectDocker } from '../stack/docker-engine';
import { hostGatewayAddress } from '../stack/host-gateway';

export const LOOPBACK = '127.0.0.1';

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]', '*']);

export interface ListenPlan {
  addresses: string[];
  /** Why the host gateway is not among them, when it is not. */
  note: string | null;
}

/**
 * Where the service listens: 127.0.0.1 for this machine, and the Docker host-gateway address so
 * Prometheus in a container can scrape `host.docker.internal`. Never every interface (0.0.0.0),
 * which would open the API to the LAN. An explicit list (`--listen`) replaces the default.
 */
export async function planListenAddresses(explicit: string[] | undefined, env: NodeJS.ProcessEnv = process.env): Promise<ListenPlan> {
  if (explicit && explicit.length > 0) {
    for (const a of explicit) {
      if (WILDCARDS.has(a)) throw new Error(`refusing to listen on ${a}: that is every interface, the LAN included; name addresses (127.0.0.1, the Docker gateway)`);
      if (!isIP(a) && a !== 'localhost') throw new Error(`"${a}" is not an IP address`);
    }
    return { addresses: [...new Set(explicit)], note: null };
  }
  // A wedged engine must not hold the service up: give it a few seconds.
  const timeout = new Promise<null>((resolve) => setTimeout(resolve, 3000, null).unref());
  const gateway = await Promise.race([hostGatewayAddress(connectDocker(env)).catch(() => null), timeout]);
  if (!gateway) {
    return { addresses: [LOOPBACK], note: 'Docker is unreachable or has no default bridge, so only 127.0.0.1 is served: Prometheus in a container cannot scrape this service until it restarts with Docker running' };
  }
  return { addresses: gateway === LOOPBACK ? [LOOPBACK] : [LOOPBACK, gateway], note: null };
}

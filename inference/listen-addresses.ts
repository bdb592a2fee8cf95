import { isIP } from 'node:net';

export const LOOPBACK = '127.0.0.1';
const ALL_INTERFACES = '0.0.0.0';

const WILDCARDS = new Set([ALL_INTERFACES, '::', '[::]', '*']);
export const isWildcard = (address: string) => WILDCARDS.has(address);

/** Whether a peer's address is this host's (or container's) loopback: 127/8, ::1, or 127/8 mapped into IPv6. */
export const isLoopbackAddress = (address: string | undefined): boolean =>
  address !== undefined && (address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.'));

export interface ListenPlan {
  addresses: string[];
  /** Why the addresses are what they are, when that is worth a line: loopback alone, no host gateway, or every interface of a container. */
  note: string | null;
}

/**
 * Where the service listens: 127.0.0.1 unless told more. Whoever starts it on the host names the
 * Docker host-gateway address too (`--listen`; the console asks the engine for it), so Prometheus
 * in a container can scrape `host.docker.internal`: the service asks no engine itself. Never every interface (0.0.0.0),
 * which would open the API to the LAN, except in a container (`inContainer`): there 0.0.0.0 is
 * the container's own network namespace, reached only through the ports the engine publishes.
 * An explicit list (`--listen`) replaces the default.
 */
export function planListenAddresses(explicit: string[] | undefined, inContainer = false): ListenPlan {
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
  return {
    addresses: [LOOPBACK],
    note: `listening on ${LOOPBACK} only: for Prometheus in a container to scrape this service, name the Docker host gateway too (--listen ${LOOPBACK},<gateway>), as the console does`,
  };
}

import type Docker from 'dockerode';

/**
 * The host's address on Docker's default bridge: what `host.docker.internal` (mapped to
 * `host-gateway`) resolves to inside the stack's containers. Host services that Prometheus
 * scrapes (the inference service, the console's exporter) listen there and on 127.0.0.1, never
 * on every interface. Null when the engine has no default bridge (rootless or custom setups).
 */
export async function hostGatewayAddress(docker: Docker): Promise<string | null> {
  const bridge = await docker
    .getNetwork('bridge')
    .inspect()
    .catch(() => null);
  const config = (bridge?.IPAM?.Config ?? []) as { Subnet?: string; Gateway?: string }[];
  const ipv4 = config.find((c) => c.Subnet && !c.Subnet.includes(':'));
  if (!ipv4) return null;
  if (ipv4.Gateway) return ipv4.Gateway;
  // The engine leaves Gateway out when it picked the default: the subnet's first host address.
  return firstHostAddress(ipv4.Subnet!);
}

export function firstHostAddress(cidr: string): string | null {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!m) return null;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (bits > 30 || octets.some((o) => o > 255)) return null;
  const base = (octets.reduce((acc, o) => acc * 256 + o, 0) >>> 0) & (bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0);
  const host = (base + 1) >>> 0;
  return [host >>> 24, (host >>> 16) & 255, (host >>> 8) & 255, host & 255].join('.');
}

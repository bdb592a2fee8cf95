import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { promisify } from 'node:util';

/**
 * A rig's network: a network namespace joined to the host by a veth pair with a /30 of
 * 10.213.0.0/16 (host .1, rig .2, the rig's side named eth0). The rig has no default route, so
 * it and its containers reach nothing but the host's end, and an iptables rule drops new
 * connections from the rig to the host: only the host opens connections.
 */

/** Every name a rig leaves on the machine starts with this (netns, host veth, iptables comment, temp dir, cgroup). */
export const RIG_PREFIX = 'rx580rig-';
/** The routing protocol number of each rig's claim route (`ip route show proto 213`). */
export const RIG_ROUTE_PROTO = '213';
export const RIG_CLAIM_METRIC = '4213';

const execFileAsync = promisify(execFile);

/** Runs a command; rejects with its stderr in the message. */
export async function run(cmd: string, args: string[]): Promise<string> {
  try {
    return (await execFileAsync(cmd, args, { maxBuffer: 16 << 20 })).stdout;
  } catch (err) {
    const e = err as Error & { stderr?: string };
    throw new Error(`${cmd} ${args.join(' ')}: ${(e.stderr ?? '').trim() || e.message}`);
  }
}

export interface RigNet {
  netns: string;
  /** The host's end of the veth (`rx580rig-<id>`, 15 characters: the kernel's limit). */
  hostIf: string;
  subnet: string;
  hostAddress: string;
  address: string;
}

/**
 * Claims a free /30 by adding an `unreachable` route for it: the kernel refuses a second
 * identical route, so parallel test files cannot take the same one. The route (high metric) also
 * keeps the rig's address off the default route whenever the veth's own route is gone.
 */
export async function claimRigNet(netns: string, id: string): Promise<RigNet> {
  const used = new Set([...(await run('ip', ['-4', '-o', 'addr'])).matchAll(/ 10\.213\.(\d+)\./g)].map((m) => Number(m[1])));
  for (let attempt = 0; attempt < 50; attempt++) {
    const x = 1 + Math.floor(Math.random() * 254);
    if (used.has(x)) continue;
    try {
      await run('ip', ['route', 'add', 'unreachable', `10.213.${x}.0/30`, 'metric', RIG_CLAIM_METRIC, 'proto', RIG_ROUTE_PROTO]);
      return { netns, hostIf: `${RIG_PREFIX}${id}`, subnet: `10.213.${x}.0/30`, hostAddress: `10.213.${x}.1`, address: `10.213.${x}.2` };
    } catch (err) {
      if (!/File exists/.test((err as Error).message)) throw err;
    }
  }
  throw new Error('no free /30 in 10.213.0.0/16 for a rig');
}

/** Creates the claimed network's namespace and link (rig-teardown.ts removes them). */
export async function createRigNet(net: RigNet): Promise<void> {
  const { netns } = net;
  await run('ip', ['netns', 'add', netns]);
  await run('ip', ['link', 'add', net.hostIf, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', netns]);
  // IPv4 only: no link-local addresses, router solicitations or MLD on the link.
  await run('sysctl', ['-qw', `net.ipv6.conf.${net.hostIf}.disable_ipv6=1`]);
  await run('ip', ['netns', 'exec', netns, 'sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
  await run('ip', ['addr', 'add', `${net.hostAddress}/30`, 'dev', net.hostIf]);
  await run('ip', ['-n', netns, 'addr', 'add', `${net.address}/30`, 'dev', 'eth0']);
  await run('ip', ['-n', netns, 'link', 'set', 'lo', 'up']);
  await run('ip', ['-n', netns, 'link', 'set', 'eth0', 'up']);
  await run('ip', ['link', 'set', net.hostIf, 'up']);
  const fromRig = ['-i', net.hostIf, '-m', 'conntrack', '!', '--ctstate', 'ESTABLISHED,RELATED'];
  await run('iptables', ['-w', '-I', 'INPUT', ...fromRig, '-m', 'comment', '--comment', net.hostIf, '-j', 'DROP']);
}

/**
 * Puts two rigs on one LAN, as rigs in a room are: each routes to the other's address through the
 * host, which forwards between their links (rules named for the link they come in on, removed
 * with it). Neither reaches anything else, the host included.
 */
export async function joinRigNets(a: RigNet, b: RigNet): Promise<void> {
  for (const [from, to] of [
    [a, b],
    [b, a],
  ] as const) {
    lanPeers.set(from.netns, [...(lanPeers.get(from.netns) ?? []), to]);
    await routeToPeer(from, to);
    // First in FORWARD: Docker's own chains there drop what is not theirs.
    await run('iptables', ['-w', '-I', 'FORWARD', '-i', from.hostIf, '-o', to.hostIf, '-s', from.address, '-d', to.address, '-m', 'comment', '--comment', from.hostIf, '-j', 'ACCEPT']);
  }
}

/** The rigs each rig shares a LAN with (by netns). */
const lanPeers = new Map<string, RigNet[]>();

const routeToPeer = (from: RigNet, to: RigNet) => run('ip', ['-n', from.netns, 'route', 'replace', `${to.address}/32`, 'via', from.hostAddress]);

/**
 * Cuts or restores the rig's cable at the rig's end. Taking the host's end down instead would
 * drop its route, and the rig's address would then go out the default route. The link going down
 * takes the rig's routes to its LAN peers with it: they come back with the link.
 */
export async function setRigLink(net: RigNet, up: boolean): Promise<void> {
  await run('ip', ['-n', net.netns, 'link', 'set', 'eth0', up ? 'up' : 'down']);
  if (up) for (const peer of lanPeers.get(net.netns) ?? []) await routeToPeer(net, peer);
}

/**
 * Starts a daemon inside the rig: its network namespace, a private mount namespace (slave of the
 * host's, so its mounts never reach the host) and its own hostname. `setup` runs before the daemon
 * replaces the shell ("$@" is the daemon's command line). It gets SIGTERM when this process dies.
 */
export function spawnInRig(netns: string, hostname: string, setup: string, argv: string[], logPath: string): ChildProcess {
  const log = openSync(logPath, 'a');
  try {
    const script = `set -e; hostname "$0"; ${setup}; exec "$@"`;
    const child = spawn('setpriv', ['--pdeathsig', 'TERM', 'nsenter', `--net=/run/netns/${netns}`, 'unshare', '-mu', '--propagation', 'slave', 'sh', '-c', script, hostname, ...argv], {
      stdio: ['ignore', log, log],
    });
    child.on('error', () => {}); // surfaces as the daemon not answering, with its log
    return child;
  } finally {
    closeSync(log);
  }
}

import type Docker from 'dockerode';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeAllContainers, startRigDockerd } from './rig-dockerd';
import { claimRigNet, createRigNet, joinRigNets, RIG_PREFIX, setRigLink, type RigNet } from './rig-netns';
import { createRigAccounts, startRigSshd, type RigHostKey, type RigUser } from './rig-sshd';
import { startReaper } from './rig-teardown';
import { makeRigTls, type RigTlsFiles } from './rig-tls';

export { removeLeftoverRigHosts } from './rig-teardown';
export type { RigHostKey, RigUser } from './rig-sshd';

/**
 * Remote Docker hosts ("rigs") simulated on this machine, for tests of the fleet feature: each
 * rig is a network namespace on a veth /30 of 10.213.0.0/16 with its own sshd on port 22 and its
 * own dockerd (rig-netns.ts, rig-sshd.ts, rig-dockerd.ts). Reach it as a remote host:
 * `new Docker({ protocol: 'ssh', host: rig.address, port: rig.sshPort, username, sshOptions: { privateKey } })`.
 * Needs root, iproute2, iptables, util-linux and openssh-server (scripts/setup-system.sh).
 * A rig tears itself down when its test process dies, however it dies (rig-teardown.ts).
 */
export interface RigHost {
  name: string;
  /** The rig's netns (`rx580rig-<name>-<id>`). */
  netns: string;
  /** The rig's address: sshd listens on it, containers publish ports on it. */
  address: string;
  /** The host's end of the link, the address the rig sees the host's connections come from. */
  hostAddress: string;
  sshPort: number;
  hostKey: RigHostKey;
  users: { docker: RigUser; noDocker: RigUser };
  /** The rig engine's socket on the host, to reach the same engine directly (root only). */
  dockerSocket: string;
  /** The rig's engine over its socket, for setting up and checking. */
  docker: Docker;
  /** With `tls`: the engine also listens on tcp://<address>:2376 for clients with these certificates. */
  tls: RigTlsFiles | null;
  /** Copies images from the host's engine (`docker save`, honouring DOCKER_HOST) into the rig's (`docker load`). */
  loadImages(tags: string[]): Promise<void>;
  /** Puts this rig and another on one LAN: each reaches the other's address (joinRigNets). */
  join(other: RigHost): Promise<void>;
  /** Stops the rig's sshd (its engine keeps running): connections to port 22 are refused. */
  stopSshd(): Promise<void>;
  /** Cuts the rig's network cable: connections to it fail (EHOSTUNREACH) or hang. */
  linkDown(): Promise<void>;
  linkUp(): Promise<void>;
  /** Removes its containers, stops its dockerd and sshd, removes netns, veth, cgroups, rules and temp dir. Idempotent. */
  destroy(): Promise<void>;
}

/** Each rig's network, for joining two rigs (the interface keeps it out of the tests' sight). */
const nets = new WeakMap<RigHost, RigNet>();

export async function createRigHost(opts: { name: string; tls?: boolean }): Promise<RigHost> {
  if (!/^[a-z0-9]{1,16}$/.test(opts.name)) throw new Error(`a rig's name is 1 to 16 of [a-z0-9], not "${opts.name}"`);
  const id = randomBytes(6).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '0').slice(0, 6);
  const netns = `${RIG_PREFIX}${opts.name}-${id}`;
  // Under the system temp dir, not the run's (mode 700): the rig's users must pass through to the socket.
  const dir = join(tmpdir(), netns);
  await mkdir(dir, { mode: 0o711 });
  const net = await claimRigNet(netns, id);
  const teardown = startReaper(id, netns, net.subnet, dir);
  try {
    await createRigNet(net);
    const accounts = await createRigAccounts(dir, id);
    const tls = opts.tls ? await makeRigTls(await mkdtemp(join(dir, 'tls-')), net.address) : null;
    const engine = await startRigDockerd({ netns, hostname: netns, dir, gid: accounts.gid, cgroupParent: net.hostIf, containerdNamespace: netns, ...(tls ? { tcp: { address: net.address, tls } } : {}) });
    const sshd = await startRigSshd({ netns, hostname: netns, dir, address: net.address, dockerSocket: engine.socket, accounts });
    let destroyed: Promise<void> | undefined;
    const host: RigHost = {
      name: opts.name,
      netns,
      address: net.address,
      hostAddress: net.hostAddress,
      sshPort: 22,
      hostKey: sshd.hostKey,
      users: { docker: accounts.docker, noDocker: accounts.noDocker },
      dockerSocket: engine.socket,
      docker: engine.docker,
      tls,
      loadImages: (tags) => loadImages(opts.name, engine.socket, tags),
      join: (other) => joinRigNets(net, nets.get(other)!),
      stopSshd: async () => {
        if (sshd.process.exitCode !== null || sshd.process.signalCode !== null) return;
        const exited = new Promise((resolve) => sshd.process.once('exit', resolve));
        sshd.process.kill('SIGTERM');
        await exited;
      },
      linkDown: () => setRigLink(net, false),
      linkUp: () => setRigLink(net, true),
      destroy: () =>
        (destroyed ??= (async () => {
          // Through the engine first, as a user would; the teardown kills whatever is left.
          await removeAllContainers(engine.docker).catch(() => {});
          await teardown.now();
        })()),
    };
    nets.set(host, net);
    return host;
  } catch (err) {
    await teardown.now();
    throw err;
  }
}

async function loadImages(rig: string, socket: string, tags: string[]): Promise<void> {
  const started = Date.now();
  process.stderr.write(`rig ${rig}: copying ${tags.join(', ')} from the host's engine\n`);
  const save = spawn('docker', ['save', ...tags], { stdio: ['ignore', 'pipe', 'pipe'] });
  const { DOCKER_HOST: _host, DOCKER_CONTEXT: _context, ...env } = process.env;
  const load = spawn('docker', ['-H', `unix://${socket}`, 'load'], { stdio: ['pipe', 'pipe', 'pipe'], env });
  let bytes = 0;
  let saveErr = '';
  save.stdout.on('data', (d: Buffer) => (bytes += d.length));
  save.stderr.on('data', (d: Buffer) => (saveErr += d));
  save.stdout.pipe(load.stdin);
  load.stdout.pipe(process.stderr, { end: false });
  load.stderr.pipe(process.stderr, { end: false });
  const exit = (p: ReturnType<typeof spawn>) => new Promise<number | null>((resolve, reject) => p.once('error', reject).once('close', resolve));
  const [saved, loaded] = await Promise.all([exit(save), exit(load)]);
  if (saved !== 0) throw new Error(`docker save ${tags.join(' ')} failed: ${saveErr.trim()}`);
  if (loaded !== 0) throw new Error(`docker load into rig ${rig} failed (exit ${loaded})`);
  process.stderr.write(`rig ${rig}: loaded ${(bytes / 1e6).toFixed(1)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

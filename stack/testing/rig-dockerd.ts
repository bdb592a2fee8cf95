import Docker from 'dockerode';
import type { ChildProcess } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { spawnInRig } from './rig-netns';
import type { RigTlsFiles } from './rig-tls';

/** Docker's port for TLS. */
export const RIG_TLS_PORT = 2376;

/**
 * A rig's Docker engine: a second dockerd in the rig's netns with its own data root, exec root
 * (so its own managed containerd), pid file, socket, cgroup parent and, through a bind mount over
 * /etc/docker in its mount namespace, its own key.json: dockerd 20.10 derives its engine ID from
 * that file, so without it every rig would report the host engine's ID. Its iptables rules live in
 * the rig's netns, so ports published on the rig's address work as on any host.
 */

export interface RigEngine {
  /** The engine's socket on the host: root:<gid>, mode 660. */
  socket: string;
  docker: Docker;
  process: ChildProcess;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export async function startRigDockerd(opts: {
  netns: string;
  hostname: string;
  dir: string;
  gid: number;
  cgroupParent: string;
  containerdNamespace: string;
  /** Also listen on tcp://<address>:2376, verifying clients against the CA (dockerd --tlsverify). */
  tcp?: { address: string; tls: RigTlsFiles };
}): Promise<RigEngine> {
  const etc = join(opts.dir, 'docker-etc');
  await mkdir(etc, { mode: 0o700 });
  const socket = join(opts.dir, 'docker.sock');
  const log = join(opts.dir, 'dockerd.log');
  const argv = [
    'dockerd',
    ...['--data-root', join(opts.dir, 'data'), '--exec-root', join(opts.dir, 'exec'), '--pidfile', join(opts.dir, 'docker.pid')],
    ...['-H', `unix://${socket}`, '--group', String(opts.gid)],
    // cgroupfs whatever the host uses, so the parent is a plain path the teardown can find.
    ...['--exec-opt', 'native.cgroupdriver=cgroupfs', '--cgroup-parent', `/${opts.cgroupParent}`],
    // Only matters where dockerd finds a system containerd at /run/containerd and shares it.
    ...['--containerd-namespace', opts.containerdNamespace, '--containerd-plugins-namespace', `${opts.containerdNamespace}-plugins`],
    ...(opts.tcp
      ? ['--tlsverify', '--tlscacert', opts.tcp.tls.ca, '--tlscert', opts.tcp.tls.serverCert, '--tlskey', opts.tcp.tls.serverKey, '-H', `tcp://${opts.tcp.address}:${RIG_TLS_PORT}`]
      : []),
  ];
  const child = spawnInRig(opts.netns, opts.hostname, `mkdir -p /etc/docker; mount --bind ${quote(etc)} /etc/docker`, argv, log);
  const docker = new Docker({ socketPath: socket });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (await docker.ping().then(() => true, () => false)) return { socket, docker, process: child };
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      const tail = (await readFile(log, 'utf8').catch(() => '')).split('\n').slice(-15).join('\n');
      throw new Error(`the rig's dockerd did not answer on ${socket}; its log ends:\n${tail}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Removes every container of the engine (running or not) with its anonymous volumes. */
export async function removeAllContainers(docker: Docker): Promise<void> {
  const containers = await docker.listContainers({ all: true });
  await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true })));
}

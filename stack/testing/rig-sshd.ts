import type { ChildProcess } from 'node:child_process';
import { chown, mkdir, readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { run, spawnInRig } from './rig-netns';

/**
 * A rig's sshd (Debian's openssh-server) on port 22 of the rig's address, with a fresh ed25519
 * host key, public keys only, and two users: one in the group that owns the rig engine's socket,
 * one not. The users exist only for this sshd: it runs in its own mount namespace where
 * /etc/passwd, /etc/group and /etc/shadow are the host's files plus these users (bind mounts), so
 * the host's user database is never touched and nothing is left in it if a run dies.
 */

export interface RigUser {
  name: string;
  uid: number;
  privateKeyPath: string;
  /** The OpenSSH-format private key, as ssh2's `privateKey` takes it. */
  privateKey: Buffer;
}

export interface RigHostKey {
  /** The public key line (`ssh-ed25519 AAAA… rx580rig-…`). */
  publicKey: string;
  /** As OpenSSH prints it: `SHA256:` and unpadded base64. */
  fingerprint: string;
}

export interface RigAccounts {
  /** The group owning the engine's socket. */
  gid: number;
  docker: RigUser;
  noDocker: RigUser;
}

async function keygen(path: string, comment: string): Promise<void> {
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path]);
}

/** Ids unused on the host: the users' files are files the host's processes may see. */
async function freeIdBase(): Promise<number> {
  const taken = new Set(
    (await Promise.all(['/etc/passwd', '/etc/group'].map((f) => readFile(f, 'utf8')))).flatMap((t) => t.split('\n').map((l) => Number(l.split(':')[2]))),
  );
  for (;;) {
    const base = 200_000 + 3 * Math.floor(Math.random() * 250_000);
    if (![base, base + 1, base + 2].some((id) => taken.has(id))) return base;
  }
}

/** Keys, homes and the passwd/group/shadow files of the rig's two users (`rx<id>-docker`, `rx<id>-nodocker`). */
export async function createRigAccounts(dir: string, id: string): Promise<RigAccounts> {
  const base = await freeIdBase();
  const keys = join(dir, 'keys');
  const authorized = join(dir, 'ssh', 'authorized_keys');
  await mkdir(keys, { mode: 0o700 });
  // sshd reads authorized_keys as the user: the dirs must let it through.
  await mkdir(authorized, { recursive: true, mode: 0o711 });
  await mkdir(join(dir, 'home'), { mode: 0o711 });
  const user = async (suffix: string, uid: number): Promise<RigUser> => {
    const name = `rx${id}-${suffix}`;
    const privateKeyPath = join(keys, name);
    await keygen(privateKeyPath, name);
    await writeFile(join(authorized, name), await readFile(`${privateKeyPath}.pub`), { mode: 0o644 });
    const home = join(dir, 'home', name);
    await mkdir(home, { mode: 0o700 });
    await chown(home, uid, uid);
    return { name, uid, privateKeyPath, privateKey: await readFile(privateKeyPath) };
  };
  const accounts = { gid: base, docker: await user('docker', base + 1), noDocker: await user('nodocker', base + 2) };
  const { docker, noDocker } = accounts;
  const entry = (u: RigUser) => `${u.name}:x:${u.uid}:${u.uid}::${join(dir, 'home', u.name)}:/bin/sh`;
  const host = async (f: string) => (await readFile(f, 'utf8')).replace(/\n?$/, '\n');
  await writeFile(join(dir, 'ssh', 'passwd'), `${await host('/etc/passwd')}${entry(docker)}\n${entry(noDocker)}\n`, { mode: 0o644 });
  await writeFile(
    join(dir, 'ssh', 'group'),
    `${await host('/etc/group')}rx${id}-engine:x:${base}:${docker.name}\n${docker.name}:x:${docker.uid}:\n${noDocker.name}:x:${noDocker.uid}:\n`,
    { mode: 0o644 },
  );
  // '*': no password, yet not locked ('!'), which sshd would refuse even for a key.
  await writeFile(join(dir, 'ssh', 'shadow'), `${await host('/etc/shadow')}${docker.name}:*:19000:0:99999:7:::\n${noDocker.name}:*:19000:0:99999:7:::\n`, {
    mode: 0o600,
  });
  return accounts;
}

function sshdConfig(o: { dir: string; address: string; dockerSocket: string; accounts: RigAccounts }): string {
  const ssh = join(o.dir, 'ssh');
  return `${[
    `ListenAddress ${o.address}:22`,
    `HostKey ${join(ssh, 'host_ed25519')}`,
    `PidFile ${join(ssh, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(ssh, 'authorized_keys', '%u')}`,
    `AllowUsers ${o.accounts.docker.name} ${o.accounts.noDocker.name}`,
    'UsePAM no',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin no',
    // The temp dirs are not laid out as a home's .ssh would be.
    'StrictModes no',
    // Local forwarding only: the console reaches a stack on the rig through it (ssh -L's kind).
    'AllowTcpForwarding local',
    'AllowAgentForwarding no',
    'X11Forwarding no',
    'PermitTunnel no',
    'UseDNS no',
    'PrintMotd no',
    'LogLevel VERBOSE',
    // The remote docker CLI (`docker system dial-stdio`) must find this rig's engine, not the host's.
    `SetEnv DOCKER_HOST=unix://${o.dockerSocket}`,
  ].join('\n')}\n`;
}

function tcpOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port, timeout: 1000 });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
    s.once('timeout', () => (s.destroy(), resolve(false)));
  });
}

export async function startRigSshd(o: { netns: string; hostname: string; dir: string; address: string; dockerSocket: string; accounts: RigAccounts }): Promise<{ hostKey: RigHostKey; process: ChildProcess }> {
  const ssh = join(o.dir, 'ssh');
  await keygen(join(ssh, 'host_ed25519'), o.hostname);
  const config = join(ssh, 'sshd_config');
  await writeFile(config, sshdConfig(o), { mode: 0o600 });
  // sshd's privilege separation dir, normally made by its service unit; `sshd -t` checks it too,
  // and a fresh machine without systemd has none.
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  await run('/usr/sbin/sshd', ['-t', '-f', config]);
  const setup = ['passwd', 'group', 'shadow'].map((f) => `mount --bind ${join(ssh, f)} /etc/${f}`).join('; ');
  const child = spawnInRig(o.netns, o.hostname, setup, ['/usr/sbin/sshd', '-D', '-e', '-f', config], join(ssh, 'sshd.log'));
  const deadline = Date.now() + 15_000;
  while (!(await tcpOpen(o.address, 22))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`the rig's sshd did not listen on ${o.address}:22; its log:\n${await readFile(join(ssh, 'sshd.log'), 'utf8').catch(() => '')}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const publicKey = (await readFile(join(ssh, 'host_ed25519.pub'), 'utf8')).trim();
  const fingerprint = (await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(ssh, 'host_ed25519.pub')])).split(' ')[1] ?? '';
  return { hostKey: { publicKey, fingerprint }, process: child };
}

import Docker from 'dockerode';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRigHost, type RigHost, type RigUser } from './rig-hosts';
import { run } from './rig-netns';
import { TEST_TMP_ENV } from './test-tmp-setup';

/**
 * Two rigs (rig-hosts.ts) reached as remote engines over SSH the way the product will reach them:
 * dockerode's `protocol: 'ssh'`. Each error a user can meet is provoked for real and its text
 * pinned, so the product's classification of them is tested against what the libraries say.
 */

const exporterImage = process.env.RX580_OPS_NODE_EXPORTER_IMAGE;
const nodeImage = process.env.RX580_OPS_INFERENCE_BASE_IMAGE;
const host = new Docker();
const rigs: RigHost[] = [];

function overSsh(rig: RigHost, user: RigUser = rig.users.docker, sshOptions: Docker.DockerOptions['sshOptions'] = {}): Docker {
  return new Docker({ protocol: 'ssh', host: rig.address, port: rig.sshPort, username: user.name, sshOptions: { privateKey: user.privateKey, ...sshOptions } });
}

/** OpenSSH's fingerprint of the raw key ssh2 hands a hostVerifier. */
const fingerprint = (key: Buffer) => `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;

async function failure(p: Promise<unknown>): Promise<{ message: string; code?: string; level?: string; ms: number }> {
  const started = Date.now();
  const err = await p.then(
    () => undefined,
    (e: Error & { code?: string; level?: string }) => e,
  );
  if (!err) throw new Error('expected a failure');
  return { message: err.message, code: err.code, level: err.level, ms: Date.now() - started };
}

/** Runs a command on the rig with OpenSSH's client, pinning its host key: what dockerode does not show, the remote stderr. */
async function sshExec(rig: RigHost, user: RigUser, command: string): Promise<{ code: number; stderr: string }> {
  const knownHosts = join(await mkdtemp(join(process.env[TEST_TMP_ENV] ?? tmpdir(), 'rx580rig-ssh-')), 'known_hosts');
  await writeFile(knownHosts, `${rig.address} ${rig.hostKey.publicKey}\n`);
  const options = ['BatchMode=yes', 'StrictHostKeyChecking=yes', `UserKnownHostsFile=${knownHosts}`, 'IdentitiesOnly=yes'].flatMap((o) => ['-o', o]);
  return promisify(execFile)('ssh', [...options, '-i', user.privateKeyPath, '-p', String(rig.sshPort), `${user.name}@${rig.address}`, command]).then(
    (r) => ({ code: 0, stderr: r.stderr }),
    (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
  );
}

/** Runs a container on the host's engine to its end; its output. */
async function runOnHost(image: string, cmd: string[], network: string): Promise<string> {
  // A TTY: plain logs, not the multiplexed stream.
  const container = await host.createContainer({ Image: image, Entrypoint: cmd, Tty: true, HostConfig: { NetworkMode: network } });
  try {
    await container.start();
    await container.wait();
    return (await container.logs({ stdout: true, stderr: true })).toString('utf8');
  } finally {
    await container.remove({ force: true });
  }
}

beforeAll(async () => {
  if (!exporterImage || !nodeImage) {
    throw new Error('RX580_OPS_NODE_EXPORTER_IMAGE and RX580_OPS_INFERENCE_BASE_IMAGE are not set: run eval "$(bash stack/test-images/build.sh)" first');
  }
  const started = Date.now();
  rigs.push(...(await Promise.all([createRigHost({ name: 'a' }), createRigHost({ name: 'b' })])));
  process.stderr.write(`two rigs up in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}, 120_000);

afterAll(async () => {
  await Promise.all(rigs.map((r) => r.destroy()));
}, 120_000);

describe('rig hosts', () => {
  it("reaches each rig's own engine over SSH, neither of them the host's", async () => {
    const [a, b] = rigs as [RigHost, RigHost];
    const [infoA, infoB, infoHost] = await Promise.all([overSsh(a).info(), overSsh(b).info(), host.info()]);
    expect((await overSsh(a).version()).ApiVersion).toMatch(/^1\.\d+$/);
    expect(new Set([infoA.ID, infoB.ID, infoHost.ID]).size).toBe(3);
    expect([infoA.Name, infoB.Name]).toEqual([a.netns, b.netns]);
    expect((await new Docker({ socketPath: a.dockerSocket }).info()).ID).toBe(infoA.ID);
  });

  it("verifies the rig's host key through ssh2's hostVerifier and rejects a wrong one", async () => {
    const [a, b] = rigs as [RigHost, RigHost];
    const seen: string[] = [];
    const pinned = (expected: string) => (key: Buffer) => (seen.push(fingerprint(key)), fingerprint(key) === expected);
    await overSsh(a, a.users.docker, { hostVerifier: pinned(a.hostKey.fingerprint) }).ping();
    expect(seen).toEqual([a.hostKey.fingerprint]);
    expect(a.hostKey.publicKey).toMatch(/^ssh-ed25519 AAAA\S+ rx580rig-a-/);
    const rejected = await failure(overSsh(a, a.users.docker, { hostVerifier: pinned(b.hostKey.fingerprint) }).ping());
    process.stderr.write(`host key rejected: ${JSON.stringify(rejected)}\n`);
    expect(rejected.message).toBe('Host denied (verification failed)');
    expect(rejected.level).toBe('handshake');
  });

  it('fails with a wrong key, and without permission on the socket', async () => {
    const [a, b] = rigs as [RigHost, RigHost];
    const wrongKey = await failure(overSsh(a, { ...a.users.docker, privateKey: b.users.docker.privateKey }).ping());
    process.stderr.write(`auth failure: ${JSON.stringify(wrongKey)}\n`);
    expect(wrongKey).toMatchObject({ message: 'All configured authentication methods failed', level: 'client-authentication' });

    // dockerode sees only that the dial-stdio stream closed: the remote CLI's stderr is dropped.
    const denied = await failure(overSsh(a, a.users.noDocker).ping());
    process.stderr.write(`no docker permission (dockerode): ${JSON.stringify(denied)}\n`);
    expect(denied).toMatchObject({ message: 'socket hang up', code: 'ECONNRESET' });
    const cli = await sshExec(a, a.users.noDocker, 'docker system dial-stdio');
    process.stderr.write(`no docker permission (remote stderr, exit ${cli.code}): ${cli.stderr}\n`);
    expect(cli.code).not.toBe(0);
    expect(cli.stderr.trim()).toBe(`failed to open the raw stream connection: dial unix ${a.dockerSocket}: connect: permission denied`);
    expect((await sshExec(a, a.users.docker, 'docker version --format {{.Server.Version}}')).code).toBe(0);
  });

  it('publishes a rig container on the rig address, reachable from the host and from a container on the host engine', async () => {
    const [a] = rigs as [RigHost];
    const started = Date.now();
    await a.loadImages([exporterImage!]);
    process.stderr.write(`image load: ${Date.now() - started} ms\n`);
    const remote = overSsh(a);
    const container = await remote.createContainer({
      Image: exporterImage,
      ExposedPorts: { '9100/tcp': {} },
      HostConfig: { PortBindings: { '9100/tcp': [{ HostIp: a.address, HostPort: '8000' }] } },
    });
    await container.start();
    const url = `http://${a.address}:8000/metrics`;
    await expect.poll(async () => (await fetch(url).then((r) => r.text(), () => '')).includes('node_exporter_build_info'), { timeout: 10_000 }).toBe(true);

    const network = `rx580rig-test-${Date.now().toString(36)}`;
    await host.createNetwork({ Name: network });
    try {
      const out = await runOnHost(nodeImage!, ['node', '-e', `fetch(${JSON.stringify(url)}).then((r) => r.text()).then((t) => console.log(t.includes('node_exporter_build_info') ? 'scraped' : t.slice(0, 200)), (e) => console.log(String(e.cause ?? e)))`], network);
      expect(out.trim()).toBe('scraped');
    } finally {
      await host.getNetwork(network).remove();
    }
  }, 120_000);

  it('fails fast when the name does not resolve or the link is cut, and recovers when the link is back', async () => {
    const [a, b] = rigs as [RigHost, RigHost];
    const dns = await failureInRigNetns(b);
    process.stderr.write(`DNS failure: ${dns}\n`);
    expect(JSON.parse(dns)).toMatchObject({ message: 'getaddrinfo ENOTFOUND rig.invalid', code: 'ENOTFOUND', level: 'client-socket' });

    await a.linkDown();
    try {
      const cut = await failure(overSsh(a).ping());
      process.stderr.write(`link down: ${JSON.stringify(cut)}\n`);
      expect(cut).toMatchObject({ message: `connect EHOSTUNREACH ${a.address}:22`, code: 'EHOSTUNREACH', level: 'client-socket' });
      expect(cut.ms).toBeLessThan(10_000);
      await expect(overSsh(b).ping()).resolves.toBeTruthy();
      await expect(host.ping()).resolves.toBeTruthy();
    } finally {
      await a.linkUp();
    }
    await expect(overSsh(a).ping()).resolves.toBeTruthy();
  }, 60_000);

  // Without ssh2 keepalives such a stream was still open 40 s after the cut (TCP retransmits for minutes).
  it("keeps a dockerode stream's SSH connection alive only as long as the link is: keepalives end it", async () => {
    const [a] = rigs as [RigHost];
    const events = (await overSsh(a, a.users.docker, { keepaliveInterval: 1000, keepaliveCountMax: 2 }).getEvents()) as NodeJS.ReadableStream;
    const started = Date.now();
    const ended = new Promise<string>((resolve) => {
      events.on('error', (e: Error) => resolve(`error: ${e.message}`));
      events.on('end', () => resolve('end'));
      events.on('close', () => resolve('close'));
    });
    await a.linkDown();
    try {
      const how = await ended;
      process.stderr.write(`open events stream after link down: ${how} after ${Date.now() - started} ms\n`);
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      await a.linkUp();
    }
  }, 60_000);

  it('refuses connections when sshd is stopped, the engine still up', async () => {
    const [, b] = rigs as [RigHost, RigHost];
    await b.stopSshd();
    const refused = await failure(overSsh(b).ping());
    process.stderr.write(`connection refused: ${JSON.stringify(refused)}\n`);
    expect(refused).toMatchObject({ message: `connect ECONNREFUSED ${b.address}:22`, code: 'ECONNREFUSED', level: 'client-socket' });
    await expect(b.docker.ping()).resolves.toBeTruthy();
  });

  it('destroy leaves nothing of the rig behind and does not touch the other', async () => {
    const [a, b] = rigs as [RigHost, RigHost];
    const dir = join(tmpdir(), b.netns);
    const id = b.netns.slice(-6);
    await b.destroy();
    await b.destroy();
    expect(await run('ip', ['netns', 'list'])).not.toContain(b.netns);
    expect(await run('ip', ['-o', 'link', 'show'])).not.toContain(`rx580rig-${id}`);
    expect(await run('ip', ['-4', 'route'])).not.toContain(b.address.replace(/\.2$/, '.0'));
    expect(await run('iptables', ['-w', '-S', 'INPUT'])).not.toContain(`rx580rig-${id}`);
    expect(existsSync(dir)).toBe(false);
    expect(await run('find', ['/sys/fs/cgroup', '-maxdepth', '3', '-name', `rx580rig-${id}`])).toBe('');
    const cmdline = (pid: string) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        return ''; // gone meanwhile
      }
    };
    const processes = readdirSync('/proc').filter((pid) => /^\d+$/.test(pid) && cmdline(pid).includes(dir));
    expect(processes).toEqual([]);
    expect(readFileSync('/etc/passwd', 'utf8')).not.toContain(b.users.docker.name);
    await expect(overSsh(a).ping()).resolves.toBeTruthy();
  }, 60_000);
});

/**
 * dockerode on a name ending in `.invalid`, run in a child inside the rig's netns with its own
 * resolv.conf pointing at a resolver on that netns's loopback that answers NXDOMAIN: the lookup
 * fails as on any machine, and no query leaves for the host's real resolver.
 */
async function failureInRigNetns(rig: RigHost): Promise<string> {
  const dir = await mkdtemp(join(process.env[TEST_TMP_ENV] ?? tmpdir(), 'rx580rig-dns-'));
  await writeFile(join(dir, 'resolv.conf'), 'nameserver 127.0.0.1\n');
  const script = `
    const dgram = require('node:dgram'); const Docker = require(process.env.DOCKERODE);
    const dns = dgram.createSocket('udp4');
    dns.on('message', (q, from) => {
      let end = 12; while (q[end] !== 0) end += q[end] + 1; end += 5;
      const r = Buffer.from(q.subarray(0, end)); r[2] = 0x81 | (q[2] & 1); r[3] = 0x83; r.fill(0, 6, 12);
      dns.send(r, from.port, from.address);
    });
    dns.bind(53, '127.0.0.1', () => new Docker({ protocol: 'ssh', host: 'rig.invalid', port: 22, username: 'x', sshOptions: { privateKey: process.env.KEY } }).ping().then(
      () => (console.log('{}'), process.exit(0)),
      (e) => (console.log(JSON.stringify({ message: e.message, code: e.code, level: e.level })), process.exit(0))));`;
  const { stdout } = await promisify(execFile)(
    'nsenter',
    [`--net=/run/netns/${rig.netns}`, 'unshare', '-m', 'sh', '-c', `mount --bind "$0" /etc/resolv.conf && exec "$@"`, join(dir, 'resolv.conf'), process.execPath, '-e', script],
    { env: { ...process.env, DOCKERODE: createRequire(import.meta.url).resolve('dockerode'), KEY: rig.users.docker.privateKey.toString() }, timeout: 20_000 },
  );
  return stdout.trim();
}

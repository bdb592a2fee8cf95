import Docker from 'dockerode';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StackManager } from './stack-manager';
import { LABEL_PROJECT } from '../spec/stack-spec';
import type { StackProgress, StackStatus } from '../../electron/api/schemas/stack-status';
import type { ServiceName } from '../../electron/api/schemas/stack-status';
import { freePort, testStackSettings } from '../testing/test-settings';

// Integration test against the real Docker engine with the local test images.
const docker = new Docker();

async function leftovers(project: string) {
  const filters = JSON.stringify({ label: [`${LABEL_PROJECT}=${project}`] });
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ]);
  return { containers: containers.length, networks: networks.length, volumes: volumes.Volumes?.length ?? 0 };
}

describe('StackManager on the real engine', () => {
  let manager: StackManager;
  let project: string;

  beforeAll(async () => {
    const settings = await testStackSettings('lifecycle');
    project = settings.project;
    manager = new StackManager({ settings });
  });

  afterAll(async () => {
    await manager.down().catch(() => undefined);
    await manager.removeData().catch(() => undefined);
  });

  it('starts Prometheus and Alertmanager, sees both ready, then leaves nothing behind', async () => {
    const steps: StackProgress[] = [];
    manager.on('progress', (p) => steps.push(p));

    const up = await manager.up();
    const running = up.services.filter((s) => s.enabled);
    expect(running.map((s) => [s.name, s.state, s.health])).toEqual([
      ['prometheus', 'running', 'healthy'],
      ['alertmanager', 'running', 'healthy'],
    ]);
    expect(steps.filter((s) => s.step === 'ready').map((s) => s.service).sort()).toEqual(['alertmanager', 'prometheus']);

    // Published on loopback only.
    const info = await docker.getContainer(`${project}-prometheus`).inspect();
    expect(info.HostConfig.PortBindings?.['9090/tcp']?.[0]?.HostIp).toBe('127.0.0.1');
    expect(info.Config.User).toBe('65534');

    // Prometheus reaches Alertmanager by its alias on the stack network.
    const activeAlertmanagers = async () => {
      const res = await fetch(`${up.services[0]!.url}/api/v1/alertmanagers`);
      const body = (await res.json()) as { data: { activeAlertmanagers: { url: string }[] } };
      return body.data.activeAlertmanagers.map((a) => a.url);
    };
    await expect.poll(activeAlertmanagers, { timeout: 15_000 }).toEqual(['http://alertmanager:9093/api/v2/alerts']);

    const down = await manager.down();
    expect(down.services.every((s) => s.state === 'missing')).toBe(true);
    // Data of both services and their secrets volumes (notification secrets; rigs' keys and remote_write's).
    expect(await leftovers(project)).toEqual({ containers: 0, networks: 0, volumes: 4 });

    await manager.removeData();
    expect(await leftovers(project)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  }, 120_000);

  it('adopts its running containers instead of duplicating them', async () => {
    await manager.up();
    const first = await manager.status();
    const again = await manager.up();
    expect(again.services.map((s) => s.containerId)).toEqual(first.services.map((s) => s.containerId));
    expect((await leftovers(project)).containers).toBe(2);
    await manager.down();
  }, 120_000);

  it('reports live status changes from Docker events', async () => {
    const seen: StackStatus[] = [];
    const stop = manager.watch((s) => seen.push(s));
    try {
      await manager.up();
      await expect
        .poll(() => seen.some((s) => s.services.filter((x) => x.enabled).every((x) => x.health === 'healthy')), { timeout: 20_000 })
        .toBe(true);
      await manager.down();
      await expect.poll(() => seen.at(-1)?.services.every((x) => x.state === 'missing'), { timeout: 20_000 }).toBe(true);
    } finally {
      stop();
    }
  }, 120_000);
});

describe('StackManager config files', () => {
  it('writes every rendered file into the config directories on start, Grafana provisioning included', async () => {
    const base = await testStackSettings('configfiles');
    // No Grafana image can exist here: its pull fails after the configs are written.
    const settings = { ...base, grafana: { enabled: true, image: 'rx580-ops-test/grafana-missing:0', port: await freePort() } };
    const manager = new StackManager({ settings });
    try {
      await expect(manager.up()).rejects.toMatchObject({ code: 'IMAGE_MISSING', message: expect.stringMatching(/^Image rx580-ops-test\/grafana-missing:0 for grafana /) });
      const files = async (service: ServiceName) => {
        const dir = manager.spec.services.find((s) => s.service === service)!.configDir!;
        return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name))).sort();
      };
      expect(await files('prometheus')).toEqual(['alerts/api_alerts.yml', 'alerts/fleet_alerts.yml', 'alerts/system_alerts.yml', 'prometheus.yml']);
      expect(await files('grafana')).toEqual([
        'dashboard-files/api-overview.json',
        'dashboard-files/model-inference.json',
        'dashboard-files/system-resources.json',
        'dashboards/rx580-ops.yml',
        'datasources/prometheus.yml',
      ]);
      expect(await files('alertmanager')).toEqual(['alertmanager.yml']);
      expect((await leftovers(settings.project)).containers).toBe(0);
    } finally {
      await manager.removeData().catch(() => undefined);
    }
  });
});

describe('StackManager without an engine', () => {
  it('says in one sentence that the engine cannot be reached, naming the socket', async () => {
    const settings = await testStackSettings('noengine');
    const env = { DOCKER_HOST: 'unix:///tmp/rx580-no-such-docker.sock' };
    const manager = new StackManager({ settings, env });
    const status = await manager.status();
    expect(status.engine.reachable).toBe(false);
    expect(status.engine.message).toMatch(/^Cannot reach the Docker engine at unix:\/\/\/tmp\/rx580-no-such-docker\.sock \(ENOENT\): start Docker/);
    expect(status.services.every((s) => s.state === 'missing')).toBe(true);
    await expect(manager.up()).rejects.toMatchObject({ code: 'ENGINE_UNREACHABLE' });
  });

  // Provoked for real: the CLI run as `nobody`, who may not open the root-owned socket.
  it.skipIf(process.getuid?.() !== 0)('says how to fix a socket the user may not open', async () => {
    const cli = fileURLToPath(new URL('../../electron/cli/cli-main.ts', import.meta.url));
    const env = { PATH: process.env.PATH, HOME: tmpdir(), RX580_OPS_PROJECT: 'rx580-test-denied', RX580_OPS_DATA_DIR: join(tmpdir(), 'rx580-denied') };
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', cli, 'stack', 'up'], { env, uid: 65534, gid: 65534, cwd: fileURLToPath(new URL('../..', import.meta.url)) });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(result.stderr).toMatch(/Permission denied on the Docker engine at unix:\/\/\/var\/run\/docker\.sock: add your user to the docker group \(sudo usermod -aG docker \$USER/);
    expect(result.code).toBe(1);
  });
});

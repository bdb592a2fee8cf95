import Docker from 'dockerode';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Settings } from '../../electron/api/schemas/settings';
import { StackManager } from './stack-manager';
import { LABEL_PROJECT } from '../spec/stack-spec';
import { testStackSettings } from '../testing/test-settings';

// Faults users hit, provoked for real on the real engine with the test images.
const docker = new Docker();
const managers: StackManager[] = [];

async function managerFor(name: string, patch: (s: Settings) => Settings = (s) => s) {
  const manager = new StackManager({ settings: patch(await testStackSettings(name)) });
  managers.push(manager);
  return manager;
}

afterEach(async () => {
  for (const m of managers.splice(0)) {
    await m.down().catch(() => undefined);
    await m.removeData().catch(() => undefined);
  }
});

const ofProject = (project: string) => JSON.stringify({ label: [`${LABEL_PROJECT}=${project}`] });

async function promQuery(port: number, query: string, time?: number) {
  const url = new URL(`http://127.0.0.1:${port}/api/v1/query`);
  url.searchParams.set('query', query);
  if (time !== undefined) url.searchParams.set('time', String(time));
  const body = (await (await fetch(url)).json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  return body.data.result;
}

describe('stack faults', () => {
  it('keeps Prometheus samples across stop and start; remove-data deletes them', async () => {
    const manager = await managerFor('data');
    const port = manager.spec.services.find((s) => s.service === 'prometheus')!.hostPort!;
    await manager.up();
    await expect.poll(async () => (await promQuery(port, 'up{job="prometheus"}')).length, { timeout: 30_000 }).toBe(1);
    const [sample] = await promQuery(port, 'timestamp(up{job="prometheus"})');
    const scrapedAt = Number(sample!.value[1]);

    await manager.down();
    await manager.up();
    const again = await promQuery(port, 'timestamp(up{job="prometheus"})', scrapedAt);
    expect(again.map((r) => Number(r.value[1]))).toEqual([scrapedAt]);

    await manager.down();
    await manager.removeData();
    await manager.up();
    expect(await promQuery(port, 'up{job="prometheus"}', scrapedAt)).toEqual([]);
  }, 180_000);

  it('killed during start, a second start ends with exactly one healthy set', async () => {
    const manager = await managerFor('killed');
    const { project } = manager.spec;
    const cli = fileURLToPath(new URL('../../bin/rx580-ops.js', import.meta.url));
    const env = {
      ...process.env,
      RX580_OPS_PROJECT: project,
      RX580_OPS_DATA_DIR: manager.settings.dataDir,
      RX580_OPS_PROMETHEUS_PORT: String(manager.settings.prometheus.port),
      RX580_OPS_ALERTMANAGER_PORT: String(manager.settings.alertmanager.port),
      RX580_OPS_GRAFANA_ENABLED: 'false',
      RX580_OPS_INFERENCE_ENABLED: 'false',
    };
    const child = spawn(process.execPath, [cli, 'stack', 'up'], { env, stdio: 'ignore' });
    await expect.poll(async () => (await docker.listContainers({ all: true, filters: ofProject(project) })).length, { timeout: 30_000, interval: 20 }).toBeGreaterThan(0);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const status = await manager.up();
    expect(status.services.filter((s) => s.enabled).map((s) => s.health)).toEqual(['healthy', 'healthy']);
    // A helper the killed start left (a config check, a secrets carrier) is cleared too.
    expect((await docker.listContainers({ all: true, filters: ofProject(project) })).map((c) => c.Names[0]).sort()).toEqual([`/${project}-alertmanager`, `/${project}-prometheus`]);
    expect(await docker.listNetworks({ filters: ofProject(project) })).toHaveLength(1);
  }, 180_000);

  it('a port already taken on 127.0.0.1 gives the port-in-use error and creates nothing', async () => {
    let blocker: Server | undefined;
    const manager = await managerFor('port');
    const port = manager.spec.services.find((s) => s.service === 'prometheus')!.hostPort!;
    blocker = createServer();
    await new Promise<void>((r) => blocker!.listen(port, '127.0.0.1', r));
    try {
      await expect(manager.up()).rejects.toMatchObject({
        code: 'PORT_IN_USE',
        message: expect.stringMatching(new RegExp(`^Port ${port} on 127\\.0\\.0\\.1 is already in use.*RX580_OPS_PROMETHEUS_PORT`)),
      });
      const { project } = manager.spec;
      expect(await docker.listContainers({ all: true, filters: ofProject(project) })).toHaveLength(0);
      expect(await docker.listNetworks({ filters: ofProject(project) })).toHaveLength(0);
    } finally {
      await new Promise((r) => blocker!.close(r));
    }
  }, 60_000);

  it('reports a crash-looping service with its last log lines, and its status counts the restarts', async () => {
    // The Alertmanager binary given Prometheus's flags exits at once; the restart policy loops it.
    const manager = await managerFor('crash', (s) => ({ ...s, prometheus: { ...s.prometheus, image: s.alertmanager.image } }));
    const err = await manager.up().catch((e) => e);
    expect(err).toMatchObject({ code: 'SERVICE_CRASHING' });
    expect(err.message).toMatch(/^prometheus keeps crashing \(restarted \d+ times while starting\)\. Last log lines:\n/);
    expect(err.message).toMatch(/unknown long flag '--storage\.tsdb\.path'/);
    const restarts = async () => (await manager.status()).services.find((s) => s.id === 'prometheus')!.restarts;
    await expect.poll(restarts, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
  }, 90_000);

  it('sees a container killed from outside as stopped within seconds', async () => {
    const manager = await managerFor('kill');
    const seen: string[] = [];
    const stop = manager.watch((s) => seen.push(s.services.find((x) => x.name === 'alertmanager')!.state));
    try {
      await manager.up();
      const killedAt = Date.now();
      await docker.getContainer(`${manager.spec.project}-alertmanager`).kill();
      await expect.poll(() => seen.at(-1), { timeout: 5_000, interval: 50 }).toMatch(/^(exited|restarting)$/);
      expect(Date.now() - killedAt).toBeLessThan(5_000);
    } finally {
      stop();
    }
  }, 120_000);
});

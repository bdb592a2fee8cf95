import type Docker from 'dockerode';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleCore } from '../../electron/core/console-core';
import type { RigView } from '../../electron/api/schemas/rigs';
import type { Settings } from '../../electron/api/schemas/settings';
import type { StackStatus } from '../../electron/api/schemas/stack-status';
import { parseSettings, saveSettings } from '../../electron/settings/settings-file';
import { dispatchApiCall } from '../../electron/core/dispatch';
import { PrometheusClient } from '../clients/prometheus-client';
import { connectDocker } from '../engine/docker-engine';
import { LABEL_PROJECT } from '../spec/stack-spec';
import { NODE_EXPORTER_FIXTURE } from '../testing/node-exporter-fixture';
import { createRigHost, type RigHost } from '../testing/rig-hosts';
import { testStackSettings } from '../testing/test-settings';

// The monitoring stack on a chosen rig (rigs.monitoring): two rigs made by this test, network
// namespaces on one LAN with their own address, sshd (Debian's openssh-server) and Docker engine.
// The console copies the images to the first, carries the config into volumes there, and reaches
// Prometheus and Alertmanager through that rig's SSH connection; the stack scrapes both rigs'
// workers, and this machine's engine runs nothing of it.

const BIN = fileURLToPath(new URL('../../bin/rx580-ops.js', import.meta.url));
const run = promisify(execFile);

const owned = async (docker: Docker, project: string) => ({
  containers: (await docker.listContainers({ all: true, filters: { label: [`${LABEL_PROJECT}=${project}`] } })).map((c) => `${c.Names[0]?.slice(1)} ${c.State}`).sort(),
  volumes: ((await docker.listVolumes({ filters: { label: [`${LABEL_PROJECT}=${project}`] } })).Volumes ?? []).map((v) => v.Name).sort(),
});

const answers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

describe('the monitoring stack on a chosen rig, reached over SSH', () => {
  let rig: RigHost;
  let other: RigHost;
  let settings: Settings;
  let settingsFile: string;
  let core: ConsoleCore;
  const local = connectDocker();
  const call = (method: string, ...args: unknown[]) => dispatchApiCall(core.handlers, method, args);
  const prometheus = () => new PrometheusClient(`http://127.0.0.1:${settings.prometheus.port}`);
  const newCore = () => new ConsoleCore({ settings: structuredClone(settings), settingsFile, mode: 'web' });

  beforeAll(async () => {
    [rig, other] = await Promise.all([createRigHost({ name: 'stack' }), createRigHost({ name: 'other' })]);
    await rig.join(other);
    const base = await testStackSettings('stackrig');
    settings = parseSettings({
      ...base,
      prometheus: { ...base.prometheus, scrapeInterval: '1s' },
      alerts: { evaluationInterval: '1s', rigDownFor: '2s', workerDownFor: '2s', targetDownFor: '2s' },
      rigs: { monitoring: 'rig-s' },
    });
    settingsFile = join(settings.dataDir, 'settings.json');
    await saveSettings(settingsFile, settings);
    core = newCore();
    for (const [name, host] of [['rig-s', rig], ['rig-o', other]] as const) {
      const added = await call('rigs.add', { name, url: `ssh://${host.users.docker.name}@${host.address}`, privateKey: host.users.docker.privateKey.toString(), gpus: 'none', sysfs: NODE_EXPORTER_FIXTURE });
      if (!added.body.ok) throw new Error(JSON.stringify(added.body));
    }
    await core.rig.up();
  }, 300_000);

  afterAll(async () => {
    await core?.rig.down().catch(() => undefined);
    await core?.stack.removeData().catch(() => undefined);
    core?.close();
    await Promise.all([rig?.destroy(), other?.destroy()]);
  }, 120_000);

  it('runs Prometheus and Alertmanager on the rig from images copied there, and nothing of the stack on this machine', async () => {
    const there = await owned(rig.docker, settings.project);
    expect(there.containers).toEqual(expect.arrayContaining([`${settings.project}-alertmanager running`, `${settings.project}-prometheus running`]));
    // Config and secrets in volumes on the rig: no path of this machine is mounted there.
    expect(there.volumes).toEqual(expect.arrayContaining([`${settings.project}-prometheus-config`, `${settings.project}-alertmanager-config`, `${settings.project}-prometheus-secrets`]));
    expect(await owned(local, settings.project)).toEqual({ containers: [], volumes: [] });
    const status = await core.rig.status();
    expect(status.engine).toMatchObject({ reachable: true, endpoint: 'rig rig-s' });
    expect(status.services.filter((s) => s.name === 'prometheus' || s.name === 'alertmanager').map((s) => [s.name, s.state, s.health])).toEqual([
      ['prometheus', 'running', 'healthy'],
      ['alertmanager', 'running', 'healthy'],
    ]);
    const listed = await call('rigs.list');
    expect(listed.body).toMatchObject({ ok: true, result: { monitoring: 'rig-s' } });
    expect((listed.body as { result: { rigs: RigView[] } }).result.rigs.map((r) => r.name)).toEqual(['local', 'rig-s', 'rig-o']);
  });

  const apiTargets = async () =>
    (await prometheus().targets()).activeTargets
      .filter((t) => t.labels.job === 'rx580-api')
      .map((t) => `${t.labels.rig} ${t.labels.gpu} ${t.scrapeUrl.split('/')[2]} ${t.health}`)
      .sort();

  it("scrapes its own rig's worker and the other rig's over TLS with their keys, labelled, through a Prometheus this machine reaches only by the tunnel", async () => {
    await expect
      .poll(apiTargets, { timeout: 60_000, interval: 1000 })
      .toEqual([`rig-o cpu ${other.address}:${settings.inference.port} up`, `rig-s cpu ${rig.address}:${settings.inference.port} up`]);
    // The rig publishes Prometheus on its own loopback only: its network address has nothing there.
    const fromOutside = await fetch(`http://${rig.address}:${settings.prometheus.port}/-/ready`, { signal: AbortSignal.timeout(3000) }).then(() => 'answered', () => 'refused');
    expect(fromOutside).toBe('refused');
  }, 90_000);

  it("alerts from the rig: the other rig's link cut fires RigDown for it alone, and its return resolves it", async () => {
    const firing = async () => (await prometheus().alerts()).filter((a) => a.state === 'firing' && ['RigDown', 'WorkerDown'].includes(a.labels.alertname!)).map((a) => `${a.labels.alertname} ${a.labels.rig}`).sort();
    await other.linkDown();
    await expect.poll(firing, { timeout: 30_000, interval: 1000 }).toContain('RigDown rig-o');
    expect((await firing()).filter((a) => a.endsWith('rig-s'))).toEqual([]);
    expect(await apiTargets()).toContain(`rig-s cpu ${rig.address}:${settings.inference.port} up`);
    await other.linkUp();
    await expect.poll(firing, { timeout: 30_000, interval: 1000 }).toEqual([]);
  }, 90_000);

  it('applies alert settings live on the rig, and a config Prometheus refuses leaves the running one in place', async () => {
    const ruleFor = async (alert: string) => {
      const rule = (await prometheus().rules()).groups.flatMap((g) => g.rules).find((r) => r.name === alert);
      return rule?.type === 'alerting' ? rule.duration : null;
    };
    const saved = await call('settings.update', { ...settings, alerts: { ...settings.alerts, rigDownFor: '7s' } });
    expect(saved.body).toMatchObject({ ok: true });
    await expect.poll(() => ruleFor('RigDown'), { timeout: 15_000 }).toBe(7);
    await expect(core.stack.applyServiceConfig('prometheus', { 'prometheus.yml': 'scrape_configs: [{ job_name: x, bogus: 1 }]\n' })).rejects.toMatchObject({ code: 'CONFIG_REJECTED', stage: 'validate' });
    expect(await ruleFor('RigDown')).toBe(7);
  }, 60_000);

  it('refuses to remove the rig that runs the stack, or to move the stack while it runs', async () => {
    const res = await call('rigs.remove', 'rig-s');
    expect(res).toMatchObject({ status: 409, body: { ok: false, error: { code: 'RIG_RUNS_STACK', message: expect.stringContaining('rigs.monitoring') } } });
    const move = await call('settings.update', { ...settings, rigs: { monitoring: 'local' } });
    expect(move).toMatchObject({ status: 409, body: { ok: false, error: { code: 'STACK_RUNNING', issues: [{ path: 'rigs.monitoring', message: expect.stringMatching(/^stop the stack first/) }] } } });
    expect(JSON.parse(await readFile(settingsFile, 'utf8'))).toMatchObject({ rigs: { monitoring: 'rig-s' } });
  });

  it('keeps running when the console quits; the CLI reads it through a tunnel of its own and exits; a new console adopts it', async () => {
    core.close();
    await expect.poll(() => answers(settings.prometheus.port), { timeout: 5000 }).toBe(false);
    expect((await owned(rig.docker, settings.project)).containers).toEqual(expect.arrayContaining([`${settings.project}-prometheus running`]));
    // The built CLI ends by itself once it has answered: its SSH connection and tunnel go with it.
    const { stdout } = await run(process.execPath, [BIN, '--settings', settingsFile, 'status', '--json'], { timeout: 45_000, env: { PATH: process.env.PATH, HOME: process.env.HOME } });
    const cliStatus = JSON.parse(stdout) as StackStatus;
    expect(cliStatus.engine.endpoint).toBe('rig rig-s');
    expect(cliStatus.services.find((s) => s.name === 'prometheus')).toMatchObject({ state: 'running', health: 'healthy' });
    expect(await answers(settings.prometheus.port)).toBe(false);
    core = newCore();
    const status = await core.rig.status();
    expect(status.services.find((s) => s.name === 'prometheus')).toMatchObject({ state: 'running', health: 'healthy' });
    const up = await prometheus().query('up{job="rx580-api"}');
    expect(up.resultType === 'vector' && up.result.map((s) => s.metric.rig).sort()).toEqual(['rig-o', 'rig-s']);
  }, 90_000);

  it('stops and removes everything it made on the rig, and nothing is left on either engine', async () => {
    await core.rig.down();
    // Stopped, the tunnel still holds the stack's ports here: the first-run checks count them as the console's own.
    const checks = await call('app.checks');
    expect(checks.body).toMatchObject({ ok: true });
    expect((checks.body as { result: { checks: { id: string; ok: boolean; detail: string }[] } }).result.checks.filter((c) => c.id.startsWith('port:') && !c.ok)).toEqual([]);
    await core.stack.removeData();
    await Promise.all([call('rigs.down', 'rig-s'), call('rigs.down', 'rig-o')]);
    const there = await owned(rig.docker, settings.project);
    expect(there.containers).toEqual([]);
    // Only the rig's own worker volumes (its secrets), which go with the rig.
    expect(there.volumes.filter((v) => !v.includes('-rig-s-'))).toEqual([]);
    expect((await owned(other.docker, settings.project)).containers).toEqual([]);
    // Stopped, it may move.
    expect(await call('settings.update', { ...settings, rigs: { monitoring: 'local' } })).toMatchObject({ status: 200, body: { ok: true, result: { restartNeeded: true } } });
    expect(await owned(local, settings.project)).toEqual({ containers: [], volumes: [] });
  }, 90_000);
});

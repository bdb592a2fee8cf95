import Docker from 'dockerode';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConsoleCore } from '../../electron/core/console-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_RULE_FILES, alertRuleGroups } from './alert-rules';
import { ConfigRejectedError, writeAtomic } from './config-apply';
import { INFERENCE_TARGETS_FILE, renderInferenceTargets, type TargetGroup } from './inference-targets';
import { apiOverviewDashboard, DATASOURCE_UID, dashboardQueries, GENERATED_DASHBOARDS } from './grafana-provisioning';
import { GRAFANA_ALL_VALUE, grafanaDashboard } from './grafana-dashboards';
import { DASHBOARDS, scopeDashboard } from '../../electron/api/dashboards/dashboards';
import { ALL } from '../../electron/api/dashboards/scope';
import { PrometheusClient } from '../clients/prometheus-client';
import { prometheusConfigFiles } from './prometheus-config';
import { parseSettings, saveSettings } from '../../electron/settings/settings-file';
import type { Settings } from '../../electron/api/schemas/settings';
import type { StackManager } from '../engine/stack-manager';
import { testStackSettings } from '../testing/test-settings';

// The monitoring side of the stack on the real engine: every service, both inference worker
// containers included, scraped by the real Prometheus (test image) over the stack network; the
// rendered rules and dashboard queries accepted by it; live rule changes; and containers that
// crash or are killed from outside, seen by Prometheus alone (no process of the console's).
const docker = new Docker();

describe('monitoring on the real stack', () => {
  let settings: Settings;
  let core: ConsoleCore;
  let manager: StackManager;
  let prometheus: PrometheusClient;

  const vector = async (query: string) => {
    const r = await prometheus.query(query);
    return r.resultType === 'vector' ? r.result : [];
  };
  const rule = async (name: string) => (await prometheus.rules()).groups.flatMap((g) => g.rules).find((r) => r.name === name);
  const liveConfig = async () => ((await (await fetch(`${prometheus.baseUrl}/api/v1/status/config`)).json()) as { data: { yaml: string } }).data.yaml;

  beforeAll(async () => {
    const base = await testStackSettings('monitoring', { inference: true });
    // Fast scrapes and evaluations, so the test waits seconds, not minutes; two CPU workers.
    settings = parseSettings({
      ...base,
      prometheus: { ...base.prometheus, scrapeInterval: '1s' },
      inference: { ...base.inference, cpuWorkers: 2 },
      alerts: { evaluationInterval: '1s', containerDownFor: '0s', containerRestartingFor: '0s' },
    });
    // The console runs with what its settings file says, as a user's would.
    const settingsFile = join(settings.dataDir, 'settings.json');
    await saveSettings(settingsFile, settings);
    core = new ConsoleCore({ settings, settingsFile, mode: 'web' });
    manager = core.stack;
    await core.rig.up();
    prometheus = new PrometheusClient(`http://127.0.0.1:${settings.prometheus.port}`);
  }, 120_000);

  afterAll(async () => {
    core?.close();
    await manager?.down().catch(() => undefined);
    await manager?.removeData().catch(() => undefined);
  });

  it('scrapes every service over the stack network, each inference worker its own target labelled with its slot', async () => {
    const targets = async () =>
      (await prometheus.targets()).activeTargets
        .map((t) => `${t.labels.job} ${t.labels.instance} ${t.labels.service} ${t.labels.rig} ${t.labels.gpu ?? '-'} ${t.health}`)
        .sort();
    await expect.poll(targets, { timeout: 30_000 }).toEqual([
      'alertmanager alertmanager:9093 alertmanager local - up',
      'prometheus localhost:9090 prometheus local - up',
      'rx580-api inference-cpu0:8000 inference local cpu0 up',
      'rx580-api inference-cpu1:8000 inference local cpu1 up',
    ]);
    // Each worker publishes its own port on loopback, and answers there.
    const workers = (await manager.status()).services.filter((s) => s.name === 'inference');
    expect(workers.map((w) => [w.id, w.port, w.health])).toEqual([
      ['inference-cpu0', settings.inference.port, 'healthy'],
      ['inference-cpu1', settings.inference.port + 1, 'healthy'],
    ]);
    for (const w of workers) expect((await fetch(`${w.url}/health`)).status).toBe(200);
    // Restarts are counted from what every service exports itself.
    expect((await vector('process_start_time_seconds{service!=""}')).map((s) => s.metric.service).sort()).toEqual(['alertmanager', 'inference', 'inference', 'prometheus']);
  }, 40_000);

  it('follows the workers\' file_sd file by itself: a worker taken out of it and put back, with no reload', async () => {
    const reloads = async () => Number((await vector('prometheus_config_last_reload_success_timestamp_seconds'))[0]!.value[1]);
    const before = await reloads();
    const file = join(manager.spec.services.find((s) => s.service === 'prometheus')!.configDir!, INFERENCE_TARGETS_FILE);
    const both = await readFile(file, 'utf8');
    const gpus = async () => (await prometheus.targets()).activeTargets.filter((t) => t.labels.job === 'rx580-api').map((t) => t.labels.gpu).sort();
    try {
      await writeAtomic(file, renderInferenceTargets((JSON.parse(both) as TargetGroup[]).filter((g) => g.labels.gpu === 'cpu0')));
      await expect.poll(gpus, { timeout: 15_000 }).toEqual(['cpu0']);
    } finally {
      await writeAtomic(file, both);
    }
    await expect.poll(gpus, { timeout: 15_000 }).toEqual(['cpu0', 'cpu1']);
    expect(await reloads()).toBe(before);
  }, 40_000);

  it('loads all 13 rules and evaluates them without errors', async () => {
    const expected = alertRuleGroups(settings.alerts).flatMap((g) => g.rules.map((r) => r.alert));
    await expect
      .poll(async () => (await prometheus.rules()).groups.flatMap((g) => g.rules.map((r) => `${r.name}:${r.health}`)).sort(), { timeout: 20_000 })
      .toEqual(expected.map((name) => `${name}:ok`).sort());
  }, 30_000);

  it('accepts every dashboard panel query', async () => {
    const grafana = [apiOverviewDashboard(settings), ...GENERATED_DASHBOARDS.map((d) => grafanaDashboard(d, { type: 'prometheus', uid: DATASOURCE_UID }))];
    // Grafana's queries as it sends them with All chosen: each variable replaced by its allValue.
    const grafanaAll = grafana.flatMap(dashboardQueries).map((q) => q.replaceAll('$rig', GRAFANA_ALL_VALUE).replaceAll('$gpu', GRAFANA_ALL_VALUE));
    // The Metrics page's, for All and for one rig and GPU (as its selects fill them).
    const console = [ALL, { rig: ['local'], gpu: ['cpu0'] }].flatMap((sel) => DASHBOARDS.flatMap((d) => scopeDashboard(d, sel).panels.flatMap((p) => p.series.map((s) => s.query))));
    const queries = [...new Set([...grafanaAll, ...console])];
    expect(queries.length).toBeGreaterThan(60);
    expect(queries.filter((q) => q.includes('$'))).toEqual([]);
    // Not only accepted: the workers' own series are there to draw.
    await expect.poll(async () => (await vector('sum by (gpu) (api_requests_total)')).map((s) => s.metric.gpu).sort(), { timeout: 20_000 }).toEqual(['cpu0', 'cpu1']);
    for (const q of queries) await expect(prometheus.query(q), q).resolves.toBeDefined();
    // Narrowed to one worker, the series are its own; to a GPU no worker has, there are none.
    const perGpu = async (gpu: string) => (await vector(scopeDashboard(DASHBOARDS[0], { rig: ['local'], gpu: [gpu] }).panels[0]!.series[0]!.query)).length;
    expect([await perGpu('cpu0'), await perGpu('nope')]).toEqual([1, 0]);
  });

  it('applies changed alert settings live, and refuses a broken rule with the previous rules left running', async () => {
    const lines: string[] = [];
    const stopFollowing = await manager.followLogs('prometheus', (l) => lines.push(l));
    try {
      const changed = { ...settings.alerts, targetDownFor: '45s' };
      await manager.applyPrometheusConfig(changed);
      expect(await rule('PrometheusTargetDown')).toMatchObject({ duration: 45 });
      // The reload shows up in the live log stream.
      await expect.poll(() => lines.some((l) => /Completed loading of configuration file/.test(l)), { timeout: 10_000 }).toBe(true);

      const configBefore = await liveConfig();
      const files = await prometheusConfigFiles({ ...settings, alerts: changed }, manager.spec);
      const apiDown = alertRuleGroups(changed).flatMap((g) => g.rules).find((r) => r.alert === 'APIDown')!.expr;
      const broken = files[ALERT_RULE_FILES.api]!.replace(apiDown, apiDown.replace(/ 0$/, ''));
      expect(broken).not.toBe(files[ALERT_RULE_FILES.api]);
      const err = await manager.applyServiceConfig('prometheus', { ...files, [ALERT_RULE_FILES.api]: broken }).catch((e) => e);
      expect(err).toBeInstanceOf(ConfigRejectedError);
      expect(err.stage).toBe('validate');
      expect(err.message).toMatch(/api_alerts\.yml/);
      expect(await liveConfig()).toBe(configBefore);
      expect(await rule('APIDown')).toMatchObject({ query: apiDown, health: 'ok' });
      expect(await rule('PrometheusTargetDown')).toMatchObject({ duration: 45 });
    } finally {
      stopFollowing();
    }
  }, 60_000);

  it('follows a container log through the API contract until told to stop', async () => {
    const lines: string[] = [];
    const unsubscribe = core.subscribe((event, payload) => {
      if (event === 'logs.lines') {
        const batch = payload as { source: string; lines: string[] };
        if (batch.source === 'prometheus') lines.push(...batch.lines);
      }
    });
    try {
      const { followId } = await core.handlers['logs.follow']('prometheus');
      await fetch(`${prometheus.baseUrl}/-/reload`, { method: 'POST' });
      await expect.poll(() => lines.some((l) => /Completed loading of configuration file/.test(l)), { timeout: 10_000 }).toBe(true);
      expect(await core.handlers['logs.unfollow'](followId)).toEqual({ stopped: true });
      expect(await core.handlers['logs.unfollow'](followId)).toEqual({ stopped: false });
      await new Promise((r) => setTimeout(r, 500));
      const count = lines.length;
      await fetch(`${prometheus.baseUrl}/-/reload`, { method: 'POST' });
      await new Promise((r) => setTimeout(r, 500));
      expect(lines.length).toBe(count);
    } finally {
      unsubscribe();
    }
  }, 30_000);

  it('sees a crashing inference worker restarted by the engine, counted in its status, and ContainerRestarting firing', async () => {
    const worker = docker.getContainer(`${settings.project}-inference-cpu0`);
    const startTimes = async () => (await vector('process_start_time_seconds{gpu="cpu0"}')).map((s) => s.value[1]);
    // `docker kill` marks a container stopped by hand, which no restart policy restarts: a crash
    // is the process dying on its own, as the OOM killer or a fault would end it.
    for (let crash = 1; crash <= 3; crash++) {
      const before = await startTimes();
      const { State } = await worker.inspect();
      process.kill(State.Pid, 'SIGKILL');
      await expect.poll(async () => (await worker.inspect()).RestartCount, { timeout: 15_000 }).toBe(crash);
      // Scraped again, with its new start time, before the next crash.
      await expect.poll(async () => { const now = await startTimes(); return now.length === 1 && now[0] !== before[0]; }, { timeout: 30_000 }).toBe(true);
    }
    const status = (await manager.status()).services.find((s) => s.id === 'inference-cpu0')!;
    expect(status.restarts).toBe(3);
    await expect.poll(async () => (await prometheus.alerts()).filter((a) => a.labels.alertname === 'ContainerRestarting' && a.state === 'firing').map((a) => `${a.labels.service} ${a.labels.gpu}`), { timeout: 15_000 }).toEqual(['inference cpu0']);
    // The other worker kept serving.
    expect((await manager.status()).services.find((s) => s.id === 'inference-cpu1')).toMatchObject({ restarts: 0, health: 'healthy' });
  }, 120_000);

  it('makes the ContainerDown expression true in Prometheus when Alertmanager is killed from outside', async () => {
    const expr = alertRuleGroups(settings.alerts)
      .flatMap((g) => g.rules)
      .find((r) => r.alert === 'ContainerDown')!.expr;
    // Every stack target is up before Alertmanager goes.
    await expect.poll(() => vector(expr), { timeout: 30_000 }).toEqual([]);
    await docker.getContainer(`${settings.project}-alertmanager`).kill();
    await expect.poll(async () => (await vector(expr)).map((s) => s.metric.service), { timeout: 15_000 }).toEqual(['alertmanager']);
    await expect.poll(async () => (await prometheus.alerts()).filter((a) => a.labels.alertname === 'ContainerDown').map((a) => a.labels.service), { timeout: 10_000 }).toEqual(['alertmanager']);
  }, 40_000);

  it('applies alert settings saved from the Settings form to the running Prometheus, without a restart', async () => {
    const { settings: form } = await core.handlers['settings.get']();
    const startedAt = (await manager.status()).services.find((s) => s.name === 'prometheus')!.startedAt;
    const view = await core.handlers['settings.update']({ ...form, alerts: { ...form.alerts, apiDownFor: '7m', latencyP95Seconds: 0.25 } });
    expect(view.restartNeeded).toBe(false);
    expect(await rule('APIDown')).toMatchObject({ duration: 420 });
    expect((await rule('HighLatency'))?.query).toMatch(/> 0\.25$/);
    expect((await manager.status()).services.find((s) => s.name === 'prometheus')!.startedAt).toBe(startedAt);
    expect(core.settings.alerts.apiDownFor).toBe('7m');
  }, 60_000);
});

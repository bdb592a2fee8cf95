import Docker from 'dockerode';
import { join } from 'node:path';
import { ConsoleCore } from '../electron/console-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_RULE_FILES, alertRuleGroups } from './alert-rules';
import { ConfigRejectedError } from './config-apply';
import { ConsoleExporter } from './console-exporter';
import { apiOverviewDashboard, dashboardQueries } from './grafana-provisioning';
import { hostGatewayAddress } from './host-gateway';
import { PrometheusClient } from './prometheus-client';
import { prometheusConfigFiles } from './prometheus-config';
import { parseSettings, saveSettings, type Settings } from './settings';
import type { StackManager } from './stack-manager';
import { testStackSettings } from './testing/test-settings';

// The monitoring side of the stack on the real engine: the console exporter scraped by the
// real Prometheus (test image) through host.docker.internal, the rendered rules and dashboard
// queries accepted by it, live rule changes, and a container killed from outside.
const docker = new Docker();

describe('monitoring on the real stack', () => {
  let settings: Settings;
  let core: ConsoleCore;
  let manager: StackManager;
  let exporter: ConsoleExporter;
  let prometheus: PrometheusClient;

  const exporterUrl = (path = '/metrics') => `http://127.0.0.1:${settings.exporter.port}${path}`;
  const vector = async (query: string) => {
    const r = await prometheus.query(query);
    return r.resultType === 'vector' ? r.result : [];
  };
  const rule = async (name: string) => (await prometheus.rules()).groups.flatMap((g) => g.rules).find((r) => r.name === name);
  const liveConfig = async () => ((await (await fetch(`${prometheus.baseUrl}/api/v1/status/config`)).json()) as { data: { yaml: string } }).data.yaml;

  beforeAll(async () => {
    const base = await testStackSettings('monitoring');
    // Fast scrapes and evaluations, so the test waits seconds, not minutes.
    settings = parseSettings({ ...base, prometheus: { ...base.prometheus, scrapeInterval: '1s' }, alerts: { evaluationInterval: '1s', containerDownFor: '0s' } });
    // The console's own core runs the exporter and the stack, as the app does.
    // The console runs with what its settings file says, as a user's would.
    const settingsFile = join(settings.dataDir, 'settings.json');
    await saveSettings(settingsFile, settings);
    core = new ConsoleCore({ settings, settingsFile, mode: 'web' });
    await core.start();
    exporter = core.exporter;
    manager = core.stack;
    await manager.up();
    prometheus = new PrometheusClient(`http://127.0.0.1:${settings.prometheus.port}`);
  }, 120_000);

  afterAll(async () => {
    core?.close();
    await exporter?.stop();
    await manager?.down().catch(() => undefined);
    await manager?.removeData().catch(() => undefined);
  });

  it('serves /metrics only, on 127.0.0.1 and the host gateway, never on every interface', async () => {
    const gateway = await hostGatewayAddress(docker);
    expect(exporter.addresses().sort()).toEqual([`127.0.0.1:${settings.exporter.port}`, `${gateway}:${settings.exporter.port}`].sort());
    expect((await fetch(exporterUrl('/'))).status).toBe(404);
    expect((await fetch(exporterUrl(), { method: 'POST' })).status).toBe(405);
    const text = await (await fetch(exporterUrl())).text();
    expect(text).toContain('rx580_ops_container_up{service="prometheus"} 1');
    expect(text).toContain('rx580_ops_container_up{service="alertmanager"} 1');
    expect(text).toContain('rx580_ops_container_restarts_total{service="prometheus"} 0');
    expect(text).toMatch(/^rx580_ops_container_last_start_time_seconds\{service="alertmanager"\} \d+(\.\d+)?$/m);
    expect(text).not.toContain('service="grafana"');
  });

  it('is scraped by Prometheus from inside its container', async () => {
    await expect.poll(async () => (await vector('up{job="rx580-ops"}')).map((s) => s.value[1]), { timeout: 30_000 }).toEqual(['1']);
    expect((await vector('rx580_ops_container_up{job="rx580-ops"}')).length).toBe(2);
  }, 40_000);

  it('loads all 11 rules and evaluates them without errors', async () => {
    const expected = alertRuleGroups(settings.alerts).flatMap((g) => g.rules.map((r) => r.alert));
    await expect
      .poll(async () => (await prometheus.rules()).groups.flatMap((g) => g.rules.map((r) => `${r.name}:${r.health}`)), { timeout: 20_000 })
      .toEqual(expected.map((name) => `${name}:ok`));
  }, 30_000);

  it('accepts every dashboard panel query', async () => {
    const queries = dashboardQueries(apiOverviewDashboard(settings));
    expect(queries).toHaveLength(11);
    for (const q of queries) await expect(prometheus.query(q), q).resolves.toBeDefined();
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
      const files = prometheusConfigFiles({ ...settings, alerts: changed });
      const broken = files[ALERT_RULE_FILES.api]!.replace('up{job="rx580-api"} == 0', 'up{job="rx580-api"} ==');
      const err = await manager.applyServiceConfig('prometheus', { ...files, [ALERT_RULE_FILES.api]: broken }).catch((e) => e);
      expect(err).toBeInstanceOf(ConfigRejectedError);
      expect(err.stage).toBe('validate');
      expect(err.message).toMatch(/api_alerts\.yml/);
      expect(await liveConfig()).toBe(configBefore);
      expect(await rule('APIDown')).toMatchObject({ query: 'up{job="rx580-api"} == 0', health: 'ok' });
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

  it('counts a restart done outside the console, from 0, once', async () => {
    const restarts = async () => Number(/^rx580_ops_container_restarts_total\{service="alertmanager"\} (\S+)$/m.exec(await exporter.metrics())?.[1]);
    expect(await restarts()).toBe(0);
    // `docker restart` resets Docker's own RestartCount to 0: only the console's counter rises.
    await docker.getContainer(`${settings.project}-alertmanager`).restart({ t: 1 });
    await expect.poll(restarts, { timeout: 10_000 }).toBe(1);
    await new Promise((r) => setTimeout(r, 500));
    expect(await restarts()).toBe(1);
  }, 30_000);

  it('makes the ContainerDown expression true in Prometheus when Alertmanager is killed from outside', async () => {
    const expr = alertRuleGroups(settings.alerts)
      .flatMap((g) => g.rules)
      .find((r) => r.alert === 'ContainerDown')!.expr;
    // The restart above may have left a scrape of Alertmanager down: wait for one that sees it up.
    await expect.poll(() => vector(expr), { timeout: 15_000 }).toEqual([]);
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

describe('console exporter ports', () => {
  it('names the port and the setting when its port is taken', async () => {
    const settings = await testStackSettings('exporter-port');
    const first = new ConsoleExporter({ settings, docker });
    await first.start();
    try {
      const second = new ConsoleExporter({ settings, docker });
      await expect(second.start()).rejects.toMatchObject({
        code: 'PORT_IN_USE',
        message: expect.stringMatching(new RegExp(`^Port ${settings.exporter.port} on 127\\.0\\.0\\.1 is already in use.*RX580_OPS_EXPORTER_PORT`)),
      });
    } finally {
      await first.stop();
    }
  });
});

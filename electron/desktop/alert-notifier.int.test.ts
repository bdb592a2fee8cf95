import { createServer, type Server } from 'node:http';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPrometheusConfig } from '../../stack/config/prometheus-config';
import { PrometheusClient } from '../../stack/clients/prometheus-client';
import { StackManager } from '../../stack/engine/stack-manager';
import { testStackSettings } from '../../stack/testing/test-settings';
import { notifyAlerts, type DesktopNotification, type NotificationPort } from './alert-notifier';
import { AlertWatcher, type AlertTransition } from './alert-watcher';

/** Stands in for Electron's Notification (no Electron binary here): records what would be shown. */
class RecordingNotifications implements NotificationPort {
  shown: { notification: DesktopNotification; click: () => void }[] = [];
  isSupported = () => true;
  show(notification: DesktopNotification, click: () => void) {
    this.shown.push({ notification, click });
  }
  titles = () => this.shown.map((s) => s.notification.title);
}

const rule = (expr: string) =>
  stringify({ groups: [{ name: 'desktop-test', rules: [{ alert: 'DesktopTestAlert', expr, for: '0s', labels: { severity: 'critical' }, annotations: { summary: 'Raised by the desktop notification test' } }] }] });

// A real Prometheus (test image) with a rule written through the stack's own config path.
describe('alert notifications from a real Prometheus', () => {
  let manager: StackManager;
  let watcher: AlertWatcher;

  const applyRule = (expr: string) => {
    const config = parse(renderPrometheusConfig({ ...manager.settings, prometheus: { ...manager.settings.prometheus, scrapeInterval: '1s' }, alerts: { ...manager.settings.alerts, evaluationInterval: '1s' } }));
    config.rule_files = ['rules/desktop-test.yml'];
    return manager.applyServiceConfig('prometheus', { 'prometheus.yml': stringify(config), 'rules/desktop-test.yml': rule(expr) });
  };

  beforeAll(async () => {
    const settings = await testStackSettings('alerts');
    manager = new StackManager({ settings: { ...settings, alertmanager: { ...settings.alertmanager, enabled: false } } });
    await manager.up();
    watcher = new AlertWatcher({ source: new PrometheusClient(`http://127.0.0.1:${manager.settings.prometheus.port}`), intervalMs: 300 });
  }, 120_000);

  afterAll(async () => {
    watcher?.stop();
    await manager.down().catch(() => undefined);
    await manager.removeData().catch(() => undefined);
  });

  it('notifies when a rule starts firing and when it resolves, opens the Alerts page on click, and stays quiet when turned off', async () => {
    const notifications = new RecordingNotifications();
    let enabled = true;
    let opened = 0;
    const transitions: AlertTransition['kind'][] = [];
    watcher.on('transition', (t) => transitions.push(t.kind));
    notifyAlerts({ watcher, notifications, enabled: () => enabled, openAlerts: () => opened++ });
    watcher.start();
    await watcher.poll();

    await applyRule('vector(1)');
    await expect.poll(() => notifications.titles(), { timeout: 20_000, interval: 200 }).toEqual(['Alert firing: DesktopTestAlert (critical)']);
    expect(notifications.shown[0]!.notification).toEqual({ title: 'Alert firing: DesktopTestAlert (critical)', body: 'Raised by the desktop notification test', urgency: 'critical' });
    notifications.shown[0]!.click();
    expect(opened).toBe(1);

    await applyRule('vector(1) > 2');
    await expect.poll(() => notifications.titles(), { timeout: 20_000, interval: 200 }).toEqual(['Alert firing: DesktopTestAlert (critical)', 'Alert resolved: DesktopTestAlert']);

    enabled = false;
    await applyRule('vector(1)');
    await expect.poll(() => transitions, { timeout: 20_000, interval: 200 }).toEqual(['firing', 'resolved', 'firing']);
    expect(notifications.shown).toHaveLength(2);
  }, 90_000);
});

// Real HTTP, a server whose answers the test controls: the watcher's rules at the edges.
describe('AlertWatcher', () => {
  let server: Server;
  let alerts: object[] = [];
  let down = false;
  let url = '';
  const alert = (name: string, state: string) => ({ labels: { alertname: name }, annotations: {}, state, value: '1' });

  beforeAll(async () => {
    server = createServer((_req, res) => (down ? res.writeHead(503).end('restarting') : res.end(JSON.stringify({ status: 'success', data: { alerts } }))));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('takes what fires at the first answer as the baseline, ignores pending, and does not resolve while Prometheus is away', async () => {
    const watcher = new AlertWatcher({ source: new PrometheusClient(url, 500) });
    const errors: Error[] = [];
    watcher.on('unreachable', (e) => errors.push(e));
    alerts = [alert('Old', 'firing')];
    expect(await watcher.poll()).toEqual([]);
    alerts = [alert('Old', 'firing'), alert('New', 'pending')];
    expect(await watcher.poll()).toEqual([]);
    alerts = [alert('Old', 'firing'), alert('New', 'firing')];
    expect((await watcher.poll()).map((t) => `${t.kind} ${t.name}`)).toEqual(['firing New']);

    down = true;
    expect(await watcher.poll()).toEqual([]);
    expect(await watcher.poll()).toEqual([]);
    expect(errors.map((e) => e.message)).toEqual(['Prometheus answered 503 without its JSON envelope']);

    down = false;
    alerts = [];
    expect((await watcher.poll()).map((t) => `${t.kind} ${t.name}`)).toEqual(['resolved Old', 'resolved New']);
  });
});

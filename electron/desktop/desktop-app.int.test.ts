import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPrometheusConfig } from '../../stack/config/prometheus-config';
import { parseSettings, saveSettings } from '../settings/settings-file';
import type { Settings } from '../api/schemas/settings';
import { StackManager } from '../../stack/engine/stack-manager';
import { freePort, testStackSettings } from '../../stack/testing/test-settings';
import { IPC_EVENT_CHANNEL } from '../api/channels';
import { DesktopApp } from './desktop-app';
import { fakePorts, FakeLockRegistry, type FakePorts } from './testing/fake-ports';

// The desktop shell's wiring, with Electron replaced by recording ports (no binary here) and
// everything behind them real: ConsoleCore, the Docker engine, Prometheus.

async function userData(settings?: Settings): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rx580-userdata-'));
  if (settings) await saveSettings(join(dir, 'settings.json'), settings);
  return dir;
}

const noEngine = { ...process.env, DOCKER_HOST: 'unix:///tmp/rx580-desktop-no-engine.sock' };
// Free ports: the alert watcher must not poll somebody else's Prometheus on 9090.
const offlineSettings = async (dir: string) =>
  parseSettings({ project: 'rx580-desktop-unit', dataDir: dir, prometheus: { port: await freePort() }, inference: { enabled: false } });

describe('desktop app wiring (no engine needed)', () => {
  const apps: DesktopApp[] = [];
  afterAll(async () => {
    for (const app of apps) await app.quitFlow?.run();
  });

  it('lets one instance run: a second launch quits and brings the first window forward', async () => {
    const locks = new FakeLockRegistry();
    const dir = await userData(await offlineSettings(await mkdtemp(join(tmpdir(), 'rx580-data-'))));
    const first = fakePorts(dir, locks);
    const app1 = new DesktopApp({ ports: first, env: noEngine });
    apps.push(app1);
    expect(await app1.start()).toBe(true);
    const win = first.windows[0]!;
    win.minimized = true;
    win.visible = false;

    const second = fakePorts(dir, locks);
    const app2 = new DesktopApp({ ports: second, env: noEngine });
    expect(await app2.start()).toBe(false);
    expect(second.app.quitCalls).toBe(1);
    expect(second.windows).toHaveLength(0);
    expect(app2.core).toBeNull();
    expect({ minimized: win.minimized, visible: win.visible, focused: win.focusCalls }).toEqual({ minimized: false, visible: true, focused: 1 });
  });

  it('keeps its settings in the user data directory and serves the API to its own page only', async () => {
    const dir = await userData(await offlineSettings(await mkdtemp(join(tmpdir(), 'rx580-data-'))));
    const ports = fakePorts(dir);
    const app = new DesktopApp({ ports, env: noEngine });
    apps.push(app);
    await app.start();
    expect(await ports.invoke!('file:///opt/rx580/renderer/index.html', 'app.info', [])).toMatchObject({ ok: true, result: { mode: 'desktop', settingsFile: join(dir, 'settings.json'), project: 'rx580-desktop-unit' } });
    expect(await ports.invoke!('https://evil.test/', 'stack.up', [])).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await ports.invoke!(undefined, 'app.info', [])).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(ports.windows[0]!.request.isAllowedExternal('http://127.0.0.1:9093/')).toBe(true);
    expect(ports.windows[0]!.request.isAllowedExternal('http://127.0.0.1:7777/')).toBe(false);
  });

  it('has a menu with the usual shortcuts; Settings… shows the window on the Settings page', async () => {
    const dir = await userData(await offlineSettings(await mkdtemp(join(tmpdir(), 'rx580-data-'))));
    const ports = fakePorts(dir);
    const app = new DesktopApp({ ports, env: noEngine });
    apps.push(app);
    await app.start();
    const items = ports.app.menu!.flatMap((m) => [m, ...((m.submenu as typeof ports.app.menu) ?? [])]);
    const accelerators = Object.fromEntries(items.filter((i) => i.accelerator).map((i) => [i.label, i.accelerator]));
    expect(accelerators).toMatchObject({ 'Settings…': 'CmdOrCtrl+,', Quit: 'CmdOrCtrl+Q' });
    expect(items.map((i) => i.role).filter(Boolean)).toEqual(expect.arrayContaining(['editMenu', 'windowMenu', 'reload', 'zoomIn', 'togglefullscreen']));
    (items.find((i) => i.label === 'Settings…')!.click as () => void)();
    expect(ports.windows[0]!.sent).toContainEqual([IPC_EVENT_CHANNEL, 'app.navigate', { page: 'settings' }]);
  });

  it('hides the window on close while the tray runs, and quits on close without a tray', async () => {
    const withTray = fakePorts(await userData(await offlineSettings(await mkdtemp(join(tmpdir(), 'rx580-data-')))));
    const a = new DesktopApp({ ports: withTray, env: noEngine });
    apps.push(a);
    await a.start();
    withTray.windows[0]!.close();
    expect(withTray.windows[0]!.destroyed).toBe(false);
    expect(withTray.windows[0]!.visible).toBe(false);
    withTray.tray!.choose('Open console');
    expect(withTray.windows[0]!.visible).toBe(true);

    const noTray = fakePorts(await userData(await offlineSettings(await mkdtemp(join(tmpdir(), 'rx580-data-')))), new FakeLockRegistry(), { tray: false });
    const b = new DesktopApp({ ports: noTray, env: noEngine });
    await b.start();
    noTray.windows[0]!.close();
    expect(noTray.windows[0]!.destroyed).toBe(true);
    await expect.poll(() => noTray.app.quitCalls).toBeGreaterThanOrEqual(2);
  });
});

describe('desktop app on a real stack: tray health, alert notification, quit flow', () => {
  let settings: Settings;
  let dir: string;
  let ports: FakePorts;
  let app: DesktopApp;

  beforeAll(async () => {
    const base = await testStackSettings('desktop');
    settings = { ...base, inference: { ...base.inference, enabled: false }, desktop: { notifications: true, onQuit: 'ask' } };
    dir = await userData(settings);
  });

  afterAll(async () => {
    if (!settings) return;
    const manager = new StackManager({ settings });
    await manager.down().catch(() => undefined);
    await manager.removeData().catch(() => undefined);
  });

  it('tray Start stack turns the icon healthy; a firing alert notifies and its click opens the Alerts page', async () => {
    ports = fakePorts(dir);
    app = new DesktopApp({ ports, alertPollMs: 300 });
    await app.start();
    expect(ports.tray!.images.at(-1)).toMatch(/assets\/tray\/stopped\.png$/);
    ports.tray!.choose('Start stack');
    await expect.poll(() => ports.tray!.images.at(-1), { timeout: 90_000, interval: 250 }).toMatch(/healthy\.png$/);
    expect(ports.tray!.tooltip).toBe('RX580 Ops Console: stack healthy');
    expect(ports.windows[0]!.sent.some(([, event]) => event === 'stack.status')).toBe(true);

    const config = parse(renderPrometheusConfig({ ...app.core!.settings, prometheus: { ...app.core!.settings.prometheus, scrapeInterval: '1s' }, alerts: { ...app.core!.settings.alerts, evaluationInterval: '1s' } }));
    config.rule_files = ['rules/desktop.yml'];
    const rule = { groups: [{ name: 'desktop', rules: [{ alert: 'DesktopAppTest', expr: 'vector(1)', for: '0s', labels: { severity: 'warning' } }] }] };
    await app.core!.stack.applyServiceConfig('prometheus', { 'prometheus.yml': stringify(config), 'rules/desktop.yml': stringify(rule) });
    await expect.poll(() => ports.notifications.shown.map((s) => s.notification.title), { timeout: 30_000, interval: 250 }).toEqual(['Alert firing: DesktopAppTest (warning)']);

    const win = ports.windows[0]!;
    win.close();
    expect(win.visible).toBe(false);
    ports.notifications.shown[0]!.click();
    expect(win.visible).toBe(true);
    expect(win.sent).toContainEqual([IPC_EVENT_CHANNEL, 'app.navigate', { page: 'alerts' }]);
  }, 150_000);

  it('quitting asks, stops the stack and remembers; the next run stops it without asking, in the window it left', async () => {
    ports.windows[0]!.resizeTo({ x: 300, y: 200, width: 1000, height: 720 });
    ports.dialog.answer = { choice: 'stop', remember: true };
    ports.app.quit();
    await expect.poll(() => ports.app.quitCalls, { timeout: 60_000 }).toBe(2);
    expect(ports.dialog.asked).toBe(1);
    const manager = new StackManager({ settings });
    // Every service listed, none with a container left.
    expect(new Set((await manager.status()).services.map((s) => s.state))).toEqual(new Set(['missing']));
    expect(JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8')).desktop.onQuit).toBe('stop');
    expect(ports.tray!.destroyed).toBe(true);

    const next = fakePorts(dir);
    const again = new DesktopApp({ ports: next, alertPollMs: 300 });
    await again.start();
    expect(next.windows[0]!.request.bounds).toEqual({ x: 300, y: 200, width: 1000, height: 720, maximized: false });
    next.tray!.choose('Start stack');
    await expect.poll(() => next.tray!.images.at(-1), { timeout: 90_000, interval: 250 }).toMatch(/healthy\.png$/);
    next.app.quit();
    await expect.poll(() => next.app.quitCalls, { timeout: 60_000 }).toBe(2);
    expect(next.dialog.asked).toBe(0);
    expect((await manager.status()).services.every((s) => s.state === 'missing')).toBe(true);
  }, 200_000);
});

import { join } from 'node:path';
import type { z } from 'zod';
import { userMessage } from '../../stack/console-error';
import { loadSettings } from '../settings/settings-file';
import { PrometheusClient } from '../../stack/clients/prometheus-client';
import { IPC_EVENT_CHANNEL } from '../api/channels';
import type { ApiResponse } from '../api/contract';
import type { pageSchema } from '../api/desktop-contract';
import { dispatchApiCall } from '../core/dispatch';
import { appRoot } from '../core/app-root';
import { ConsoleCore } from '../core/console-core';
import { notifyAlerts } from './alert-notifier';
import { AlertWatcher } from './alert-watcher';
import { appMenuTemplate } from './app-menu';
import type { DesktopPorts, WindowPort } from './desktop-ports';
import { QuitFlow } from './quit-flow';
import { claimSingleInstance } from './single-instance';
import { TrayController, trayIconPath } from './tray-controller';
import { isAllowedExternalUrl } from './window-security';
import { trackWindowState, WindowStateStore } from './window-state';

type Page = z.infer<typeof pageSchema>;

export interface DesktopAppOptions {
  ports: DesktopPorts;
  env?: NodeJS.ProcessEnv;
  /** Icons for the tray; defaults to the package's assets/. */
  assetsDir?: string;
  alertPollMs?: number;
  inferenceScript?: string;
  log?: (message: string) => void;
}

const FORBIDDEN: ApiResponse = { ok: false, error: { code: 'FORBIDDEN', message: 'Calls are accepted from the console window only.' } };

/**
 * The desktop app in plain Node: single instance, window (with remembered state), menu, tray,
 * quit flow, desktop notifications and the API over IPC, all over `DesktopPorts`. main.ts hands
 * it the Electron implementations; tests hand it recording fakes and drive it directly.
 */
export class DesktopApp {
  core: ConsoleCore | null = null;
  window: WindowPort | null = null;
  tray: TrayController | null = null;
  quitFlow: QuitFlow | null = null;
  watcher: AlertWatcher | null = null;
  private quitting = false;
  private readonly cleanups: (() => void)[] = [];
  private windowState: WindowStateStore | null = null;
  private flushWindowState: (() => Promise<void>) | null = null;

  constructor(private readonly options: DesktopAppOptions) {}

  private get ports(): DesktopPorts {
    return this.options.ports;
  }

  private log(message: string): void {
    (this.options.log ?? console.error)(`rx580-ops: ${message}`);
  }

  /** False in a second instance, which hands over to the first and quits. */
  async start(): Promise<boolean> {
    const { app } = this.ports;
    if (!claimSingleInstance(app, () => this.showWindow())) return false;
    const env = this.options.env ?? process.env;
    // The desktop app keeps its settings with its other user data; RX580_OPS_SETTINGS still wins.
    const file = env.RX580_OPS_SETTINGS || join(app.userDataDir(), 'settings.json');
    const { settings } = await loadSettings(file, env);
    const core = new ConsoleCore({
      settings,
      settingsFile: file,
      mode: 'desktop',
      secretCipher: this.ports.secretCipher,
      env,
      inferenceScript: this.options.inferenceScript,
    });
    this.core = core;
    this.windowState = new WindowStateStore(join(app.userDataDir(), 'window-state.json'));

    this.ports.ipc.handleInvoke(async (senderUrl, method, args) => {
      // Only our own page (loaded from file://) may call the API.
      if (!senderUrl?.startsWith('file://')) return FORBIDDEN;
      return (await dispatchApiCall(core.handlers, String(method), args)).body;
    });

    this.quitFlow = new QuitFlow({
      onQuit: () => core.settings.desktop.onQuit,
      remember: async (choice) => {
        const { settings: saved } = await core.settingsService.get();
        await core.handlers['settings.update']({ ...saved, desktop: { ...saved.desktop, onQuit: choice } });
      },
      dialog: this.ports.dialog,
      stackRunning: () => core.rig.running(),
      stopStack: async () => {
        await core.rig.down();
      },
      shutdown: () => this.shutdown(),
      quit: () => {
        this.quitting = true;
        app.quit();
      },
      log: (m) => this.log(m),
    });
    app.onBeforeQuit((event) => this.quitFlow!.onBeforeQuit(event));
    app.onActivate(() => this.showWindow());

    const actions = {
      startStack: () => void core.rig.up().catch((err: unknown) => this.report('The stack did not start', err)),
      stopStack: () => void core.rig.down().catch((err: unknown) => this.report('The stack did not stop', err)),
      openConsole: () => this.showWindow(),
      openSettings: () => this.navigate('settings'),
      quit: () => app.quit(),
    };
    app.setApplicationMenu(appMenuTemplate(app.platform, actions));
    const assetsDir = this.options.assetsDir ?? join(appRoot(), 'assets');
    const trayPort = this.ports.createTray(trayIconPath(assetsDir, 'stopped'));
    if (trayPort) {
      this.tray = new TrayController(trayPort, assetsDir, actions);
      this.cleanups.push(() => trayPort.destroy());
    }

    this.cleanups.push(
      core.subscribe((event, payload) => {
        if (event === 'stack.status') this.tray?.update(payload as Parameters<TrayController['update']>[0]);
        if (this.window && !this.window.isDestroyed()) this.window.send(IPC_EVENT_CHANNEL, event, payload);
      }),
    );

    if (settings.prometheus.enabled) {
      const watcher = new AlertWatcher({ source: new PrometheusClient(`http://127.0.0.1:${settings.prometheus.port}`, 3000), intervalMs: this.options.alertPollMs ?? 5000 });
      this.watcher = watcher;
      this.cleanups.push(
        notifyAlerts({ watcher, notifications: this.ports.notifications, enabled: () => core.settings.desktop.notifications, openAlerts: () => this.navigate('alerts') }),
        () => watcher.stop(),
      );
      watcher.start();
    }

    await this.openWindow();
    return true;
  }

  /** Brings the window forward, creating it again if it was closed. */
  showWindow(): void {
    const win = this.window;
    if (!win || win.isDestroyed()) {
      void this.openWindow();
      return;
    }
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  }

  /** Shows the window on a page (a notification's click, a menu item). */
  navigate(page: Page): void {
    this.showWindow();
    this.core?.publish('app.navigate', { page });
  }

  private async openWindow(): Promise<void> {
    const core = this.core!;
    const state = await this.windowState!.load(this.ports.workAreas());
    const win = this.ports.createWindow({ bounds: state, isAllowedExternal: (url) => isAllowedExternalUrl(url, core.settings) });
    this.window = win;
    if (state?.maximized) win.maximize();
    this.flushWindowState = trackWindowState(win, this.windowState!);
    // With a tray, closing the window keeps the console (and its notifications) running.
    win.on('close', (event) => {
      if (this.tray && !this.quitting) {
        event.preventDefault();
        win.hide();
      }
    });
    win.on('closed', () => {
      if (this.window === win) this.window = null;
      if (!this.tray && !this.quitting && this.ports.app.platform !== 'darwin') this.ports.app.quit();
    });
    await win.load();
  }

  private report(what: string, err: unknown): void {
    const message = userMessage(err);
    this.log(`${what}: ${message}`);
    if (this.ports.notifications.isSupported()) this.ports.notifications.show({ title: what, body: message, urgency: 'normal' }, () => this.showWindow());
  }

  private async shutdown(): Promise<void> {
    await this.flushWindowState?.();
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    // The rig is not the console's to end: it keeps running unless the quit flow stopped it.
    this.core?.close();
  }
}

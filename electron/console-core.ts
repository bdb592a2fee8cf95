import { isDeepStrictEqual } from 'node:util';
import { ConsoleExporter } from '../stack/console-exporter';
import { connectDocker } from '../stack/docker-engine';
import type { Settings } from '../stack/settings';
import { NotificationService } from '../stack/notification-service';
import type { SecretCipher } from '../stack/secret-store';
import { StackManager } from '../stack/stack-manager';
import type { ApiEvent, ApiEventListener, ApiEventPayload, ApiEventSource, ApiHandlers, HandlersFor } from './api/contract';
import type { appMethods } from './api/app-contract';
import type { stackMethods } from './api/stack-contract';
import { APP_NAME, APP_VERSION } from './app-identity';
import { notificationsHandlers } from './notifications-handlers';
import { firstRunHandlers } from './first-run-handlers';
import { inferenceHandlers } from './inference-handlers';
import { childProcessSpawner } from './process/child-process-spawner';
import { inferenceSupervisor } from './process/inference-process';
import { inferenceProcessHandlers } from './process/inference-process-handlers';
import type { ProcessSupervisor } from './process/process-supervisor';
import type { Spawner } from './process/spawner';
import { SettingsService, settingsHandlers } from './settings/settings-service';
import { LogFollowers, logsHandlers, processLogSource, stackLogSources } from './log-following';
import { monitoringHandlers } from './monitoring-handlers';

export interface ConsoleCoreOptions {
  settings: Settings;
  settingsFile: string;
  mode: 'desktop' | 'web';
  env?: NodeJS.ProcessEnv;
  /** How notification secrets are encrypted at rest: safeStorage in the desktop app, a key file otherwise. */
  secretCipher?: SecretCipher;
  /** How the inference service's process is started: child_process unless the desktop app says. */
  spawner?: Spawner;
  /** The inference service's entry; defaults to dist/inference.js. */
  inferenceScript?: string;
}

/**
 * Everything behind the API contract, in plain Node: the handlers and the event source that
 * the Electron IPC layer and the web bridge both serve. Tests construct it directly. Each
 * domain's handlers are built by their own function and joined here.
 */
export class ConsoleCore implements ApiEventSource {
  readonly stack: StackManager;
  readonly notifications: NotificationService;
  readonly handlers: ApiHandlers;
  /** Container state for Prometheus to scrape, served while the console runs. */
  readonly exporter: ConsoleExporter;
  /** The inference service's process, null while `inference.enabled` is false. */
  readonly inference: ProcessSupervisor | null;
  readonly settingsService: SettingsService;
  /** Followed log streams; the inference service's logs join as one more source in this list. */
  readonly logs: LogFollowers;
  private readonly listeners = new Set<ApiEventListener>();
  private unwatch: (() => void) | null = null;

  constructor(private readonly options: ConsoleCoreOptions) {
    this.stack = new StackManager({ settings: options.settings, env: options.env, alertmanagerConfig: (v) => this.notifications.stackFiles(v) });
    this.notifications = new NotificationService({ settings: options.settings, stack: this.stack, cipher: options.secretCipher });
    this.stack.on('progress', (p) => this.publish('stack.progress', p));
    this.exporter = new ConsoleExporter({ settings: options.settings, docker: connectDocker(options.env) });
    this.inference = options.settings.inference.enabled
      ? inferenceSupervisor({ settings: options.settings, settingsFile: options.settingsFile, spawner: options.spawner ?? childProcessSpawner, script: options.inferenceScript })
      : null;
    this.inference?.on('status', (s) => this.publish('inference.status', s));
    this.inference?.on('log', (l) => this.publish('inference.log', l));
    this.settingsService = new SettingsService({ file: options.settingsFile, running: options.settings, env: options.env });
    const inferenceLogs = this.inference ? [processLogSource('inference', 'Inference service', this.inference)] : [];
    this.logs = new LogFollowers([...stackLogSources(this.stack), ...inferenceLogs], (e) => this.publish('logs.lines', e));
    this.handlers = {
      ...this.appHandlers(),
      ...this.stackHandlers(),
      ...notificationsHandlers(this.notifications),
      ...inferenceProcessHandlers(this.inference, options.settings),
      ...firstRunHandlers(this, options.env),
      ...settingsHandlers(this.settingsService, (saved) => this.applySavedSettings(saved)),
      ...inferenceHandlers(options.settings),
      ...monitoringHandlers(options.settings),
      ...logsHandlers(this.logs),
    };
  }

  get settings(): Settings {
    return this.options.settings;
  }

  /** Starts what runs beside the API: the exporter. A taken port is reported, not fatal: the console still works. */
  async start(): Promise<void> {
    await this.exporter.start().catch((err: Error) => console.warn(`rx580-ops: ${err.message}`));
  }

  /** Live events flow only while someone listens: no Docker event stream for an empty room. */
  subscribe(listener: ApiEventListener): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.unwatch = this.stack.watch((s) => this.publish('stack.status', s));
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        this.unwatch?.();
        this.unwatch = null;
        this.logs.stopAll();
      }
    };
  }

  close(): void {
    void this.inference?.stop();
    this.listeners.clear();
    this.logs.stopAll();
    void this.exporter.stop();
    this.unwatch?.();
    this.unwatch = null;
  }

  publish<E extends ApiEvent>(event: E, payload: ApiEventPayload<E>): void {
    for (const l of this.listeners) l(event, payload);
  }

  /**
   * What a settings save changes at once: the desktop section, and the alert thresholds and
   * durations, applied live to a running Prometheus (validated, reloaded, rolled back when
   * refused). Ports, images and the inference service wait for the next start.
   */
  private async applySavedSettings(saved: Settings): Promise<void> {
    this.options.settings.desktop = saved.desktop;
    if (isDeepStrictEqual(saved.alerts, this.options.settings.alerts)) return;
    const prometheus = this.options.settings.prometheus.enabled && (await this.stack.status()).services.find((s) => s.name === 'prometheus');
    if (prometheus && prometheus.state === 'running') await this.stack.applyPrometheusConfig(saved.alerts);
    else this.options.settings.alerts = saved.alerts;
  }

  private appHandlers(): HandlersFor<typeof appMethods> {
    return {
      'app.info': async () => ({
        name: APP_NAME,
        version: APP_VERSION,
        mode: this.options.mode,
        settingsFile: this.options.settingsFile,
        project: this.options.settings.project,
      }),
    };
  }

  private stackHandlers(): HandlersFor<typeof stackMethods> {
    return {
      'stack.status': () => this.stack.status(),
      // The inference service runs with the stack: Prometheus scrapes it.
      'stack.up': async () => {
        const status = await this.stack.up();
        await this.inference?.start();
        return status;
      },
      'stack.down': async () => {
        await this.inference?.stop();
        return this.stack.down();
      },
      'stack.removeData': async () => {
        await this.stack.removeData();
        return this.stack.status();
      },
    };
  }
}

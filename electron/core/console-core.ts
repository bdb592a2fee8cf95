import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type Docker from 'dockerode';
import type { WorkerGpu } from '../../stack/gpu/worker-gpu';
import type { Settings } from '../api/schemas/settings';
import { NotificationService } from '../../stack/notifications/notification-service';
import type { SecretCipher } from '../../stack/notifications/secret-store';
import type { StackManager } from '../../stack/engine/stack-manager';
import type { ApiEvent, ApiEventListener, ApiEventPayload, ApiEventSource, ApiHandlers, HandlersFor } from '../api/contract';
import type { appMethods } from '../api/app-contract';
import type { stackMethods } from '../api/stack-contract';
import { APP_NAME, APP_VERSION } from './app-identity';
import { ConsoleError } from '../../stack/console-error';
import { appRoot } from './app-root';
import { Rig } from './rig';
import { notificationsHandlers } from './handlers/notifications-handlers';
import { firstRunHandlers } from './handlers/first-run-handlers';
import { inferenceHandlers } from './handlers/inference-handlers';
import type { DetachedProcess } from '../process/detached-process';
import { SettingsService, settingsHandlers } from '../settings/settings-service';
import { inferenceLogSource, LogFollowers, logsHandlers, stackLogSources } from './log-following';
import { monitoringHandlers } from './handlers/monitoring-handlers';
import { loadtestHandlers } from './handlers/loadtest-handlers';
import { rigsHandlers } from './handlers/rigs-handlers';
import { createFleet, createRigRegistry, type FleetParts } from './fleet-wiring';
import { connectDocker } from '../../stack/engine/docker-engine';
import { rigStackHost, type RigStackHost } from '../../stack/rigs/rig-stack-host';
import { buildStackSpec, stackOnRig } from '../../stack/spec/stack-spec';
import { LoadTestEngine } from './loadtest/loadtest-engine';

export interface ConsoleCoreOptions {
  settings: Settings;
  settingsFile: string;
  mode: 'desktop' | 'web';
  env?: NodeJS.ProcessEnv;
  /** How notification secrets are encrypted at rest: safeStorage in the desktop app, a key file otherwise. */
  secretCipher?: SecretCipher;
  /** The inference service's entry for host mode; defaults to dist/inference.js. */
  inferenceScript?: string;
  docker?: Docker;
  /** The inference workers' GPUs; default: found on this host (tests pass fixture plans). */
  gpus?: WorkerGpu[];
  /** The host process in host mode; tests hand in their own. */
  hostInference?: DetachedProcess;
}

/**
 * Everything behind the API contract, in plain Node: the handlers and the event source that
 * the Electron IPC layer and the web bridge both serve. Tests construct it directly. Each
 * domain's handlers are built by their own function and joined here.
 */
export class ConsoleCore implements ApiEventSource {
  /** The whole system: every entry point starts, stops and reads it through this. */
  readonly rig: Rig;
  readonly stack: StackManager;
  readonly notifications: NotificationService;
  readonly handlers: ApiHandlers;
  readonly settingsService: SettingsService;
  /** Followed log streams; the inference service's logs join as one more source in this list. */
  readonly logs: LogFollowers;
  /** Load tests of the rig's inference workers, one at a time; the CLI drives the same engine. */
  readonly loadtests: LoadTestEngine;
  /** The rigs besides this machine and their workers. */
  readonly fleet: FleetParts;
  /** The rig that runs the monitoring stack, when not this machine (`rigs.monitoring`). */
  private readonly stackHost: RigStackHost | null;
  private readonly listeners = new Set<ApiEventListener>();
  private unwatch: (() => void) | null = null;

  constructor(private readonly options: ConsoleCoreOptions) {
    const root = appRoot();
    const { settings } = options;
    const registry = createRigRegistry(settings, options.secretCipher, options.env);
    this.stackHost = stackOnRig(settings)
      ? rigStackHost({
          registry,
          rig: settings.rigs.monitoring,
          local: options.docker ?? connectDocker(options.env),
          ports: buildStackSpec(settings).services.flatMap((s) => (s.hostPort === null ? [] : [s.hostPort])),
        })
      : null;
    this.rig = new Rig({
      settings: options.settings,
      settingsFile: options.settingsFile,
      env: options.env,
      docker: this.stackHost?.docker ?? options.docker,
      remote: this.stackHost?.remote,
      gpus: options.gpus,
      appRoot: root,
      inferenceScript: options.inferenceScript ?? join(root, 'dist', 'inference.js'),
      hostProcess: options.hostInference,
      alertmanagerConfig: (v) => this.notifications.stackFiles(v),
      rigs: () => this.fleet.registry.stored(),
      rigSecrets: () => this.fleet.prometheusSecrets(),
      fleet: () => this.fleet.fleet,
    });
    this.stack = this.rig.stack;
    this.notifications = new NotificationService({ settings: options.settings, stack: this.stack, cipher: options.secretCipher });
    this.rig.onProgress((p) => this.publish('stack.progress', p));
    this.settingsService = new SettingsService({ file: options.settingsFile, running: options.settings, env: options.env, admit: (next) => this.admitSettings(next) });
    const inferenceLogs = options.settings.inference.enabled ? [inferenceLogSource(this.rig)] : [];
    this.logs = new LogFollowers([...stackLogSources(this.stack), ...inferenceLogs], (e) => this.publish('logs.lines', e));
    this.loadtests = new LoadTestEngine({ settings: options.settings, status: () => this.rig.status() });
    this.loadtests.onProgress((p) => this.publish('loadtest.progress', p));
    this.fleet = createFleet(options.settings, this.stack, registry);
    this.handlers = {
      ...this.appHandlers(),
      ...this.stackHandlers(),
      ...notificationsHandlers(this.notifications),
      ...firstRunHandlers({ settings: options.settings, status: () => this.rig.status(), heldPorts: () => this.stackHost?.ports ?? [] }, options.env),
      ...settingsHandlers(this.settingsService, (saved) => this.applySavedSettings(saved)),
      ...inferenceHandlers(options.settings),
      ...monitoringHandlers(options.settings),
      ...logsHandlers(this.logs),
      ...loadtestHandlers(this.loadtests),
      ...rigsHandlers({ ...this.fleet, monitoring: settings.rigs.monitoring }),
    };
  }

  get settings(): Settings {
    return this.options.settings;
  }

  /** Live events flow only while someone listens: no Docker event stream for an empty room. */
  subscribe(listener: ApiEventListener): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.unwatch = this.rig.watch((s) => this.publish('stack.status', s));
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        this.unwatch?.();
        this.unwatch = null;
        this.logs.stopAll();
      }
    };
  }

  /** Ends the console's own watchers and a running load test; everything the rig runs keeps running. */
  close(): void {
    this.loadtests.close();
    this.fleet.registry.close();
    void this.stackHost?.close();
    this.listeners.clear();
    this.logs.stopAll();
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

  /**
   * A stack moves to another rig only while stopped: a console started with the new setting
   * manages the new place alone, and would leave the running stack behind unmanaged.
   */
  private async admitSettings(next: Settings): Promise<void> {
    if (next.rigs.monitoring === this.settings.rigs.monitoring) return;
    const running = (await this.stack.status()).services.some((s) => s.name !== 'inference' && s.state !== 'missing');
    if (!running) return;
    const message = `stop the stack first: it runs on ${this.settings.rigs.monitoring} and would be left there unmanaged`;
    throw new ConsoleError('STACK_RUNNING', `The stack cannot move while it runs: ${message}.`, 409, [{ path: 'rigs.monitoring', message }]);
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

  /** The stack's methods, mapped one to one onto the rig. */
  private stackHandlers(): HandlersFor<typeof stackMethods> {
    const rig = this.rig;
    return {
      'stack.status': () => rig.status(),
      'stack.up': () => rig.up(),
      'stack.down': () => rig.down(),
      'stack.removeData': () => rig.removeData(),
      'inference.start': () => rig.startInference(),
      'inference.stop': () => rig.stopInference(),
      'inference.workerStart': (worker) => rig.worker(worker, 'start'),
      'inference.workerStop': (worker) => rig.worker(worker, 'stop'),
    };
  }
}

import type { Settings } from '../stack/settings';
import { connectDocker } from '../stack/docker-engine';
import { StackManager } from '../stack/stack-manager';
import type { ApiEvent, ApiEventListener, ApiEventPayload, ApiEventSource, ApiHandlers, HandlersFor } from './api/contract';
import type { appMethods } from './api/app-contract';
import type { stackMethods } from './api/stack-contract';
import { APP_NAME, APP_VERSION } from './app-identity';
import { LogFollowers, logsHandlers, stackLogSources } from './log-following';
import { monitoringHandlers } from './monitoring-handlers';

export interface ConsoleCoreOptions {
  settings: Settings;
  settingsFile: string;
  mode: 'desktop' | 'web';
  env?: NodeJS.ProcessEnv;
}

/**
 * Everything behind the API contract, in plain Node: the handlers and the event source that
 * the Electron IPC layer and the web bridge both serve. Tests construct it directly. Each
 * domain's handlers are built by their own function and joined here.
 */
export class ConsoleCore implements ApiEventSource {
  readonly stack: StackManager;
  readonly handlers: ApiHandlers;
  /** Followed log streams; the inference service's logs join as one more source in this list. */
  readonly logs: LogFollowers;
  private readonly listeners = new Set<ApiEventListener>();
  private unwatch: (() => void) | null = null;

  constructor(private readonly options: ConsoleCoreOptions) {
    this.stack = new StackManager({ settings: options.settings, env: options.env });
    this.stack.on('progress', (p) => this.publish('stack.progress', p));
    this.logs = new LogFollowers([...stackLogSources(this.stack, connectDocker(options.env))], (e) => this.publish('logs.lines', e));
    this.handlers = {
      ...this.appHandlers(),
      ...this.stackHandlers(),
      ...monitoringHandlers(options.settings),
      ...logsHandlers(this.logs),
    };
  }

  get settings(): Settings {
    return this.options.settings;
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
    this.listeners.clear();
    this.logs.stopAll();
    this.unwatch?.();
    this.unwatch = null;
  }

  publish<E extends ApiEvent>(event: E, payload: ApiEventPayload<E>): void {
    for (const l of this.listeners) l(event, payload);
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
      'stack.up': () => this.stack.up(),
      'stack.down': () => this.stack.down(),
      'stack.removeData': async () => {
        await this.stack.removeData();
        return this.stack.status();
      },
      'stack.logs': async (service, { tail }) => ({ lines: await this.stack.logs(service, tail) }),
    };
  }
}

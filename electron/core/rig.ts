import { ConsoleError } from '../../stack/console-error';
import type { Settings } from '../api/schemas/settings';
import { StackError } from '../../stack/engine/stack-errors';
import { StackManager, type StackManagerOptions } from '../../stack/engine/stack-manager';
import type { StackProgress, StackStatus } from '../api/schemas/stack-status';
import type { DetachedProcess } from '../process/detached-process';
import { hostInferenceProcess, hostInferenceStatus } from './host-inference';

export interface RigOptions extends Omit<StackManagerOptions, 'extraServices'> {
  settingsFile: string;
  /** The inference service's entry for host mode (dist/inference.js). */
  inferenceScript: string;
  /** The host process in host mode; tests hand in their own. */
  hostProcess?: DetachedProcess;
  /** The workers on the other rigs, which the system's up and down start and stop too. */
  fleet?: () => { up(): Promise<unknown>; down(): Promise<unknown> };
}

/**
 * The whole system of one rig: the stack's containers (monitoring services and inference
 * workers) and, in host mode, the inference service's detached process. The one service layer:
 * the API handlers, the tray, the desktop quit flow and the CLI all call this, so Start in the
 * UI and `rx580-ops up` do the same. Everything it starts runs without the console; a new
 * console adopts it.
 */
export class Rig {
  readonly stack: StackManager;
  /** The inference service's host process; null unless `inference.runtime` is `host`. */
  readonly host: DetachedProcess | null;

  constructor(private readonly options: RigOptions) {
    const { settings } = options;
    // With the stack on a rig, this machine runs no worker: a host process here would be scraped by nobody.
    const host = !options.remote && settings.inference.enabled && settings.inference.runtime === 'host' ? (options.hostProcess ?? hostInferenceProcess(settings, options.inferenceScript, options.env, (note) => this.progress(note))) : null;
    this.host = host;
    this.stack = new StackManager({ ...options, extraServices: host ? async () => [await hostInferenceStatus(host, settings)] : undefined });
  }

  get settings(): Settings {
    return this.options.settings;
  }

  status(): Promise<StackStatus> {
    return this.stack.status();
  }

  /**
   * Starts everything, adopting what already runs; resolves when every service is ready. The
   * other rigs' workers start last, each rig on its own: one that cannot be reached says so in
   * the Rigs status and holds up nothing here.
   */
  async up(): Promise<StackStatus> {
    await this.stack.up();
    await this.startHost();
    await this.options.fleet?.().up();
    return this.status();
  }

  /** Stops everything: Prometheus first, so nothing alerts on the services going after it. */
  async down(): Promise<StackStatus> {
    await this.stack.down();
    await this.host?.stop();
    await this.options.fleet?.().down();
    return this.status();
  }

  /** Starts the inference service alone (its workers, or its host process). */
  async startInference(): Promise<StackStatus> {
    this.requireInference();
    if (this.host) await this.startHost();
    else await this.stack.up(['inference']);
    return this.status();
  }

  async stopInference(): Promise<StackStatus> {
    this.requireInference();
    if (this.host) await this.host.stop();
    else await this.stack.down(['inference']);
    return this.status();
  }

  /** Starts or stops one inference worker of this machine (by its card, or cpu). */
  async worker(name: string, action: 'start' | 'stop'): Promise<StackStatus> {
    this.requireInference();
    if (this.host) throw new ConsoleError('INFERENCE_HOST_MODE', 'In host mode one process serves every card: start or stop the inference service as a whole.', 409);
    return this.stack.worker(name, action);
  }

  /** Deletes the data volumes and rendered config; everything must be stopped first. */
  async removeData(): Promise<StackStatus> {
    if (this.host && (await this.host.status()).state === 'running') throw new StackError('BUSY', 'Stop the stack before removing its data.');
    await this.stack.removeData();
    return this.status();
  }

  /** True when any part of the rig runs (a container in any state, or the host process). */
  async running(): Promise<boolean> {
    return (await this.status()).services.some((s) => s.state !== 'missing');
  }

  watch(listener: (status: StackStatus) => void): () => void {
    return this.stack.watch(listener);
  }

  onProgress(listener: (progress: StackProgress) => void): () => void {
    this.stack.on('progress', listener);
    return () => this.stack.off('progress', listener);
  }

  private async startHost(): Promise<void> {
    if (!this.host) return;
    this.progress('Starting the inference service on the host');
    await this.host.start();
    this.progress('inference is ready', 'ready');
  }

  private progress(message: string, step: 'start' | 'ready' = 'start'): void {
    this.stack.emit('progress', { service: 'inference', step, message, current: null, total: null });
  }

  private requireInference(): void {
    if (!this.settings.inference.enabled) throw new ConsoleError('INFERENCE_DISABLED', 'The inference service is switched off in the settings (inference.enabled).', 409);
  }
}

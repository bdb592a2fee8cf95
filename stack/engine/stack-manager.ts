import type Docker from 'dockerode';
import { EventEmitter } from 'node:events';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { followContainerLogs, lastLogLines } from './container-logs';
import { ContainerWatcher } from './container-watcher';
import { connectDocker, engineEndpoint, ignoreStatus, probeEngine, requireEngine } from './docker-engine';
import { planWorkerGpus } from '../gpu/worker-gpu';
import { ImageProvider, type ImageProgress } from './image-provider';
import { inferenceWorkerSpecs } from '../spec/inference-spec';
import { inferenceTargetsFile, prometheusConfigFiles } from '../config/prometheus-config';
import { INFERENCE_TARGETS_FILE } from '../config/inference-targets';
import type { ConfigFiles } from '../config/config-apply';
import { copyImageToRig } from './image-copy';
import { waitServiceReady } from './readiness';
import { ServiceConfig, type ServiceSecret } from './service-config';
import { checkPortsFree, startServices } from './service-start';
import { disabledStatus, serviceStatus } from './service-status';
import { serviceSettingsOf, type Settings } from '../../electron/api/schemas/settings';
import { SERVICE_NAMES, type EngineStatus, type MonitoringService, type ServiceName, type ServiceStatus, type StackProgress, type StackStatus } from '../../electron/api/schemas/stack-status';
import { StackError } from './stack-errors';
import { stoppedWorkers, workerSpec } from './worker-control';
import { listServiceContainers, removeNetwork, removeServiceContainers, removeStrayHelpers, removeVolumes, runs } from './stack-resources';
import { buildStackSpec, LABEL_SERVICE, type ServiceSpec, type StackSpec } from '../spec/stack-spec';
import type { ServiceFilter, StackManagerOptions } from './stack-options';

export type { AlertmanagerConfigSource, ServiceSecret } from './service-config';
export type { RemoteStackHost, ServiceFilter, StackManagerOptions } from './stack-options';

type Events = { status: [StackStatus]; progress: [StackProgress] };

/**
 * Runs the stack's containers on this machine's Docker engine or a rig's (the monitoring services and the
 * inference workers): creates, adopts, starts, probes, stops and removes them. Plain Node: the
 * console's Rig drives it for the desktop app, the web mode and the CLI alike, and tests
 * construct it directly against a real engine.
 */
export class StackManager extends EventEmitter<Events> {
  /** The containers; the inference workers are re-planned from the host's GPUs before each operation. */
  spec: StackSpec;
  private readonly docker: Docker;
  private readonly endpoint: string;
  private operation: StackStatus['operation'] = 'idle';
  private lastError: string | null = null;
  private readonly images: ImageProvider;
  private readonly config: ServiceConfig;
  private readonly watcher: ContainerWatcher;
  private planned: Promise<void> | null = null;
  private applying: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: StackManagerOptions) {
    super();
    const { settings } = options;
    this.spec = buildStackSpec(settings, options.gpus ?? []);
    this.docker = options.docker ?? connectDocker(options.env);
    this.endpoint = options.remote?.endpoint ?? engineEndpoint(options.env);
    this.images = new ImageProvider({ docker: options.remote?.local ?? this.docker, appRoot: options.appRoot ?? null, baseImage: settings.inference.baseImage });
    this.config = new ServiceConfig({ docker: this.docker, settings, validateConfig: options.validateConfig, alertmanagerConfig: options.alertmanagerConfig, env: options.env, rigs: options.rigs, rigSecrets: options.rigSecrets });
    this.watcher = new ContainerWatcher({
      docker: this.docker,
      project: this.spec.project,
      pollIntervalMs: options.pollIntervalMs ?? 2000,
      status: () => this.status(),
      onStatus: (status) => this.emit('status', status),
    });
  }

  get settings(): Settings {
    return this.options.settings;
  }

  /**
   * Finds the AMD cards `inference.gpus` selects (once: cards do not come and go while the
   * console runs) and plans one worker each; a selection naming a missing card throws.
   */
  async plan(): Promise<StackSpec> {
    const { settings, gpus } = this.options;
    if (gpus || this.options.remote || !settings.inference.enabled || settings.inference.runtime !== 'container') return this.spec;
    this.planned ??= planWorkerGpus(settings.inference.gpus).then(
      (plan) => {
        this.spec = buildStackSpec(settings, plan);
      },
      (err: unknown) => {
        this.planned = null;
        throw err;
      },
    );
    await this.planned;
    return this.spec;
  }

  /** This machine's engine, for work beside the stack (copying the inference image to rigs). */
  get engine(): Docker {
    return this.options.remote?.local ?? this.docker;
  }

  /** The inference image on this machine, built or pulled as the stack's workers get it: what rigs run too. */
  inferenceImage(onProgress: (p: ImageProgress) => void = () => undefined): Promise<string> {
    return this.images.ensure(inferenceWorkerSpecs(this.settings, [])[0]!, onProgress);
  }

  engineStatus(): Promise<EngineStatus> {
    return probeEngine(this.docker, this.endpoint);
  }

  /**
   * Every service in the order the console shows them (Prometheus, Alertmanager, Grafana, the
   * inference workers); switched-off services are listed too, marked so.
   */
  async status(): Promise<StackStatus> {
    // A selection naming a missing card shows as the CPU plan here; up() says what is wrong.
    await this.plan().catch(() => undefined);
    // A rig that cannot be reached says so in the engine's status.
    await this.options.remote?.reach().catch(() => undefined);
    const engine = await this.engineStatus();
    const containers = engine.reachable ? await this.listContainers().catch(() => []) : [];
    const services = await Promise.all(this.spec.services.map((spec) => serviceStatus(this.docker, spec, containers.find((c) => runs(c, spec)))));
    const off = SERVICE_NAMES.filter((name) => !serviceSettingsOf(this.settings, name).enabled).map((name) => disabledStatus(this.settings, name));
    services.push(...((await this.options.extraServices?.()) ?? []));
    // Stable: workers keep their spec order among themselves.
    const order = (s: ServiceStatus) => SERVICE_NAMES.indexOf(s.name);
    return { project: this.spec.project, engine, services: [...services, ...off].sort((a, b) => order(a) - order(b)), operation: this.operation, lastError: this.lastError };
  }

  /** The containers of these services (all when absent), in start order. */
  specs(only?: ServiceFilter): ServiceSpec[] {
    return this.spec.services.filter((s) => !only || only.includes(s.service));
  }

  /**
   * Starts the stack, or only some of its services; idempotent: existing containers of this
   * project are adopted, not duplicated, and a healthy one is left running as it is.
   */
  async up(only?: ServiceFilter): Promise<StackStatus> {
    await this.exclusive('starting', async () => {
      await this.plan();
      const specs = this.specs(only);
      await this.requireEngine();
      await removeStrayHelpers(this.docker, this.spec.project);
      this.progress(null, 'config', 'Writing configuration');
      const existing = await this.listContainers();
      // Workers stopped on purpose stay out of the targets unless this start brings them back.
      const staysStopped = only && !only.includes('inference') ? stoppedWorkers(existing) : new Set<string>();
      await this.config.write(this.spec, specs, staysStopped);
      // On a rig, this machine's ports are the tunnel's: the rig's engine says if one is taken there.
      if (!this.options.remote) await checkPortsFree(specs, existing);
      for (const spec of specs) {
        const onProgress = (p: ImageProgress) => this.progress(spec.id, spec.build ? 'build' : 'pull', p.message, p.current, p.total);
        spec.image = await this.images.ensure(spec, onProgress);
        if (this.options.remote) await copyImageToRig(this.options.remote.local, this.docker, spec.image, onProgress);
      }
      await this.config.deliver(this.spec, specs);
      await this.config.writeSecrets(this.spec, specs);
      this.progress(null, 'network', `Ensuring network ${this.spec.networkName}`);
      await startServices(this.docker, this.spec, specs, existing.length === 0, (spec, step, message) => this.progress(spec.id, step, message));
      for (const spec of specs) await this.waitReady(spec);
      // The inference service started alone: workers stopped on purpose are back in Prometheus's
      // targets (a whole start's config.write rendered them all already).
      if (only?.includes('inference')) await this.writeInferenceTargets();
      this.progress(null, 'done', only ? `${only.join(', ')} ready` : 'Stack is ready');
    });
    return this.status();
  }

  /**
   * Starts or stops one inference worker (by its card, or cpu). A stopped worker keeps its
   * container, stopped across reboots, and leaves Prometheus's targets, so it pages nobody; its
   * Start, or the stack's or the inference service's, brings it back.
   */
  async worker(name: string, action: 'start' | 'stop'): Promise<StackStatus> {
    await this.exclusive(action === 'start' ? 'starting' : 'stopping', async () => {
      await this.plan();
      const spec = workerSpec(this.spec.services, name);
      await this.requireEngine();
      const info = await this.findContainer(spec);
      if (!info) throw new StackError('SERVICE_MISSING', `${spec.id} has no container: start the stack first.`);
      const container = this.docker.getContainer(info.Id);
      if (action === 'stop' && info.State !== 'exited') {
        this.progress(spec.id, 'stop', `Stopping ${spec.id}`);
        await container.stop({ t: 5 }).catch(ignoreStatus(304));
      }
      if (action === 'start' && info.State !== 'running') {
        this.progress(spec.id, 'start', `Starting ${spec.id}`);
        await container.start().catch(ignoreStatus(304));
        await this.waitReady(spec);
      }
      await this.writeInferenceTargets();
      this.progress(null, 'done', `${spec.id} ${action === 'start' ? 'ready' : 'stopped'}`);
    });
    return this.status();
  }

  /** Prometheus's file of this machine's inference targets, without the workers stopped on purpose (read without a reload). */
  private async writeInferenceTargets(): Promise<void> {
    if (!this.settings.inference.enabled) return;
    await this.writeConfigFile('prometheus', INFERENCE_TARGETS_FILE, inferenceTargetsFile(this.settings, this.spec, stoppedWorkers(await this.listContainers())));
  }

  /** Writes one file a running service watches (a file_sd targets file), where it reads it; nothing when the service is off. */
  async writeConfigFile(service: MonitoringService, file: string, content: string): Promise<void> {
    const spec = this.spec.services.find((s) => s.service === service);
    if (spec) await this.config.writeFile(this.spec, spec, file, content);
  }

  /** Stops and removes the containers (of some services, or all with the network) in reverse start order; data volumes are kept. */
  async down(only?: ServiceFilter): Promise<StackStatus> {
    await this.exclusive('stopping', async () => {
      await this.plan().catch(() => undefined);
      await this.requireEngine();
      await removeStrayHelpers(this.docker, this.spec.project);
      const containers = await this.listContainers();
      const chosen = containers.filter((c) => !only || only.includes(c.Labels[LABEL_SERVICE] as ServiceName));
      await removeServiceContainers(this.docker, this.spec, chosen, (name, step, message) => this.progress(name, step, message));
      if (!only || chosen.length === containers.length) await removeNetwork(this.docker, this.spec.project);
      this.progress(null, 'done', only ? `${only.join(', ')} stopped` : 'Stack is stopped');
    });
    return this.status();
  }

  /** Removes the stack's data volumes and rendered config; refuses while containers exist. */
  async removeData(): Promise<void> {
    await this.exclusive('stopping', async () => {
      await this.requireEngine();
      if ((await this.listContainers()).length > 0) {
        throw new StackError('BUSY', 'Stop the stack before removing its data.');
      }
      await removeStrayHelpers(this.docker, this.spec.project);
      await removeVolumes(this.docker, this.spec.project);
      await rm(join(this.settings.dataDir, this.spec.project), { recursive: true, force: true });
    });
  }

  /**
   * Applies new config files to a service live: validated, swapped in atomically, reloaded and
   * confirmed; on failure the previous files stay or are restored, and the error says why.
   */
  async applyServiceConfig(service: MonitoringService, files: ConfigFiles): Promise<void> {
    const spec = this.spec.services.find((s) => s.service === service);
    if (!spec) throw new StackError('SERVICE_MISSING', `${service} is switched off in the settings.`);
    // One at a time: two applies would share the staging folder (two rigs' workers starting together, say).
    const apply = this.applying.then(async () => {
      await this.requireEngine();
      const info = await this.findContainer(spec);
      await this.config.apply(this.spec, spec, files, info?.State === 'running');
    });
    this.applying = apply.catch(() => undefined);
    await apply;
  }

  /**
   * Re-renders prometheus.yml and the alert rules with new alert settings (thresholds, `for`
   * durations, evaluation interval) and applies them live; refused changes leave the previous
   * config running and these settings unchanged.
   */
  async applyPrometheusConfig(alerts: Settings['alerts'] = this.settings.alerts): Promise<void> {
    const stopped = stoppedWorkers(await this.listContainers().catch(() => []));
    await this.applyServiceConfig('prometheus', await prometheusConfigFiles({ ...this.settings, alerts }, this.spec, (await this.options.rigs?.()) ?? [], stopped));
    // In place: the console's other parts share this settings object.
    this.options.settings.alerts = alerts;
  }

  /** Writes files into a service's secrets volume, readable by that service's user only (a running container sees them at once). */
  putSecrets(service: MonitoringService, secrets: ServiceSecret[]): Promise<void> {
    return this.config.putSecrets(this.spec, service, secrets);
  }

  /** The last lines a container wrote (by its status id), stdout and stderr interleaved. */
  async logs(id: string, tail: number): Promise<string[]> {
    const container = await this.requireContainer(id);
    const text = await lastLogLines(container, tail);
    return text ? text.split('\n') : [];
  }

  /**
   * Streams a container's log lines as it writes them (after the last `tail` lines), until the
   * returned function is called or the container goes away (then `onEnd`).
   */
  async followLogs(id: string, onLine: (line: string) => void, tail = 0, onEnd?: () => void): Promise<() => void> {
    return followContainerLogs(this.docker, await this.requireContainer(id), onLine, tail, onEnd);
  }

  /** Live status: Docker events for container changes, a slow poll for readiness changes. */
  watch(listener: (status: StackStatus) => void): () => void {
    this.on('status', listener);
    const release = this.watcher.add();
    return () => {
      this.off('status', listener);
      release();
    };
  }

  private async exclusive(operation: 'starting' | 'stopping', work: () => Promise<void>): Promise<void> {
    if (this.operation !== 'idle') throw new StackError('BUSY', `The stack is already ${this.operation}; wait for it to finish.`);
    this.operation = operation;
    this.lastError = null;
    this.watcher.refresh(0);
    try {
      await work();
    } catch (err) {
      this.lastError = err instanceof Error ? err.message : String(err);
      throw err;
    } finally {
      this.operation = 'idle';
      this.watcher.refresh(0);
    }
  }

  private async requireEngine(): Promise<void> {
    await this.options.remote?.reach();
    await requireEngine(this.docker, this.endpoint);
  }

  private listContainers(): Promise<Docker.ContainerInfo[]> {
    return listServiceContainers(this.docker, this.spec.project);
  }

  private async findContainer(spec: ServiceSpec): Promise<Docker.ContainerInfo | undefined> {
    return (await this.listContainers()).find((c) => runs(c, spec));
  }

  private async requireContainer(id: string): Promise<Docker.Container> {
    await this.plan();
    await this.requireEngine();
    const spec = this.spec.services.find((s) => s.id === id);
    const info = spec && (await this.findContainer(spec));
    if (!info) throw new StackError('SERVICE_MISSING', `${id} has no container: start the stack first.`);
    return this.docker.getContainer(info.Id);
  }

  private async waitReady(spec: ServiceSpec): Promise<void> {
    this.progress(spec.id, 'wait-ready', `Waiting for ${spec.id} to be ready`);
    await waitServiceReady(this.docker, spec, this.options.readyTimeoutMs ?? 60_000);
    this.progress(spec.id, 'ready', `${spec.id} is ready`);
  }

  private progress(service: string | null, step: StackProgress['step'], message: string, current: number | null = null, total: number | null = null): void {
    this.emit('progress', { service, step, message, current, total });
  }
}

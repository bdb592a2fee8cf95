import type Docker from 'dockerode';
import { EventEmitter } from 'node:events';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { renderAlertmanagerConfig } from '../config/alertmanager-config';
import { applyConfig, imageToolValidator, writeAtomic, reloadOverHttp, type ConfigFiles, type ConfigValidator } from '../config/config-apply';
import { followContainerLogs, lastLogLines } from './container-logs';
import { connectDocker, engineEndpoint, engineError } from './docker-engine';
import { planWorkerGpus, type WorkerGpu } from '../gpu/worker-gpu';
import { grafanaAdminPassword } from '../config/grafana-admin';
import { grafanaProvisioningFiles } from '../config/grafana-provisioning';
import { ImageProvider } from './image-provider';
import { isPortFree } from './port-check';
import { prometheusConfigFiles } from '../config/prometheus-config';
import { envNameOf, type Settings } from '../../electron/api/schemas/settings';
import { SERVICE_NAMES, type MonitoringService, type ServiceName } from '../../electron/api/schemas/stack-status';
import { StackError } from './stack-errors';
import {
  buildStackSpec,
  containerCreateOptions,
  containerLabels,
  imageTag,
  LABEL_HELPER,
  LABEL_PROJECT,
  LABEL_SERVICE,
  type ServiceSpec,
  secretsDirFor,
  type StackSpec,
} from '../spec/stack-spec';
import { writeVolumeSecrets, type VolumeSecret } from './volume-secrets';
import type { ContainerState, EngineStatus, ServiceHealth, ServiceStatus, StackProgress, StackStatus } from '../../electron/api/schemas/stack-status';

export interface StackManagerOptions {
  settings: Settings;
  docker?: Docker;
  env?: NodeJS.ProcessEnv;
  /** How long `up` waits for every service to answer its readiness probe. */
  readyTimeoutMs?: number;
  /** How often watchers re-probe readiness, which Docker events do not report. */
  pollIntervalMs?: number;
  /** Checks a config before it is applied; defaults to promtool/amtool from the service's image. */
  validateConfig?: ConfigValidator;
  /** Alertmanager's config and secret files (the notification settings); default: no receivers. */
  alertmanagerConfig?: AlertmanagerConfigSource;
  /** The inference workers' GPUs (stack/gpu/worker-gpu.ts); default: found on this host per inference.gpus. */
  gpus?: WorkerGpu[];
  /** Where inference/Dockerfile and the built service are, for building the inference image. */
  appRoot?: string | null;
  /** Services that run outside Docker (the inference service on the host), listed with the containers. */
  extraServices?: () => Promise<ServiceStatus[]>;
}

/** Renders Alertmanager's files for the version its image will run (null when the tag does not say). */
export type AlertmanagerConfigSource = (version: string | null) => Promise<{ files: ConfigFiles; secrets: ServiceSecret[] }>;
export type ServiceSecret = Omit<VolumeSecret, 'uid' | 'gid'>;

type Events = { status: [StackStatus]; progress: [StackProgress] };

/** Which services an operation touches; all of them when absent. */
export type ServiceFilter = readonly ServiceName[] | undefined;

/**
 * Runs the stack's containers on the local Docker engine (the monitoring services and the
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
  private lastEmitted = '';
  private watchers = 0;
  private eventStream: NodeJS.ReadableStream | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private refreshTimer: NodeJS.Timeout | null = null;
  private alertmanagerSecrets: ServiceSecret[] = [];
  private readonly images: ImageProvider;
  private planned: Promise<void> | null = null;

  constructor(private readonly options: StackManagerOptions) {
    super();
    this.spec = buildStackSpec(options.settings, options.gpus ?? []);
    this.docker = options.docker ?? connectDocker(options.env);
    this.endpoint = engineEndpoint(options.env);
    this.images = new ImageProvider({ docker: this.docker, appRoot: options.appRoot ?? null, baseImage: options.settings.inference.baseImage });
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
    if (gpus || !settings.inference.enabled || settings.inference.runtime !== 'container') return this.spec;
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

  async engineStatus(): Promise<EngineStatus> {
    try {
      const version = await this.docker.version();
      return { reachable: true, endpoint: this.endpoint, version: version.Version, message: null };
    } catch (err) {
      return { reachable: false, endpoint: this.endpoint, version: null, message: engineError(err, this.endpoint).message };
    }
  }

  /**
   * Every service in the order the console shows them (Prometheus, Alertmanager, Grafana, the
   * inference workers); switched-off services are listed too, marked so.
   */
  async status(): Promise<StackStatus> {
    // A selection naming a missing card shows as the CPU plan here; up() says what is wrong.
    await this.plan().catch(() => undefined);
    const engine = await this.engineStatus();
    const containers = engine.reachable ? await this.listContainers().catch(() => []) : [];
    const services = await Promise.all(this.spec.services.map((spec) => this.serviceStatus(spec, containers.find((c) => runs(c, spec)))));
    const off = SERVICE_NAMES.filter((name) => !this.options.settings[name].enabled).map((name) => this.disabledStatus(name));
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
      await this.removeStrayHelpers();
      this.progress(null, 'config', 'Writing configuration');
      await this.writeConfigs(specs);
      const existing = await this.listContainers();
      await this.checkPortsFree(specs, existing);
      for (const spec of specs) {
        spec.image = await this.images.ensure(spec, (p) => this.progress(spec.id, spec.build ? 'build' : 'pull', p.message, p.current, p.total));
      }
      await this.writeSecrets(specs);
      this.progress(null, 'network', `Ensuring network ${this.spec.networkName}`);
      const createdNetwork = await this.ensureNetwork();
      const created: string[] = [];
      try {
        for (const spec of specs) {
          const id = await this.startService(spec);
          if (id) created.push(id);
        }
      } catch (err) {
        // Leave nothing half-created: what this call created goes; adopted containers stay.
        for (const id of created) await this.docker.getContainer(id).remove({ force: true, v: true }).catch(ignoreStatus(404));
        if (createdNetwork && existing.length === 0) await this.removeNetwork();
        throw err;
      }
      for (const spec of specs) await this.waitReady(spec);
      this.progress(null, 'done', only ? `${only.join(', ')} ready` : 'Stack is ready');
    });
    return this.status();
  }

  /**
   * Stops and removes the containers (of some services, or all with the network); data volumes
   * are kept. Reverse start order: Grafana and Prometheus go before what they watch, so a
   * stopping stack raises no alert.
   */
  async down(only?: ServiceFilter): Promise<StackStatus> {
    await this.exclusive('stopping', async () => {
      await this.plan().catch(() => undefined);
      await this.requireEngine();
      await this.removeStrayHelpers();
      const containers = await this.listContainers();
      const reversed = [...this.spec.services].reverse();
      const rank = (c: Docker.ContainerInfo) => {
        const i = reversed.findIndex((spec) => runs(c, spec));
        return i === -1 ? reversed.length : i;
      };
      const chosen = containers.filter((c) => !only || only.includes(c.Labels[LABEL_SERVICE] as ServiceName));
      for (const info of chosen.sort((a, b) => rank(a) - rank(b))) {
        const name = this.spec.services.find((s) => runs(info, s))?.id ?? info.Names[0]?.slice(1) ?? info.Id;
        const container = this.docker.getContainer(info.Id);
        this.progress(name, 'stop', `Stopping ${name}`);
        if (info.State === 'running' || info.State === 'restarting') await container.stop({ t: 10 }).catch(ignoreStatus(304, 404));
        this.progress(name, 'remove', `Removing ${name}`);
        await container.remove({ force: true, v: true }).catch(ignoreStatus(404));
      }
      if (!only || chosen.length === containers.length) await this.removeNetwork();
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
      await this.removeStrayHelpers();
      const { Volumes } = await this.docker.listVolumes({ filters: JSON.stringify({ label: [`${LABEL_PROJECT}=${this.spec.project}`] }) });
      for (const v of Volumes ?? []) await this.docker.getVolume(v.Name).remove().catch(ignoreStatus(404));
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
    await this.requireEngine();
    const info = await this.findContainer(spec);
    await applyConfig(spec, files, {
      validate: this.options.validateConfig ?? imageToolValidator(this.docker, this.spec.project),
      reload: info?.State === 'running' ? reloadOverHttp : null,
    });
  }

  /**
   * Re-renders prometheus.yml and the alert rules with new alert settings (thresholds, `for`
   * durations, evaluation interval) and applies them live; refused changes leave the previous
   * config running and these settings unchanged.
   */
  async applyPrometheusConfig(alerts: Settings['alerts'] = this.settings.alerts): Promise<void> {
    await this.applyServiceConfig('prometheus', prometheusConfigFiles({ ...this.settings, alerts }, this.spec));
    // In place: the console's other parts share this settings object.
    this.options.settings.alerts = alerts;
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
    if (this.watchers++ === 0) this.startWatching();
    this.scheduleRefresh(0);
    return () => {
      this.off('status', listener);
      if (--this.watchers === 0) this.stopWatching();
    };
  }

  private startWatching(): void {
    this.pollTimer = setInterval(() => this.scheduleRefresh(0), this.options.pollIntervalMs ?? 2000);
    void this.subscribeToEngineEvents();
  }

  private stopWatching(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.pollTimer = this.refreshTimer = null;
    const stream = this.eventStream as (NodeJS.ReadableStream & { destroy?: () => void }) | null;
    stream?.destroy?.();
    this.eventStream = null;
    this.lastEmitted = '';
  }

  private async subscribeToEngineEvents(): Promise<void> {
    try {
      const stream = await this.docker.getEvents({
        filters: JSON.stringify({ type: ['container'], label: [`${LABEL_PROJECT}=${this.spec.project}`] }),
      });
      if (this.watchers === 0) return (stream as unknown as { destroy(): void }).destroy();
      this.eventStream = stream;
      stream.on('data', () => this.scheduleRefresh(100));
      // The engine went away or restarted: the poll notices, and we subscribe again later.
      stream.on('error', () => undefined);
      stream.on('end', () => {
        if (this.eventStream === stream) this.eventStream = null;
      });
    } catch {
      // Engine unreachable: the poll keeps reporting that; retried on the next poll below.
    }
  }

  private scheduleRefresh(delayMs: number): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(async () => {
      this.refreshTimer = null;
      if (this.watchers === 0) return;
      const status = await this.status();
      if (status.engine.reachable && !this.eventStream) void this.subscribeToEngineEvents();
      this.emitStatus(status);
    }, delayMs);
  }

  private emitStatus(status: StackStatus): void {
    const key = JSON.stringify(status);
    if (key === this.lastEmitted) return;
    this.lastEmitted = key;
    this.emit('status', status);
  }

  private async exclusive(operation: 'starting' | 'stopping', work: () => Promise<void>): Promise<void> {
    if (this.operation !== 'idle') throw new StackError('BUSY', `The stack is already ${this.operation}; wait for it to finish.`);
    this.operation = operation;
    this.lastError = null;
    this.scheduleRefresh(0);
    try {
      await work();
    } catch (err) {
      this.lastError = err instanceof Error ? err.message : String(err);
      throw err;
    } finally {
      this.operation = 'idle';
      this.scheduleRefresh(0);
    }
  }

  private async requireEngine(): Promise<void> {
    try {
      await this.docker.ping();
    } catch (err) {
      throw engineError(err, this.endpoint);
    }
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

  /**
   * Helpers a killed console left behind (a config check, a secrets carrier), with their
   * volumes. A running one may be another console's check at work, so it is left to finish.
   */
  private async removeStrayHelpers(): Promise<void> {
    const all = await this.docker.listContainers({ all: true, filters: JSON.stringify({ label: [`${LABEL_PROJECT}=${this.spec.project}`, LABEL_HELPER] }) });
    for (const c of all.filter((h) => h.State !== 'running')) await this.docker.getContainer(c.Id).remove({ force: true, v: true }).catch(ignoreStatus(404, 409));
  }

  /** The stack's service containers; helpers (config checks, secrets carriers) are not among them. */
  private async listContainers(): Promise<Docker.ContainerInfo[]> {
    const all = await this.docker.listContainers({
      all: true,
      filters: JSON.stringify({ label: [`${LABEL_PROJECT}=${this.spec.project}`] }),
    });
    return all.filter((c) => !c.Labels[LABEL_HELPER]);
  }

  private disabledStatus(name: ServiceName): ServiceStatus {
    const { port, image } = this.settings[name];
    return { id: name, name, worker: null, runtime: 'container', enabled: false, image, port, url: `http://127.0.0.1:${port}`, state: 'missing', health: 'none', containerId: null, pid: null, startedAt: null, restarts: 0 };
  }

  private async serviceStatus(spec: ServiceSpec, info: Docker.ContainerInfo | undefined): Promise<ServiceStatus> {
    const state = (info?.State ?? 'missing') as ContainerState;
    let health: ServiceHealth = 'none';
    let startedAt: string | null = null;
    let restarts = 0;
    if (info) {
      const detail = await this.docker.getContainer(info.Id).inspect().catch(() => null);
      restarts = detail?.RestartCount ?? 0;
      if (state === 'running') {
        startedAt = detail?.State.StartedAt ?? null;
        // Docker's own healthcheck decides "unhealthy" (it needs several failures in a row); the
        // host-side probe decides "healthy" at once, without waiting for the next check.
        if (detail?.State.Health?.Status === 'unhealthy') health = 'unhealthy';
        else health = (await this.isReady(spec)) ? 'healthy' : 'starting';
      }
    }
    return {
      id: spec.id,
      name: spec.service,
      worker: spec.worker,
      runtime: 'container',
      enabled: true,
      image: info?.Image ?? (spec.image || 'built from inference/Dockerfile'),
      port: spec.hostPort,
      url: `http://127.0.0.1:${spec.hostPort}`,
      state,
      health,
      containerId: info?.Id ?? null,
      pid: null,
      startedAt,
      restarts,
    };
  }

  private async isReady(spec: ServiceSpec): Promise<boolean> {
    try {
      const res = await fetch(`http://127.0.0.1:${spec.hostPort}${spec.readyPath}`, { signal: AbortSignal.timeout(1000) });
      await res.body?.cancel();
      return res.ok;
    } catch {
      return false;
    }
  }

  private progress(service: string | null, step: StackProgress['step'], message: string, current: number | null = null, total: number | null = null): void {
    this.emit('progress', { service, step, message, current, total });
  }

  private async writeConfigs(specs: ServiceSpec[]): Promise<void> {
    const files: Partial<Record<ServiceName, () => Promise<ConfigFiles>>> = {
      prometheus: async () => prometheusConfigFiles(this.settings, this.spec),
      alertmanager: async () => {
        const alertmanager = this.options.alertmanagerConfig
          ? await this.options.alertmanagerConfig(imageTag(this.settings.alertmanager.image))
          : { files: { 'alertmanager.yml': renderAlertmanagerConfig() }, secrets: [] };
        this.alertmanagerSecrets = alertmanager.secrets;
        return alertmanager.files;
      },
      grafana: async () => grafanaProvisioningFiles(this.settings),
    };
    for (const spec of specs) {
      const render = files[spec.service];
      if (!render || !spec.configDir) continue;
      for (const [file, content] of Object.entries(await render())) await writeAtomic(join(spec.configDir, file), content);
    }
  }

  /** Puts each service's secrets into its secrets volume, readable by that service's user only. */
  private async writeSecrets(specs: ServiceSpec[]): Promise<void> {
    const has = (service: ServiceName) => specs.some((s) => s.service === service);
    if (has('grafana')) {
      await this.putSecrets('grafana', [{ name: 'grafana-admin-password', content: await grafanaAdminPassword(secretsDirFor(this.settings)) }]);
    }
    if (has('alertmanager') && this.alertmanagerSecrets.length) await this.putSecrets('alertmanager', this.alertmanagerSecrets);
  }

  /** Writes files into a service's secrets volume, readable by that service's user only (a running container sees them at once). */
  async putSecrets(service: MonitoringService, secrets: ServiceSecret[]): Promise<void> {
    const spec = this.spec.services.find((s) => s.service === service);
    if (!spec?.secretsVolume) throw new StackError('SERVICE_MISSING', `${service} is switched off in the settings.`);
    await writeVolumeSecrets(this.docker, {
      volume: spec.secretsVolume,
      project: this.spec.project,
      image: spec.image,
      secrets: secrets.map((s) => ({ ...s, uid: Number(spec.user) })),
    });
  }

  /** Fails before anything is created when a port another program holds would make a start fail halfway. */
  private async checkPortsFree(specs: ServiceSpec[], existing: Docker.ContainerInfo[]): Promise<void> {
    for (const spec of specs) {
      // Our own container may hold its port while running, restarting, or still starting after
      // an interrupted start (state `created`, its start request already with the engine); a
      // real conflict then surfaces when it starts, as the same error.
      const own = existing.find((c) => runs(c, spec) && !['exited', 'dead'].includes(c.State));
      if (own) continue;
      if (!(await isPortFree(spec.hostPort))) throw portInUse(spec);
    }
  }

  /** True when this call created the network. */
  private async ensureNetwork(): Promise<boolean> {
    const existing = await this.docker.listNetworks({ filters: JSON.stringify({ name: [this.spec.networkName] }) });
    if (existing.some((n) => n.Name === this.spec.networkName)) return false;
    await this.docker
      .createNetwork({ Name: this.spec.networkName, Driver: 'bridge', Labels: { [LABEL_PROJECT]: this.spec.project } })
      .catch(ignoreStatus(409));
    return true;
  }

  private async removeNetwork(): Promise<void> {
    const networks = await this.docker.listNetworks({ filters: JSON.stringify({ label: [`${LABEL_PROJECT}=${this.spec.project}`] }) });
    for (const n of networks) await this.docker.getNetwork(n.Id).remove().catch(ignoreStatus(404));
  }

  /** Starts one service, adopting its container when there is one; returns the id when it created one. */
  private async startService(spec: ServiceSpec): Promise<string | null> {
    const [info] = await this.docker.listContainers({ all: true, filters: JSON.stringify({ name: [`^/${spec.containerName}$`] }) });
    let container: Docker.Container;
    let createdId: string | null = null;
    if (info && info.Labels[LABEL_PROJECT] === this.spec.project && info.Image === spec.image) {
      container = this.docker.getContainer(info.Id);
      if (info.State === 'running') return null;
    } else {
      // A container left from an older image, or half-created by an interrupted start: replace it.
      if (info) await this.docker.getContainer(info.Id).remove({ force: true, v: true }).catch(ignoreStatus(404));
      this.progress(spec.id, 'create', `Creating ${spec.containerName}`);
      // Labelled here, or the engine would create them unlabelled and removeData could not find them.
      for (const volume of [spec.volumeName, spec.secretsVolume]) {
        if (!volume) continue;
        await this.docker.createVolume({ Name: volume, Labels: containerLabels(spec, this.spec) }).catch(ignoreStatus(409));
      }
      container = await this.docker.createContainer(containerCreateOptions(spec, this.spec));
      createdId = container.id;
    }
    this.progress(spec.id, 'start', `Starting ${spec.id}`);
    try {
      await container.start();
    } catch (err) {
      if (statusOf(err) === 304) return createdId;
      if (/port is already allocated|address already in use/i.test((err as Error).message)) {
        await container.remove({ force: true, v: true }).catch(ignoreStatus(404));
        throw portInUse(spec);
      }
      throw err;
    }
    return createdId;
  }

  private async waitReady(spec: ServiceSpec): Promise<void> {
    this.progress(spec.id, 'wait-ready', `Waiting for ${spec.id} to be ready`);
    const timeoutMs = this.options.readyTimeoutMs ?? 60_000;
    const deadline = Date.now() + timeoutMs;
    const container = this.docker.getContainer(spec.containerName);
    const restartsBefore = (await container.inspect()).RestartCount;
    while (Date.now() < deadline) {
      if (await this.isReady(spec)) {
        this.progress(spec.id, 'ready', `${spec.id} is ready`);
        return;
      }
      const { State, RestartCount } = await container.inspect();
      // The restart policy brings a crashing service back at once, so "exited" may never be seen:
      // a restart count that rises while we wait is the crash loop's signature.
      if (State.Restarting || RestartCount > restartsBefore) {
        throw new StackError(
          'SERVICE_CRASHING',
          `${spec.id} keeps crashing (restarted ${RestartCount} times while starting). Last log lines:\n${await lastLogLines(container)}`,
        );
      }
      if (State.Status === 'exited' || State.Status === 'dead') {
        throw new StackError('SERVICE_NOT_READY', `${spec.id} stopped while starting (exit code ${State.ExitCode}). Last log lines:\n${await lastLogLines(container)}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new StackError('SERVICE_NOT_READY', `${spec.id} did not become ready within ${Math.round(timeoutMs / 1000)} s.`);
  }
}

function portInUse(spec: ServiceSpec): StackError {
  return new StackError(
    'PORT_IN_USE',
    `Port ${spec.hostPort} on 127.0.0.1 is already in use, so ${spec.id} cannot start. ` + `Stop what uses it, or set ${envNameOf(`${spec.service}.port`)} to a free port.`,
  );
}

/** The container a spec describes (container names are unique on an engine). */
function runs(container: Docker.ContainerInfo, spec: ServiceSpec): boolean {
  return container.Names.includes(`/${spec.containerName}`);
}

function statusOf(err: unknown): number | undefined {
  return (err as { statusCode?: number })?.statusCode;
}

function ignoreStatus(...codes: number[]) {
  return (err: unknown) => {
    if (!codes.includes(statusOf(err) ?? -1)) throw err;
  };
}

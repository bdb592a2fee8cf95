import type Docker from 'dockerode';
import { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { renderAlertmanagerConfig } from './alertmanager-config';
import { applyConfig, imageToolValidator, writeAtomic, reloadOverHttp, type ConfigFiles, type ConfigValidator } from './config-apply';
import { connectDocker, engineEndpoint, engineError } from './docker-engine';
import { demuxDockerLog } from './docker-log';
import { grafanaAdminPassword } from './grafana-admin';
import { grafanaProvisioningFiles } from './grafana-provisioning';
import { prometheusConfigFiles } from './prometheus-config';
import type { ServiceName, Settings } from './settings';
import { SERVICE_NAMES } from './settings';
import { StackError } from './stack-errors';
import {
  buildStackSpec,
  containerCreateOptions,
  imageTag,
  LABEL_PROJECT,
  LABEL_SERVICE,
  type ServiceSpec,
  secretsDirFor,
  type StackSpec,
} from './stack-spec';
import { writeVolumeSecrets, type VolumeSecret } from './volume-secrets';
import type { ContainerState, EngineStatus, ServiceHealth, ServiceStatus, StackProgress, StackStatus } from './stack-status';

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
}

/** Renders Alertmanager's files for the version its image will run (null when the tag does not say). */
export type AlertmanagerConfigSource = (version: string | null) => Promise<{ files: ConfigFiles; secrets: ServiceSecret[] }>;
export type ServiceSecret = Omit<VolumeSecret, 'uid' | 'gid'>;

type Events = { status: [StackStatus]; progress: [StackProgress] };

/**
 * Runs the monitoring stack on the local Docker engine: creates, adopts, starts, probes, stops
 * and removes the console's containers. Plain Node: the desktop app, the web mode and the CLI
 * all drive this same class, and tests construct it directly against a real engine.
 */
export class StackManager extends EventEmitter<Events> {
  readonly spec: StackSpec;
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

  constructor(private readonly options: StackManagerOptions) {
    super();
    this.spec = buildStackSpec(options.settings);
    this.docker = options.docker ?? connectDocker(options.env);
    this.endpoint = engineEndpoint(options.env);
  }

  get settings(): Settings {
    return this.options.settings;
  }

  async engineStatus(): Promise<EngineStatus> {
    try {
      const version = await this.docker.version();
      return { reachable: true, endpoint: this.endpoint, version: version.Version, message: null };
    } catch (err) {
      return { reachable: false, endpoint: this.endpoint, version: null, message: engineError(err, this.endpoint).message };
    }
  }

  async status(): Promise<StackStatus> {
    const engine = await this.engineStatus();
    const containers = engine.reachable ? await this.listContainers().catch(() => []) : [];
    const services = await Promise.all(
      SERVICE_NAMES.map((name) => this.serviceStatus(name, containers.find((c) => c.Labels[LABEL_SERVICE] === name))),
    );
    return { project: this.spec.project, engine, services, operation: this.operation, lastError: this.lastError };
  }

  /** Starts the stack; idempotent: existing containers of this project are adopted, not duplicated. */
  async up(): Promise<StackStatus> {
    await this.exclusive('starting', async () => {
      await this.requireEngine();
      this.progress(null, 'config', 'Writing configuration');
      await this.writeConfigs();
      const existing = await this.listContainers();
      await this.checkPortsFree(existing);
      for (const spec of this.spec.services) await this.ensureImage(spec);
      await this.writeSecrets();
      this.progress(null, 'network', `Ensuring network ${this.spec.networkName}`);
      const createdNetwork = await this.ensureNetwork();
      const created: string[] = [];
      try {
        for (const spec of this.spec.services) {
          const id = await this.startService(spec);
          if (id) created.push(id);
        }
      } catch (err) {
        // Leave nothing half-created: what this call created goes; adopted containers stay.
        for (const id of created) await this.docker.getContainer(id).remove({ force: true }).catch(ignoreStatus(404));
        if (createdNetwork && existing.length === 0) await this.removeNetwork();
        throw err;
      }
      for (const spec of this.spec.services) await this.waitReady(spec);
      this.progress(null, 'done', 'Stack is ready');
    });
    return this.status();
  }

  /** Stops and removes the containers and the network; data volumes are kept. */
  async down(): Promise<StackStatus> {
    await this.exclusive('stopping', async () => {
      await this.requireEngine();
      const containers = await this.listContainers();
      // Reverse start order: Prometheus goes before the Alertmanager it sends to.
      const order = (c: Docker.ContainerInfo) => -SERVICE_NAMES.indexOf(c.Labels[LABEL_SERVICE] as ServiceName);
      for (const info of containers.sort((a, b) => order(a) - order(b))) {
        const service = info.Labels[LABEL_SERVICE] as ServiceName;
        const container = this.docker.getContainer(info.Id);
        this.progress(service, 'stop', `Stopping ${service}`);
        if (info.State === 'running' || info.State === 'restarting') await container.stop({ t: 10 }).catch(ignoreStatus(304, 404));
        this.progress(service, 'remove', `Removing ${service}`);
        await container.remove({ force: true }).catch(ignoreStatus(404));
      }
      await this.removeNetwork();
      this.progress(null, 'done', 'Stack is stopped');
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
      const { Volumes } = await this.docker.listVolumes({ filters: JSON.stringify({ label: [`${LABEL_PROJECT}=${this.spec.project}`] }) });
      for (const v of Volumes ?? []) await this.docker.getVolume(v.Name).remove().catch(ignoreStatus(404));
      await rm(join(this.settings.dataDir, this.spec.project), { recursive: true, force: true });
    });
  }

  /**
   * Applies new config files to a service live: validated, swapped in atomically, reloaded and
   * confirmed; on failure the previous files stay or are restored, and the error says why.
   */
  async applyServiceConfig(service: ServiceName, files: ConfigFiles): Promise<void> {
    const spec = this.spec.services.find((s) => s.service === service);
    if (!spec) throw new StackError('SERVICE_MISSING', `${service} is switched off in the settings.`);
    await this.requireEngine();
    const info = await this.findContainer(service);
    await applyConfig(spec, files, {
      validate: this.options.validateConfig ?? imageToolValidator(this.docker),
      reload: info?.State === 'running' ? reloadOverHttp : null,
    });
  }

  /**
   * Re-renders prometheus.yml and the alert rules with new alert settings (thresholds, `for`
   * durations, evaluation interval) and applies them live; refused changes leave the previous
   * config running and these settings unchanged.
   */
  async applyPrometheusConfig(alerts: Settings['alerts'] = this.settings.alerts): Promise<void> {
    await this.applyServiceConfig('prometheus', prometheusConfigFiles({ ...this.settings, alerts }));
    // In place: the console's other parts share this settings object.
    this.options.settings.alerts = alerts;
  }

  /** The last lines a service's container wrote, stdout and stderr interleaved. */
  async logs(service: ServiceName, tail: number): Promise<string[]> {
    const container = await this.requireContainer(service);
    const text = await this.lastLogLines(container, tail);
    return text ? text.split('\n') : [];
  }

  /**
   * Streams a service's log lines as the container writes them (after the last `tail` lines),
   * until the returned function is called or the container goes away (then `onEnd`).
   */
  async followLogs(service: ServiceName, onLine: (line: string) => void, tail = 0, onEnd?: () => void): Promise<() => void> {
    const container = await this.requireContainer(service);
    const stream = (await container.logs({ follow: true, stdout: true, stderr: true, tail })) as NodeJS.ReadableStream & { destroy(): void };
    const text = new PassThrough();
    this.docker.modem.demuxStream(stream, text, text);
    stream.on('end', () => text.end());
    stream.on('error', () => text.end());
    const lines = createInterface({ input: text, crlfDelay: Infinity });
    lines.on('line', onLine);
    if (onEnd) lines.once('close', onEnd);
    return () => {
      if (onEnd) lines.off('close', onEnd);
      lines.close();
      stream.destroy();
      text.destroy();
    };
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

  private async findContainer(service: ServiceName): Promise<Docker.ContainerInfo | undefined> {
    return (await this.listContainers()).find((c) => c.Labels[LABEL_SERVICE] === service);
  }

  private async requireContainer(service: ServiceName): Promise<Docker.Container> {
    await this.requireEngine();
    const info = await this.findContainer(service);
    if (!info) throw new StackError('SERVICE_MISSING', `${service} has no container: start the stack first.`);
    return this.docker.getContainer(info.Id);
  }

  private listContainers(): Promise<Docker.ContainerInfo[]> {
    return this.docker.listContainers({
      all: true,
      filters: JSON.stringify({ label: [`${LABEL_PROJECT}=${this.spec.project}`] }),
    });
  }

  private async serviceStatus(name: ServiceName, info: Docker.ContainerInfo | undefined): Promise<ServiceStatus> {
    const { enabled, image, port } = this.settings[name];
    const state = (info?.State ?? 'missing') as ContainerState;
    const spec = this.spec.services.find((s) => s.service === name);
    let health: ServiceHealth = 'none';
    let startedAt: string | null = null;
    if (info && state === 'running') {
      const detail = await this.docker.getContainer(info.Id).inspect().catch(() => null);
      startedAt = detail?.State.StartedAt ?? null;
      // Docker's own healthcheck decides "unhealthy" (it needs several failures in a row); the
      // host-side probe decides "healthy" at once, without waiting for the next check.
      if (detail?.State.Health?.Status === 'unhealthy') health = 'unhealthy';
      else health = spec && (await this.isReady(spec)) ? 'healthy' : 'starting';
    }
    return {
      name,
      enabled,
      image: info?.Image ?? image,
      port,
      url: `http://127.0.0.1:${port}`,
      state,
      health,
      containerId: info?.Id ?? null,
      startedAt,
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

  private progress(service: ServiceName | null, step: StackProgress['step'], message: string, current: number | null = null, total: number | null = null): void {
    this.emit('progress', { service, step, message, current, total });
  }

  private async writeConfigs(): Promise<void> {
    const alertmanager = this.options.alertmanagerConfig
      ? await this.options.alertmanagerConfig(imageTag(this.settings.alertmanager.image))
      : { files: { 'alertmanager.yml': renderAlertmanagerConfig() }, secrets: [] };
    this.alertmanagerSecrets = alertmanager.secrets;
    const files: Record<ServiceName, Record<string, string>> = {
      prometheus: prometheusConfigFiles(this.settings),
      alertmanager: alertmanager.files,
      grafana: grafanaProvisioningFiles(this.settings),
    };
    for (const spec of this.spec.services) {
      for (const [file, content] of Object.entries(files[spec.service])) {
        await writeAtomic(join(spec.configDir, file), content);
      }
    }
  }

  /** Puts each service's secrets into its secrets volume, readable by that service's user only. */
  private async writeSecrets(): Promise<void> {
    if (this.settings.grafana.enabled) {
      await this.putSecrets('grafana', [{ name: 'grafana-admin-password', content: await grafanaAdminPassword(secretsDirFor(this.settings)) }]);
    }
    if (this.settings.alertmanager.enabled && this.alertmanagerSecrets.length) await this.putSecrets('alertmanager', this.alertmanagerSecrets);
  }

  /** Writes files into a service's secrets volume, readable by that service's user only (a running container sees them at once). */
  async putSecrets(service: ServiceName, secrets: ServiceSecret[]): Promise<void> {
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
  private async checkPortsFree(existing: Docker.ContainerInfo[]): Promise<void> {
    for (const spec of this.spec.services) {
      // Our own container may hold its port while running, restarting, or still starting after
      // an interrupted start (state `created`, its start request already with the engine); a
      // real conflict then surfaces when it starts, as the same error.
      const own = existing.find((c) => c.Labels[LABEL_SERVICE] === spec.service && !['exited', 'dead'].includes(c.State));
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

  private async ensureImage(spec: ServiceSpec): Promise<void> {
    try {
      await this.docker.getImage(spec.image).inspect();
      return;
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
    }
    this.progress(spec.service, 'pull', `Pulling ${spec.image}`, 0, null);
    try {
      const stream = await this.docker.pull(spec.image);
      const layers = new Map<string, { current: number; total: number }>();
      await new Promise<void>((resolve, reject) => {
        this.docker.modem.followProgress(
          stream,
          (err: Error | null) => (err ? reject(err) : resolve()),
          (event: { id?: string; progressDetail?: { current?: number; total?: number } }) => {
            if (!event.id || !event.progressDetail?.total) return;
            layers.set(event.id, { current: event.progressDetail.current ?? 0, total: event.progressDetail.total });
            let current = 0;
            let total = 0;
            for (const l of layers.values()) {
              current += l.current;
              total += l.total;
            }
            this.progress(spec.service, 'pull', `Pulling ${spec.image}`, current, total);
          },
        );
      });
    } catch (err) {
      throw new StackError(
        'IMAGE_MISSING',
        `Image ${spec.image} for ${spec.service} is not on this machine and could not be pulled (${(err as Error).message}). ` +
          `Pull it, or set RX580_OPS_${spec.service.toUpperCase()}_IMAGE to an image you have.`,
      );
    }
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
      if (info) await this.docker.getContainer(info.Id).remove({ force: true }).catch(ignoreStatus(404));
      this.progress(spec.service, 'create', `Creating ${spec.containerName}`);
      // Labelled here, or the engine would create them unlabelled and removeData could not find them.
      for (const volume of [spec.volumeName, spec.secretsVolume]) {
        if (!volume) continue;
        await this.docker
          .createVolume({ Name: volume, Labels: { [LABEL_PROJECT]: this.spec.project, [LABEL_SERVICE]: spec.service } })
          .catch(ignoreStatus(409));
      }
      container = await this.docker.createContainer(containerCreateOptions(spec, this.spec));
      createdId = container.id;
    }
    this.progress(spec.service, 'start', `Starting ${spec.service}`);
    try {
      await container.start();
    } catch (err) {
      if (statusOf(err) === 304) return createdId;
      if (/port is already allocated|address already in use/i.test((err as Error).message)) {
        await container.remove({ force: true }).catch(ignoreStatus(404));
        throw portInUse(spec);
      }
      throw err;
    }
    return createdId;
  }

  private async waitReady(spec: ServiceSpec): Promise<void> {
    this.progress(spec.service, 'wait-ready', `Waiting for ${spec.service} to be ready`);
    const timeoutMs = this.options.readyTimeoutMs ?? 60_000;
    const deadline = Date.now() + timeoutMs;
    const container = this.docker.getContainer(spec.containerName);
    const restartsBefore = (await container.inspect()).RestartCount;
    while (Date.now() < deadline) {
      if (await this.isReady(spec)) {
        this.progress(spec.service, 'ready', `${spec.service} is ready`);
        return;
      }
      const { State, RestartCount } = await container.inspect();
      // The restart policy brings a crashing service back at once, so "exited" may never be seen:
      // a restart count that rises while we wait is the crash loop's signature.
      if (State.Restarting || RestartCount > restartsBefore) {
        throw new StackError(
          'SERVICE_CRASHING',
          `${spec.service} keeps crashing (restarted ${RestartCount} times while starting). Last log lines:\n${await this.lastLogLines(container)}`,
        );
      }
      if (State.Status === 'exited' || State.Status === 'dead') {
        throw new StackError('SERVICE_NOT_READY', `${spec.service} stopped while starting (exit code ${State.ExitCode}). Last log lines:\n${await this.lastLogLines(container)}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new StackError('SERVICE_NOT_READY', `${spec.service} did not become ready within ${Math.round(timeoutMs / 1000)} s.`);
  }

  private async lastLogLines(container: Docker.Container, lines = 20): Promise<string> {
    const raw = await container.logs({ stdout: true, stderr: true, tail: lines, follow: false });
    return demuxDockerLog(raw).trimEnd();
  }
}

function portInUse(spec: ServiceSpec): StackError {
  return new StackError(
    'PORT_IN_USE',
    `Port ${spec.hostPort} on 127.0.0.1 is already in use, so ${spec.service} cannot start. ` +
      `Stop what uses it, or set RX580_OPS_${spec.service.toUpperCase()}_PORT to a free port.`,
  );
}

export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function statusOf(err: unknown): number | undefined {
  return (err as { statusCode?: number })?.statusCode;
}

function ignoreStatus(...codes: number[]) {
  return (err: unknown) => {
    if (!codes.includes(statusOf(err) ?? -1)) throw err;
  };
}

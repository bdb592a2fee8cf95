import type Docker from 'dockerode';
import { createServer, type Server } from 'node:http';
import { Counter, Gauge, Registry } from 'prom-client';
import { hostGatewayAddress } from './host-gateway';
import { EXPORTER_METRICS } from './metric-names';
import type { ServiceName, Settings } from './settings';
import { SERVICE_NAMES } from './settings';
import { StackError } from './stack-errors';
import { LABEL_PROJECT, LABEL_SERVICE } from './stack-spec';

export interface ConsoleExporterOptions {
  settings: Settings;
  docker: Docker;
  /** How often to retry listening on the host gateway when the engine did not name one yet. */
  gatewayRetryMs?: number;
}

/** What the exporter last saw of one service's container. */
interface Seen {
  id: string;
  startedAt: string;
  restartCount: number;
}

const NEVER_STARTED = '0001-01-01T00:00:00Z';

/**
 * The console's own Prometheus exporter: the state of each stack container, read from Docker,
 * so the seed's container alerts work without cAdvisor. It listens on 127.0.0.1 (for the
 * console) and on the host gateway (for the Prometheus container), never on every interface.
 *
 * The restart counter counts restarts seen since the console started, from 0: Docker's own
 * RestartCount is not monotonic (a manual start resets it, a re-created container starts at 0)
 * and a counter that came back at some old value after a console restart would read to
 * `increase()` as restarts. Each observation adds the rise of RestartCount (restarts by the
 * restart policy) or, when the container started again without it rising (`docker restart`,
 * kill and start), one; start events trigger an observation, so none slips between scrapes.
 */
export class ConsoleExporter {
  readonly registry = new Registry();
  private readonly services: ServiceName[];
  private readonly up: Gauge<'service'>;
  private readonly restarts: Counter<'service'>;
  private readonly lastStart: Gauge<'service'>;
  private readonly seen = new Map<ServiceName, Seen>();
  private observing: Promise<void> = Promise.resolve();
  private servers: Server[] = [];
  private events: (NodeJS.ReadableStream & { destroy?: () => void }) | null = null;
  private gatewayTimer: NodeJS.Timeout | null = null;
  private stopped = true;

  constructor(private readonly options: ConsoleExporterOptions) {
    this.services = SERVICE_NAMES.filter((s) => options.settings[s].enabled);
    const { containerUp, containerRestarts, containerLastStart } = EXPORTER_METRICS;
    const registers = [this.registry];
    this.up = new Gauge({ name: containerUp.name, help: 'Whether the stack service container is running (1) or not (0).', labelNames: containerUp.labels, registers });
    this.restarts = new Counter({
      name: containerRestarts.name,
      help: 'Restarts of the stack service container seen since the console started.',
      labelNames: containerRestarts.labels,
      registers,
    });
    this.lastStart = new Gauge({
      name: containerLastStart.name,
      help: 'Unix time the stack service container last started.',
      labelNames: containerLastStart.labels,
      registers,
    });
    // Every series exists from the first scrape: a counter first seen above 0 hides its rise from increase().
    for (const service of this.services) this.restarts.inc({ service }, 0);
  }

  get port(): number {
    return this.options.settings.exporter.port;
  }

  /** The exposition text after a fresh look at the engine. */
  async metrics(): Promise<string> {
    await this.observe();
    return this.registry.metrics();
  }

  /** Reads each service's container state; serialised, so two observations never count one restart twice. */
  observe(): Promise<void> {
    const next = this.observing.catch(() => undefined).then(() => this.observeOnce());
    this.observing = next;
    return next;
  }

  private async observeOnce(): Promise<void> {
    const { docker, settings } = this.options;
    const containers = await docker.listContainers({ all: true, filters: JSON.stringify({ label: [`${LABEL_PROJECT}=${settings.project}`] }) });
    for (const service of this.services) {
      const info = containers.find((c) => c.Labels[LABEL_SERVICE] === service);
      const detail = info ? await docker.getContainer(info.Id).inspect().catch(() => null) : null;
      if (!detail) {
        this.up.set({ service }, 0);
        continue;
      }
      this.up.set({ service }, detail.State.Running && !detail.State.Restarting ? 1 : 0);
      const startedAt = detail.State.StartedAt;
      if (startedAt && startedAt !== NEVER_STARTED) this.lastStart.set({ service }, Date.parse(startedAt) / 1000);
      const now: Seen = { id: detail.Id, startedAt, restartCount: detail.RestartCount ?? 0 };
      const before = this.seen.get(service);
      this.seen.set(service, now);
      // A container seen for the first time (console start, stack re-created) is a baseline.
      if (!before || before.id !== now.id) continue;
      const byPolicy = Math.max(0, now.restartCount - before.restartCount);
      const restarted = byPolicy || (now.startedAt !== before.startedAt ? 1 : 0);
      if (restarted) this.restarts.inc({ service }, restarted);
    }
  }

  /** Listens on 127.0.0.1 and the host gateway, and follows container start events. */
  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    try {
      this.servers.push(await this.listen('127.0.0.1'));
      await this.listenOnGateway();
    } catch (err) {
      await this.stop();
      throw err;
    }
    void this.followEvents();
    void this.observe().catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.gatewayTimer) clearTimeout(this.gatewayTimer);
    this.gatewayTimer = null;
    this.events?.destroy?.();
    this.events = null;
    const servers = this.servers.splice(0);
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  }

  /** The addresses the exporter listens on, e.g. for the UI or a test. */
  addresses(): string[] {
    return this.servers.map((s) => {
      const a = s.address() as { address: string; port: number };
      return `${a.address}:${a.port}`;
    });
  }

  /** Until the engine names its gateway (it may start after the console), retries now and then. */
  private async listenOnGateway(): Promise<void> {
    if (this.stopped) return;
    const gateway = await hostGatewayAddress(this.options.docker);
    if (this.stopped) return;
    if (gateway) {
      try {
        this.servers.push(await this.listen(gateway));
        return;
      } catch (err) {
        // The bridge exists but its address is not on this host (yet): retried below.
        if ((err as NodeJS.ErrnoException).code !== 'EADDRNOTAVAIL') throw err;
      }
    }
    this.gatewayTimer = setTimeout(() => void this.listenOnGateway().catch(() => undefined), this.options.gatewayRetryMs ?? 10_000);
    this.gatewayTimer.unref();
  }

  private listen(host: string): Promise<Server> {
    const server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path !== '/metrics') return void res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: only /metrics is served here.\n');
      if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD' }).end();
      this.metrics().then(
        (text) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(text),
        // Without the engine there is nothing true to report: a failed scrape says so (up == 0).
        () => res.writeHead(503, { 'content-type': 'text/plain' }).end('The Docker engine cannot be reached.\n'),
      );
    });
    return new Promise((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'EADDRINUSE') {
          reject(
            new StackError(
              'PORT_IN_USE',
              `Port ${this.port} on ${host} is already in use, so the console's exporter cannot start. Stop what uses it, or set RX580_OPS_EXPORTER_PORT to a free port.`,
            ),
          );
        } else reject(err);
      });
      server.listen(this.port, host, () => resolve(server));
    });
  }

  private async followEvents(): Promise<void> {
    if (this.stopped) return;
    const { docker, settings } = this.options;
    try {
      const stream = (await docker.getEvents({
        filters: JSON.stringify({ type: ['container'], event: ['start'], label: [`${LABEL_PROJECT}=${settings.project}`] }),
      })) as NodeJS.ReadableStream & { destroy?: () => void };
      if (this.stopped) return void stream.destroy?.();
      this.events = stream;
      stream.on('data', () => void this.observe().catch(() => undefined));
      stream.on('error', () => undefined);
      stream.on('end', () => {
        if (this.events !== stream) return;
        this.events = null;
        // The engine restarted or went away: follow it again once it is back.
        if (!this.stopped) setTimeout(() => void this.followEvents(), 5_000).unref();
      });
    } catch {
      if (!this.stopped) setTimeout(() => void this.followEvents(), 5_000).unref();
    }
  }
}

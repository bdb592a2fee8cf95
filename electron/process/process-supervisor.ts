import { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline';
import { LogRing } from './log-ring';
import type { ProcessExit, ProcessLogLine, ProcessState, ProcessStatus } from './process-status';
import type { ChildHandle, SpawnRequest, Spawner } from './spawner';

export interface ProcessSupervisorOptions {
  /** Short name for logs and status ("inference"). */
  name: string;
  spawner: Spawner;
  request: () => SpawnRequest;
  /** Resolves true once the process serves; polled while it runs. Absent: running means healthy. */
  probe?: () => Promise<boolean>;
  url?: string | null;
  probeIntervalMs?: number;
  /** First restart delay; doubles with each crash in a row up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Crashes in a row after which the supervisor gives up until started again. */
  maxCrashes?: number;
  /** A process that ran this long before crashing counts as a fresh first crash. */
  stableAfterMs?: number;
  /** How long `stop` waits for a graceful end. */
  stopTimeoutMs?: number;
  logCapacity?: number;
}

type Events = { status: [ProcessStatus]; log: [ProcessLogLine] };

/**
 * Keeps one Node process running: starts and stops it, restarts it with back-off after a crash
 * (capped), probes its health and keeps the last lines of its output, with a line of its own for
 * every crash. Plain Node; the spawner decides what a process is (child_process or Electron's
 * utilityProcess), so tests drive it with real processes.
 */
export class ProcessSupervisor extends EventEmitter<Events> {
  private readonly logs: LogRing;
  private child: ChildHandle | null = null;
  private state: ProcessState = 'stopped';
  private healthy = false;
  private restarts = 0;
  private crashesInRow = 0;
  private lastExit: ProcessExit | null = null;
  private nextRestartAt: Date | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private probeTimer: NodeJS.Timeout | null = null;
  private startedAt = 0;
  private stopping: Promise<void> | null = null;
  private exitWaiters: (() => void)[] = [];

  constructor(private readonly options: ProcessSupervisorOptions) {
    super();
    this.logs = new LogRing(options.logCapacity ?? 2000);
  }

  status(): ProcessStatus {
    return {
      name: this.options.name,
      enabled: true,
      state: this.state,
      healthy: this.healthy,
      pid: this.child?.pid ?? null,
      restarts: this.restarts,
      lastExit: this.lastExit,
      nextRestartAt: this.nextRestartAt?.toISOString() ?? null,
      url: this.options.url ?? null,
    };
  }

  logTail(count: number): ProcessLogLine[] {
    return this.logs.tail(count);
  }

  /** Starts the process unless it runs or is about to restart; a failed supervisor starts afresh. */
  async start(): Promise<ProcessStatus> {
    await this.stopping;
    if (this.child || this.state === 'backoff') return this.status();
    this.restarts = 0;
    this.crashesInRow = 0;
    this.spawn();
    return this.status();
  }

  /** Ends the process (SIGTERM, then SIGKILL after the timeout) and any pending restart. */
  async stop(): Promise<ProcessStatus> {
    this.clearRestart();
    const child = this.child;
    if (!child) {
      if (this.state !== 'stopped') this.setState('stopped');
      return this.status();
    }
    this.stopping ??= new Promise<void>((resolve) => {
      this.note(`stopping ${this.options.name}`);
      const timer = setTimeout(() => killHard(child), this.options.stopTimeoutMs ?? 5000);
      this.exitWaiters.push(() => {
        clearTimeout(timer);
        this.stopping = null;
        resolve();
      });
      child.kill();
    });
    await this.stopping;
    return this.status();
  }

  private spawn(): void {
    this.nextRestartAt = null;
    const request = this.options.request();
    this.note(`starting ${this.options.name}: ${[request.script, ...request.args].join(' ')}`);
    const child = this.options.spawner(request);
    this.child = child;
    this.startedAt = Date.now();
    this.healthy = false;
    this.pipe(child.stdout, 'stdout');
    this.pipe(child.stderr, 'stderr');
    child.onExit((code, signal) => this.onExit(child, code, signal));
    this.setState(this.options.probe ? 'starting' : 'running');
    if (!this.options.probe) this.healthy = true;
    this.probeTimer = setInterval(() => void this.probeOnce(child), this.options.probeIntervalMs ?? 500);
  }

  private async probeOnce(child: ChildHandle): Promise<void> {
    if (!this.options.probe) return;
    const ok = await this.options.probe().catch(() => false);
    if (this.child !== child || ok === this.healthy) return;
    this.healthy = ok;
    this.setState(ok ? 'running' : 'starting');
  }

  private onExit(child: ChildHandle, code: number | null, signal: string | null): void {
    if (this.child !== child) return;
    this.child = null;
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.probeTimer = null;
    this.healthy = false;
    this.lastExit = { code, signal, at: new Date().toISOString() };
    const how = signal ? `signal ${signal}` : `exit code ${code ?? 'unknown'}`;
    if (this.stopping) {
      this.note(`${this.options.name} stopped (${how})`);
      this.setState('stopped');
      for (const done of this.exitWaiters.splice(0)) done();
      return;
    }
    if (Date.now() - this.startedAt >= (this.options.stableAfterMs ?? 30_000)) this.crashesInRow = 0;
    this.crashesInRow++;
    const maxCrashes = this.options.maxCrashes ?? 5;
    if (this.crashesInRow > maxCrashes) {
      this.note(`${this.options.name} crashed (${how}); gave up after ${maxCrashes} restarts in a row: start it again once the cause is fixed`);
      this.setState('failed');
      return;
    }
    const delay = Math.min((this.options.baseDelayMs ?? 1000) * 2 ** (this.crashesInRow - 1), this.options.maxDelayMs ?? 30_000);
    this.note(`${this.options.name} crashed (${how}); restarting in ${formatDelay(delay)} (restart ${this.crashesInRow} of at most ${maxCrashes} in a row)`);
    this.nextRestartAt = new Date(Date.now() + delay);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.restarts++;
      this.spawn();
    }, delay);
    this.setState('backoff');
  }

  private clearRestart(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    this.nextRestartAt = null;
  }

  private pipe(stream: NodeJS.ReadableStream | null, name: 'stdout' | 'stderr'): void {
    if (!stream) return;
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (text) => this.emit('log', this.logs.push(name, text)));
  }

  private note(text: string): void {
    this.emit('log', this.logs.push('supervisor', text));
  }

  private setState(state: ProcessState): void {
    this.state = state;
    this.emit('status', this.status());
  }
}

function killHard(child: ChildHandle): void {
  try {
    if (child.pid) process.kill(child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function formatDelay(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms % 1000 ? 1 : 0)} s`;
}

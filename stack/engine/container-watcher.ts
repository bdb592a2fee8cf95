import type Docker from 'dockerode';
import { LABEL_PROJECT } from '../spec/stack-spec';
import type { StackStatus } from '../../electron/api/schemas/stack-status';

export interface ContainerWatcherOptions {
  docker: Docker;
  project: string;
  /** How often the status is re-read for readiness changes, which Docker events do not report. */
  pollIntervalMs: number;
  status: () => Promise<StackStatus>;
  /** Called with each status that differs from the last one passed. */
  onStatus: (status: StackStatus) => void;
}

/**
 * Live status while anyone watches: Docker events for the project's container changes, a slow
 * poll for readiness changes; bursts of either are coalesced into one status read.
 */
export class ContainerWatcher {
  private watchers = 0;
  private lastEmitted = '';
  private eventStream: NodeJS.ReadableStream | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private refreshTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: ContainerWatcherOptions) {}

  /** Counts one more watcher (the first starts watching); the returned function counts it out. */
  add(): () => void {
    if (this.watchers++ === 0) this.start();
    this.refresh(0);
    return () => {
      if (--this.watchers === 0) this.stop();
    };
  }

  /** Reads and reports the status after `delayMs`, unless a read is already scheduled. */
  refresh(delayMs: number): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(async () => {
      this.refreshTimer = null;
      if (this.watchers === 0) return;
      const status = await this.options.status();
      if (status.engine.reachable && !this.eventStream) void this.subscribe();
      this.report(status);
    }, delayMs);
  }

  private start(): void {
    this.pollTimer = setInterval(() => this.refresh(0), this.options.pollIntervalMs);
    void this.subscribe();
  }

  private stop(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.pollTimer = this.refreshTimer = null;
    const stream = this.eventStream as (NodeJS.ReadableStream & { destroy?: () => void }) | null;
    stream?.destroy?.();
    this.eventStream = null;
    this.lastEmitted = '';
  }

  private async subscribe(): Promise<void> {
    try {
      const stream = await this.options.docker.getEvents({
        filters: JSON.stringify({ type: ['container'], label: [`${LABEL_PROJECT}=${this.options.project}`] }),
      });
      if (this.watchers === 0) return (stream as unknown as { destroy(): void }).destroy();
      this.eventStream = stream;
      stream.on('data', () => this.refresh(100));
      // The engine went away or restarted: the poll notices, and we subscribe again later.
      stream.on('error', () => undefined);
      stream.on('end', () => {
        if (this.eventStream === stream) this.eventStream = null;
      });
    } catch {
      // Engine unreachable: the poll keeps reporting that; retried on the next poll.
    }
  }

  private report(status: StackStatus): void {
    const key = JSON.stringify(status);
    if (key === this.lastEmitted) return;
    this.lastEmitted = key;
    this.options.onStatus(status);
  }
}

import { ConsoleError } from '../stack/console-error';
import type { StackManager } from '../stack/stack-manager';
import { SERVICE_TITLES } from '../stack/stack-status';
import type { HandlersFor } from './api/contract';
import type { ProcessSupervisor } from './process/process-supervisor';
import type { ProcessLogLine } from './process/process-status';
import type { LogLinesEvent, LogSourceInfo, logsMethods } from './api/logs-contract';

/** One place logs come from: a stack container today, the inference service as one more entry. */
export interface LogSource extends LogSourceInfo {
  tail(lines: number): Promise<string[]>;
  /** Calls back with lines as they are written; resolves to the stop function. */
  follow(onLines: (lines: string[]) => void, onEnd: () => void): Promise<() => void>;
}

/** A log source for each enabled stack service's container. */
export function stackLogSources(stack: StackManager): LogSource[] {
  return stack.spec.services.map(({ service }) => ({
    id: service,
    title: SERVICE_TITLES[service],
    tail: (lines) => stack.logs(service, lines),
    follow: (onLines, onEnd) => stack.followLogs(service, (line) => onLines([line]), 0, onEnd),
  }));
}

/** A supervised process's output (the inference service), the supervisor's crash lines included. */
export function processLogSource(id: string, title: string, supervisor: ProcessSupervisor): LogSource {
  const format = (l: ProcessLogLine) => `${l.time} ${l.stream === 'supervisor' ? '[supervisor] ' : ''}${l.text}`;
  return {
    id,
    title,
    tail: async (lines) => supervisor.logTail(lines).map(format),
    follow: async (onLines) => {
      const listener = (line: ProcessLogLine) => onLines([format(line)]);
      supervisor.on('log', listener);
      return () => supervisor.off('log', listener);
    },
  };
}

const BATCH_MS = 200;

/**
 * Live following shared between callers: one underlying stream per source however many follow
 * it, lines batched into `logs.lines` events, and the stream stopped when the last follower
 * leaves (or `stopAll`, when no one listens to events any more).
 */
export class LogFollowers {
  private nextId = 1;
  private readonly leases = new Map<string, string>();
  private readonly streams = new Map<string, { stop: Promise<() => void>; pending: string[]; timer: NodeJS.Timeout | null }>();

  constructor(
    readonly sources: LogSource[],
    private readonly publish: (event: LogLinesEvent) => void,
  ) {}

  source(id: string): LogSource {
    const source = this.sources.find((s) => s.id === id);
    if (!source) throw new ConsoleError('LOG_SOURCE_UNKNOWN', `There is no log source named "${id}".`, 404);
    return source;
  }

  async follow(sourceId: string): Promise<string> {
    const source = this.source(sourceId);
    if (!this.streams.has(sourceId)) {
      const entry = { stop: Promise.resolve(() => undefined) as Promise<() => void>, pending: [] as string[], timer: null as NodeJS.Timeout | null };
      const flush = (ended: boolean) => {
        if (entry.timer) clearTimeout(entry.timer);
        entry.timer = null;
        if (entry.pending.length || ended) this.publish({ source: sourceId, lines: entry.pending.splice(0), ended });
      };
      entry.stop = source.follow(
        (lines) => {
          entry.pending.push(...lines);
          entry.timer ??= setTimeout(() => flush(false), BATCH_MS);
        },
        () => {
          flush(true);
          this.drop(sourceId);
        },
      );
      this.streams.set(sourceId, entry);
      try {
        await entry.stop;
      } catch (err) {
        this.streams.delete(sourceId);
        throw err;
      }
    }
    const id = `f${this.nextId++}`;
    this.leases.set(id, sourceId);
    return id;
  }

  unfollow(followId: string): boolean {
    const sourceId = this.leases.get(followId);
    if (!sourceId) return false;
    this.leases.delete(followId);
    if (![...this.leases.values()].includes(sourceId)) this.drop(sourceId);
    return true;
  }

  stopAll(): void {
    this.leases.clear();
    for (const id of [...this.streams.keys()]) this.drop(id);
  }

  private drop(sourceId: string): void {
    const entry = this.streams.get(sourceId);
    if (!entry) return;
    this.streams.delete(sourceId);
    if (entry.timer) clearTimeout(entry.timer);
    for (const [lease, src] of this.leases) if (src === sourceId) this.leases.delete(lease);
    void entry.stop.then((stop) => stop()).catch(() => undefined);
  }
}

export function logsHandlers(followers: LogFollowers): HandlersFor<typeof logsMethods> {
  return {
    'logs.sources': async () => followers.sources.map(({ id, title }) => ({ id, title })),
    'logs.tail': async (source, { tail }) => ({ lines: await followers.source(source).tail(tail) }),
    'logs.follow': async (source) => ({ followId: await followers.follow(source) }),
    'logs.unfollow': async (followId) => ({ stopped: followers.unfollow(followId) }),
  };
}

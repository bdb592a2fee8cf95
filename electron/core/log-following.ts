import { ConsoleError } from '../../stack/console-error';
import type { StackManager } from '../../stack/engine/stack-manager';
import { SERVICE_TITLES } from '../api/schemas/stack-status';
import type { HandlersFor } from '../api/contract';
import type { Rig } from './rig';
import type { LogLinesEvent, LogSourceInfo, logsMethods } from '../api/logs-contract';

/** One place logs come from: a monitoring service's container, or the inference service. */
export interface LogSource extends LogSourceInfo {
  tail(lines: number): Promise<string[]>;
  /** Calls back with lines as they are written; resolves to the stop function. */
  follow(onLines: (lines: string[]) => void, onEnd: () => void): Promise<() => void>;
}

/** A log source for each enabled monitoring service's container. */
export function stackLogSources(stack: StackManager): LogSource[] {
  return stack.spec.services
    .filter((s) => s.service !== 'inference')
    .map(({ id, service }) => ({
      id,
      title: SERVICE_TITLES[service],
      tail: (lines) => stack.logs(id, lines),
      follow: (onLines, onEnd) => stack.followLogs(id, (line) => onLines([line]), 0, onEnd),
    }));
}

/**
 * The inference service's output as one source: every worker container's lines (each marked with
 * its worker when there are several), or the host process's log file.
 */
export function inferenceLogSource(rig: Rig): LogSource {
  const { stack, host } = rig;
  const workers = async () => (await stack.plan()).services.filter((s) => s.service === 'inference');
  const mark = (worker: string | null, many: boolean) => (line: string) => (many ? `[${worker}] ${line}` : line);
  return {
    id: 'inference',
    title: SERVICE_TITLES.inference,
    tail: async (lines) => {
      if (host) return host.logTail(lines);
      const specs = await workers();
      const each = await Promise.all(specs.map(async (w) => (await stack.logs(w.id, lines)).map(mark(w.worker, specs.length > 1))));
      return each.flat();
    },
    follow: async (onLines, onEnd) => {
      if (host) return host.followLog((line) => onLines([line]));
      const specs = await workers();
      let open = specs.length;
      const ended = () => {
        if (--open === 0) onEnd();
      };
      const stops = await Promise.all(specs.map((w) => stack.followLogs(w.id, (line) => onLines([mark(w.worker, specs.length > 1)(line)]), 0, ended)));
      return () => stops.forEach((stop) => stop());
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

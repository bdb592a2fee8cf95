import { createHook } from 'node:async_hooks';

/**
 * Every timer and socket created from now on by the load test engine or by autocannon, until it
 * is closed: what a finished run must not leave behind. Told apart by where they were created;
 * the keep-alive pool of Node's fetch, which the typed client's checks use, is the process's and
 * outlives any one caller by design.
 */
export function trackRunHandles() {
  const open = new Map<number, string>();
  let created = 0;
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 60;
  const hook = createHook({
    init(id, type) {
      if (type !== 'Timeout' && type !== 'TCPWRAP') return;
      const stack = new Error().stack ?? '';
      if (/node_modules\/autocannon\/|electron\/core\/loadtest\/[\w-]+\.ts/.test(stack) && !/deps\/undici|AbortSignal\.timeout/.test(stack)) {
        open.set(id, type);
        created++;
      }
    },
    destroy: (id) => void open.delete(id),
  }).enable();
  return {
    open: () => [...open.values()],
    /** How many it saw created: a tracker that saw nothing proves nothing. */
    created: () => created,
    stop() {
      hook.disable();
      Error.stackTraceLimit = limit;
    },
  };
}

/** The process's active resources (sockets, timers, pipes...) counted by type. */
export function activeResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

/** The types there are more of now than before, with how many more: empty when nothing was left behind. */
export function grown(before: Record<string, number>, now: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(now).flatMap(([type, n]) => (n > (before[type] ?? 0) ? [[type, n - (before[type] ?? 0)]] : [])));
}

import autocannon from 'autocannon';
import * as hdr from 'hdr-histogram-js';
import { MAX_CONCURRENCY, type LoadtestStep } from '../../api/schemas/loadtest';
import type { LoadRequest } from './request-body';

/** One autocannon instance of a step: its connections, and in the open model its share of the rate. */
export interface Shard {
  connections: number;
  overallRate?: number;
  amount?: number;
}

export interface StepLoad {
  shards: Shard[];
  /** Seconds each shard runs; or each its `amount` of requests. */
  durationS?: number;
  /** Stops the step whatever it was asked (a request count that takes too long, the run's total cap). */
  timeLimitS: number;
}

export type StepStats = Omit<LoadtestStep, 'index' | 'load'>;

export interface RunningStep {
  /** What the step measured so far; at its end, what it measured. */
  stats(): StepStats;
  /** Ends the step at once: autocannon closes its connections within one sample interval. */
  stop(): void;
  done: Promise<StepStats>;
}

/** autocannon acts on stop() at its next sample: this short, a cancel is at once. */
const SAMPLE_MS = 50;
/** Open-model shards, started evenly over the first second. */
const OPEN_SHARDS = 10;
const US_PER_MS = 1000;
const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

/** `total` in `parts` whole shares that differ by at most one. */
const split = (total: number, parts: number) => Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));

/**
 * How a step's load maps onto autocannon. Closed model: one instance, a connection per unit of
 * concurrency. Open model: autocannon's overallRate releases each connection's share of the rate
 * at the start of every second, so one instance would send the whole second's requests at once;
 * instead the rate is split over shards started a tenth of a second apart, which spreads the
 * arrivals over the second. One connection per request a second (up to the concurrency cap) lets
 * the rate hold unless the workers fall behind.
 */
/**
 * A step's latencies in ms from its histogram (µs). A percentile is read as the top of its
 * bucket, and the mean from the buckets' middles, both of which can lie above the largest value
 * recorded: they are capped there, so neither p99 nor the mean ever exceeds max.
 */
export function latencySummary(histogram: hdr.Histogram): NonNullable<StepStats['latencyMs']> {
  const max = histogram.maxValue;
  const at = (p: number) => round(Math.min(histogram.getValueAtPercentile(p), max) / US_PER_MS);
  return { p50: at(50), p90: at(90), p95: at(95), p99: at(99), max: round(max / US_PER_MS), mean: round(Math.min(histogram.mean, max) / US_PER_MS) };
}

export function planShards(mode: 'closed' | 'open', load: number, amount?: number): Shard[] {
  if (mode === 'closed') return [{ connections: amount ? Math.min(load, amount) : load, ...(amount ? { amount } : {}) }];
  const connections = Math.min(load, MAX_CONCURRENCY, amount ?? Infinity);
  const parts = Math.min(OPEN_SHARDS, connections);
  const rates = split(load, parts);
  const amounts = amount ? split(amount, parts) : null;
  return split(connections, parts).map((c, i) => ({ connections: c, overallRate: rates[i]!, ...(amounts ? { amount: amounts[i]! } : {}) }));
}

interface ShardRun {
  /** An open shard's schedule in seconds (its requests at its rate): its time for throughput once it ran it all. */
  paced: number | null;
  started: number | null;
  lastAnswer: number | null;
  ended: number | null;
  ok: number;
  stop(): void;
  done: Promise<void>;
}

/**
 * Runs one step with autocannon against every target URL: autocannon gives its connections to
 * the URLs in turn, and each shard starts one URL further, so the workers share the load round
 * robin. Latencies of 2xx answers go to one HDR histogram in microseconds; every other answer, and
 * every request no answer came to, is counted by its status. Throughput is each shard's 2xx
 * answers over its own running time, added up: a shard that started late does not dilute it.
 */
export function startStep(urls: string[], req: LoadRequest, load: StepLoad): RunningStep {
  const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  const errors: Record<string, number> = {};
  const count = (key: string) => (errors[key] = (errors[key] ?? 0) + 1);
  const targets = urls.map((u) => new URL(req.path, u).href);
  const startedAt = performance.now();
  let requests = 0;
  let ok = 0;
  let stopped = false;
  let final: StepStats | null = null;

  const runShard = (shard: Shard, i: number): ShardRun => {
    // autocannon releases an open shard's requests at the start of each second, so the time it
    // ran says little of its rate: its schedule does. A timed one ends a little before its last
    // second is up, so that it opens no extra second.
    const paced = shard.overallRate ? (shard.amount ? shard.amount / shard.overallRate : (load.durationS ?? null)) : null;
    const run: ShardRun = { paced, started: null, lastAnswer: null, ended: null, ok: 0, stop: () => {}, done: Promise.resolve() };
    run.done = new Promise<void>((resolve, reject) => {
      const launch = () => {
        run.started = performance.now();
        const instance = autocannon(
          {
            // An array of URLs is autocannon's own round robin; its types know only one.
            url: [...targets.slice(i % targets.length), ...targets.slice(0, i % targets.length)] as unknown as string,
            method: 'POST',
            body: req.body,
            headers: req.headers,
            ...shard,
            ...(shard.amount ? {} : { duration: paced ? paced - (2 * SAMPLE_MS) / 1000 : load.durationS }),
            sampleInt: SAMPLE_MS,
            // Its own aggregate is not used: the histogram and counts here are the step's record.
            skipAggregateResult: true,
          },
          (err) => {
            run.ended = performance.now();
            if (err) reject(err instanceof Error ? err : new Error(String(err)));
            else resolve();
          },
        );
        instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
          requests++;
          run.lastAnswer = performance.now();
          if (status < 200 || status >= 300) return void count(String(status));
          ok++;
          run.ok++;
          histogram.recordValue(Math.max(1, Math.round(ms * US_PER_MS)));
        });
        instance.on('reqError', (err: Error) => count(err.message === 'request timed out' ? 'timeout' : 'connection'));
        run.stop = () => instance.stop();
      };
      const delay = (i * 1000) / load.shards.length;
      if (i === 0) return launch();
      // Thrown in a timer, autocannon's refusal of its options would escape the step otherwise.
      const timer = setTimeout(() => {
        try {
          launch();
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      }, delay);
      run.stop = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    return run;
  };

  const stats = (): StepStats => {
    if (final) return final;
    const now = performance.now();
    const throughput = shards.reduce((sum, s) => {
      if (s.started === null) return sum;
      const ran = ((s.ended ?? now) - s.started) / 1000;
      // A saturated worker answers after the schedule: then the time to the last answer counts.
      const seconds = s.paced && s.ended !== null && !stopped ? Math.max(s.paced, ((s.lastAnswer ?? s.ended) - s.started) / 1000) : ran;
      return seconds > 0 ? sum + s.ok / seconds : sum;
    }, 0);
    return {
      durationS: round((now - startedAt) / 1000),
      requests,
      throughput: round(throughput, 1),
      latencyMs: ok === 0 ? null : latencySummary(histogram),
      errors: { ...errors },
      cutShort: stopped,
    };
  };

  const shards = load.shards.map(runShard);
  const stop = () => {
    stopped = true;
    for (const s of shards) s.stop();
  };
  const limit = setTimeout(stop, load.timeLimitS * 1000);
  // A failed shard stops the others, and the step ends only once every one has: none is left running.
  const done = Promise.allSettled(
    shards.map((s) =>
      s.done.catch((err: unknown) => {
        stop();
        throw err;
      }),
    ),
  )
    .then((settled) => {
      const failed = settled.find((s) => s.status === 'rejected');
      if (failed) throw failed.reason;
      final = stats();
      return final;
    })
    .finally(() => {
      clearTimeout(limit);
      histogram.destroy();
    });
  return { stats, stop, done };
}

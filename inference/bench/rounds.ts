// How bench:inference measures and prints. This VM's latency drifts by 2x within seconds, so the
// sides of a comparison alternate in rounds (the order rotated each round) and each figure is the
// median over the rounds: a noisy stretch hits every side, not one. Ratios between sides are the
// median of per-round ratios, as each round's sides ran back to back.

export interface Stats {
  p50: number;
  p99: number;
  mean: number;
  throughput: number;
}

// Many short rounds: each side's round sits next to the others' within about a second, so the
// per-round ratios see the same stretch of the VM's drift.
export const ROUNDS = 21;

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

function stats(samples: number[], wallMs: number): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p99: at(0.99), mean: samples.reduce((a, b) => a + b, 0) / samples.length, throughput: (samples.length / wallMs) * 1000 };
}

/** Runs `task` `total` times with `concurrency` loops; returns per-call latencies (ms) and stats. */
export async function measure(total: number, concurrency: number, task: () => Promise<void>): Promise<Stats> {
  const samples: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < total) {
        const t = performance.now();
        await task();
        samples.push(performance.now() - t);
      }
    }),
  );
  return stats(samples, performance.now() - started);
}

/** Each task measured in `count` rounds of total/count calls, the order rotated every round; each task's rounds. */
export async function measureRounds(total: number, concurrency: number, tasks: Array<() => Promise<void>>, count = ROUNDS): Promise<Stats[][]> {
  const rounds: Stats[][] = tasks.map(() => []);
  for (let r = 0; r < count; r++) {
    for (let k = 0; k < tasks.length; k++) {
      const i = (k + r) % tasks.length;
      rounds[i]!.push(await measure(Math.ceil(total / count), concurrency, tasks[i]!));
    }
  }
  return rounds;
}

/** Per figure, the median round. */
export const medianStats = (rs: Stats[]): Stats => ({
  p50: median(rs.map((s) => s.p50)),
  p99: median(rs.map((s) => s.p99)),
  mean: median(rs.map((s) => s.mean)),
  throughput: median(rs.map((s) => s.throughput)),
});

export interface Versus {
  p50: number;
  p50Ms: number;
  throughput: number;
}

/** `b` against `a` over paired rounds. */
export function versus(a: Stats[], b: Stats[]): Versus {
  const each = (f: (x: Stats, y: Stats) => number) => median(a.map((x, r) => f(x, b[r]!)));
  return { p50: each((x, y) => y.p50 / x.p50), p50Ms: each((x, y) => y.p50 - x.p50), throughput: each((x, y) => y.throughput / x.throughput) };
}

export const fmt = (s: Stats) => `p50 ${s.p50.toFixed(3)} ms  p99 ${s.p99.toFixed(3)} ms  ${s.throughput.toFixed(0)} req/s`;
export const fmtVersus = (v: Versus) => `p50 x${v.p50.toFixed(3)} (${v.p50Ms >= 0 ? '+' : ''}${v.p50Ms.toFixed(3)} ms), throughput x${v.throughput.toFixed(2)}`;
export const ms = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(3)} ms`;
export const LABEL_WIDTH = 22;
export const line = (label: string, text: string) => process.stdout.write(`${' '.repeat(18)}${label.padEnd(LABEL_WIDTH)}${text}\n`);

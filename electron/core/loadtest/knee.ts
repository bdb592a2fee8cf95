import type { LoadtestStep } from '../../api/schemas/loadtest';

/** How much faster p95 must grow than throughput, between two steps, to be more than run-to-run noise. */
export const KNEE_TOLERANCE = 0.1;

type KneeStep = Pick<LoadtestStep, 'index' | 'load' | 'throughput' | 'latencyMs' | 'cutShort'>;

/**
 * The knee of a sweep: the step after which p95 latency grows faster than throughput. While the
 * workers keep up, more load brings proportionally more throughput at about the same latency;
 * past saturation throughput flattens and the extra requests only queue, so p95 grows by a larger
 * factor than throughput does. Taking the steps by increasing load, the first step i where
 *
 *   p95[i] / p95[i-1]  >  throughput[i] / throughput[i-1] * (1 + KNEE_TOLERANCE)
 *
 * makes step i-1 the knee; so does a step with no 2xx answer after one that had some. Steps cut
 * short (cancelled) are left out. Null when no step qualifies, or there are fewer than two.
 */
export function findKnee(steps: readonly KneeStep[]): number | null {
  const full = steps.filter((s) => !s.cutShort).sort((a, b) => a.load - b.load);
  for (let i = 1; i < full.length; i++) {
    const prev = full[i - 1]!;
    const cur = full[i]!;
    if (!prev.latencyMs || prev.throughput <= 0 || prev.latencyMs.p95 <= 0) continue;
    if (!cur.latencyMs || cur.throughput <= 0) return prev.index;
    const latencyGrowth = cur.latencyMs.p95 / prev.latencyMs.p95;
    const throughputGrowth = cur.throughput / prev.throughput;
    if (latencyGrowth > throughputGrowth * (1 + KNEE_TOLERANCE)) return prev.index;
  }
  return null;
}

import { MAX_POINTS_PER_SERIES } from '../../api/monitoring-contract';
import type { SampleGrid } from './firing-periods';

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 };

/** A Prometheus duration (`30s`, `1m30s`, `250ms`; settings.ts checks the form) in seconds. */
export function promDurationSeconds(duration: string): number {
  let seconds = 0;
  for (const [, n, unit] of duration.matchAll(/([0-9]+)(ms|s|m|h|d|w|y)/g)) seconds += Number(n) * UNIT_SECONDS[unit!]!;
  if (!(seconds > 0)) throw new RangeError(`not a positive Prometheus duration: ${duration}`);
  return seconds;
}

/**
 * The grid to sample `ALERTS` on over [start, end]: one sample per rule evaluation, since an
 * alert changes state only when its rule is evaluated (finer samples would repeat the same
 * evaluation), unless the range holds more evaluations than Prometheus returns points; then the
 * finest step it allows (7 days at a 30 s interval: 55 s). Start and end are aligned down to the
 * step so that every refresh samples the same times and a period keeps its edges. One point is
 * kept spare for the alignment, which can add one.
 */
export function historyGrid(start: number, end: number, evaluationSeconds: number): SampleGrid {
  const finest = (end - start) / (MAX_POINTS_PER_SERIES - 1);
  // Whole seconds when the limit decides: a step of 55 s reads better than 54.986 s.
  const step = finest > evaluationSeconds ? Math.ceil(finest) : evaluationSeconds;
  return { start: Math.floor(start / step) * step, end: Math.floor(end / step) * step, step };
}

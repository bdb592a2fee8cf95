import type { LoadtestProgress, LoadtestSpec, LoadtestStep, LoadtestSummary } from '../../../electron/api/schemas/loadtest';

/** Pure helpers of the Load tests page: numbers as shown, the run's progress, the chart's points. */

export const DASH = '–';

/** Milliseconds with two decimals below 10 ms, where a sub-millisecond model's changes show. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return DASH;
  return ms.toFixed(ms < 10 ? 2 : 1);
}

export function formatRate(perSecond: number | null | undefined): string {
  return perSecond === null || perSecond === undefined ? DASH : perSecond.toFixed(1);
}

/** Answers that were not 2xx by status, most frequent first: `503 × 12, timeout × 1`. */
export function formatErrors(errors: Record<string, number>): string {
  const entries = Object.entries(errors).filter(([, n]) => n > 0);
  if (entries.length === 0) return 'none';
  return entries
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([status, n]) => `${status} × ${n}`)
    .join(', ');
}

/** A delta in percent with its sign (a true minus sign), or a dash where there is nothing to compare. */
export function formatDelta(pct: number | null): string {
  if (pct === null) return DASH;
  return `${pct > 0 ? '+' : pct < 0 ? '−' : '±'}${Math.abs(pct).toFixed(1)}%`;
}

export function loadLabel(mode: LoadtestSpec['mode']): string {
  return mode === 'closed' ? 'Concurrency' : 'Rate (req/s)';
}

type Plan = Pick<LoadtestSpec, 'warmup' | 'duration' | 'requests'>;

/**
 * How far a run is, 0 to 1. A timed run by the clock (each step's warm-up and duration); a
 * request-count run by steps done and the measured step's share of its requests, its warm-up
 * counted as the step's start.
 */
export function runFraction(p: LoadtestProgress, plan: Plan): number {
  const stepShare = (): number => {
    if (plan.duration !== undefined) {
      const stepS = plan.warmup + plan.duration;
      const doneS = p.phase === 'measure' ? plan.warmup + p.elapsedS : p.elapsedS;
      return stepS > 0 ? doneS / stepS : 0;
    }
    return p.phase === 'measure' && plan.requests ? p.requests / plan.requests : 0;
  };
  const fraction = (p.step + Math.min(1, Math.max(0, stepShare()))) / Math.max(1, p.steps);
  return Math.min(1, fraction);
}

export interface ChartPoint {
  load: number;
  throughput: number;
  p95: number;
}

/** The sweep's points by increasing load: throughput (x) against p95 (y); a step with no 2xx answer has no point. */
export function chartPoints(steps: readonly LoadtestStep[]): ChartPoint[] {
  return steps
    .filter((s) => s.latencyMs !== null)
    .map((s) => ({ load: s.load, throughput: s.throughput, p95: s.latencyMs!.p95 }))
    .sort((a, b) => a.load - b.load);
}

/** The knee's point, when the run has one and the step had answers. */
export function kneePoint(steps: readonly LoadtestStep[], knee: number | null): ChartPoint | null {
  const step = knee === null ? undefined : steps.find((s) => s.index === knee);
  return step?.latencyMs ? { load: step.load, throughput: step.throughput, p95: step.latencyMs.p95 } : null;
}

/** Saved runs a run can be compared with: the same model and load model, finished, not itself. */
export function baselineCandidates(runs: readonly LoadtestSummary[], run: { id?: string; model: string; mode: string }): LoadtestSummary[] {
  return runs.filter((r) => r.id !== run.id && r.status !== 'running' && r.model === run.model && r.mode === run.mode);
}

/** A run as a list shows it: when it started (local time), its model and load model. */
export function runLabel(r: Pick<LoadtestSummary, 'startedAt' | 'model' | 'mode' | 'steps'>): string {
  return `${new Date(r.startedAt).toLocaleString()} · ${r.model} · ${r.mode} · ${r.steps} step${r.steps === 1 ? '' : 's'}`;
}

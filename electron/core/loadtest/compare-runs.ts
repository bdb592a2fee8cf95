import type { LoadtestComparison, LoadtestResult } from '../../api/schemas/loadtest';
import { FieldErrors } from '../../../stack/console-error';

/**
 * When a step counts as a regression against its baseline: throughput more than 10% lower, or
 * p95 more than 10% higher. A p95 rise must also be at least half a millisecond, since on a
 * sub-millisecond model 10% is timer and scheduler noise, not a slower service.
 */
export const REGRESSION_THRESHOLDS = { throughputDropPct: 10, p95RisePct: 10, p95MinRiseMs: 0.5 } as const;

const pct = (run: number | null, base: number | null) => (run === null || base === null || base === 0 ? null : Math.round(((run - base) / base) * 1000) / 10);

/** Only runs of one model in one load model compare: otherwise no step means the same. */
export function assertComparable(run: { model: string; mode: string }, baseline: LoadtestResult): void {
  const { model, mode } = baseline.spec;
  if (run.model === model && run.mode === mode) return;
  const message = `baseline ${baseline.id} ran ${model} in the ${mode} model, not ${run.model} in the ${run.mode} model: compare runs of the same model and mode`;
  throw new FieldErrors('LOADTEST_NOT_COMPARABLE', `No comparison: ${message}.`, [{ path: 'baseline', message }]);
}

/**
 * A run beside a baseline of the same model and mode, step by step of equal load (a step the
 * baseline did not run has nulls there). Deltas are the run's minus the baseline's, in percent.
 */
export function compareRuns(run: LoadtestResult, baseline: LoadtestResult): LoadtestComparison {
  assertComparable(run.spec, baseline);
  const { throughputDropPct, p95RisePct, p95MinRiseMs } = REGRESSION_THRESHOLDS;
  const steps = run.steps.map((step) => {
    const base = baseline.steps.find((b) => b.load === step.load) ?? null;
    const p95 = step.latencyMs?.p95 ?? null;
    const baseP95 = base?.latencyMs?.p95 ?? null;
    const throughputDelta = pct(step.throughput, base?.throughput ?? null);
    const p95Delta = pct(p95, baseP95);
    const slower = p95 !== null && baseP95 !== null && p95Delta !== null && p95Delta > p95RisePct && p95 - baseP95 >= p95MinRiseMs;
    const fewer = throughputDelta !== null && throughputDelta < -throughputDropPct;
    return {
      load: step.load,
      throughput: { run: step.throughput, baseline: base?.throughput ?? null, deltaPct: throughputDelta },
      p95Ms: { run: p95, baseline: baseP95, deltaPct: p95Delta },
      regression: slower || fewer,
    };
  });
  return { baselineId: baseline.id, thresholds: { ...REGRESSION_THRESHOLDS }, steps, regression: steps.some((s) => s.regression) };
}

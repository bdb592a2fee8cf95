import { describe, expect, it } from 'vitest';
import { compareRuns, REGRESSION_THRESHOLDS } from './compare-runs';
import { result, step } from './testing/loadtest-fixtures';

const baseline = result('20260101-000000-aaaa', [step(0, 1, 400, 2), step(1, 4, 1000, 5), step(2, 16, 1100, 20)]);

describe('comparison with a baseline', () => {
  it('gives per-step deltas in percent, and no regression within the thresholds', () => {
    const run = result('20260102-000000-bbbb', [step(0, 1, 380, 2.1), step(1, 4, 1050, 5.2), step(2, 16, 1100, 21)]);
    const c = compareRuns(run, baseline);
    expect(c).toMatchObject({ baselineId: baseline.id, thresholds: REGRESSION_THRESHOLDS, regression: false });
    expect(c.steps[0]).toEqual({ load: 1, throughput: { run: 380, baseline: 400, deltaPct: -5 }, p95Ms: { run: 2.1, baseline: 2, deltaPct: 5 }, regression: false });
    expect(c.steps[1]!.throughput.deltaPct).toBe(5);
  });

  it('flags a step whose throughput dropped by more than the threshold', () => {
    const c = compareRuns(result('20260102-000000-bbbb', [step(0, 1, 400, 2), step(1, 4, 850, 5)]), baseline);
    expect(c.steps.map((s) => s.regression)).toEqual([false, true]);
    expect(c.steps[1]!.throughput.deltaPct).toBe(-15);
    expect(c.regression).toBe(true);
  });

  it('flags a p95 rise beyond the threshold, unless it is below the absolute floor', () => {
    const slower = compareRuns(result('20260102-000000-bbbb', [step(0, 4, 1000, 6)]), baseline);
    expect(slower.steps[0]).toMatchObject({ p95Ms: { deltaPct: 20 }, regression: true });
    // 2 ms -> 2.4 ms is +20%, but 0.4 ms: noise on a fast model.
    const noise = compareRuns(result('20260102-000000-bbbb', [step(0, 1, 400, 2.4)]), baseline);
    expect(noise.steps[0]).toMatchObject({ p95Ms: { deltaPct: 20 }, regression: false });
  });

  it('leaves a step the baseline did not run without deltas', () => {
    const c = compareRuns(result('20260102-000000-bbbb', [step(0, 2, 700, 3)]), baseline);
    expect(c.steps[0]).toEqual({ load: 2, throughput: { run: 700, baseline: null, deltaPct: null }, p95Ms: { run: 3, baseline: null, deltaPct: null }, regression: false });
  });

  it('refuses a baseline of another model, naming the field', () => {
    expect(() => compareRuns(result('20260102-000000-bbbb', [step(0, 1, 1, 1)], 'resnet'), baseline)).toThrow(expect.objectContaining({ status: 400, issues: [expect.objectContaining({ path: 'baseline' })] }));
  });
});

import { describe, expect, it } from 'vitest';
import type { LoadtestProgress, LoadtestStep, LoadtestSummary } from '../../../electron/api/schemas/loadtest';
import { baselineCandidates, chartPoints, formatDelta, formatErrors, formatMs, kneePoint, runFraction } from './figures';

const step = (index: number, load: number, throughput: number, p95: number | null): LoadtestStep => ({
  index,
  load,
  durationS: 1,
  requests: throughput,
  throughput,
  latencyMs: p95 === null ? null : { p50: p95 / 2, p90: p95, p95, p99: p95, max: p95, mean: p95 },
  errors: {},
  cutShort: false,
});

const progress = (over: Partial<LoadtestProgress>): LoadtestProgress => ({ id: '20260101-000000-abcd', status: 'running', step: 0, steps: 3, phase: 'measure', load: 1, elapsedS: 0, requests: 0, throughput: 0, latencyMs: null, errors: {}, ...over });

describe('load test figures', () => {
  it('formats milliseconds, errors and deltas', () => {
    expect(formatMs(0.4567)).toBe('0.46');
    expect(formatMs(123.45)).toBe('123.5');
    expect(formatMs(null)).toBe('–');
    expect(formatErrors({})).toBe('none');
    expect(formatErrors({ timeout: 1, '503': 12, '500': 0 })).toBe('503 × 12, timeout × 1');
    expect(formatDelta(3.24)).toBe('+3.2%');
    expect(formatDelta(-12)).toBe('−12.0%');
    expect(formatDelta(0)).toBe('±0.0%');
    expect(formatDelta(null)).toBe('–');
  });

  it("measures a timed run by the clock, warm-ups included, and a counted one by its requests", () => {
    const timed = { warmup: 1, duration: 1 };
    expect(runFraction(progress({ step: 0, phase: 'warmup', elapsedS: 0.5 }), timed)).toBeCloseTo(0.25 / 3);
    expect(runFraction(progress({ step: 1, phase: 'measure', elapsedS: 1 }), timed)).toBeCloseTo(2 / 3);
    expect(runFraction(progress({ step: 2, phase: 'measure', elapsedS: 1.3 }), timed)).toBe(1);
    const counted = { warmup: 0, requests: 100 };
    expect(runFraction(progress({ step: 1, steps: 2, requests: 50 }), counted)).toBeCloseTo(0.75);
  });

  it('plots the steps with answers by load and finds the knee among them', () => {
    const steps = [step(1, 4, 200, 8), step(0, 1, 100, 2), step(2, 16, 0, null)];
    expect(chartPoints(steps)).toEqual([
      { load: 1, throughput: 100, p95: 2 },
      { load: 4, throughput: 200, p95: 8 },
    ]);
    expect(kneePoint(steps, 1)).toEqual({ load: 4, throughput: 200, p95: 8 });
    expect(kneePoint(steps, 2)).toBeNull();
    expect(kneePoint(steps, null)).toBeNull();
  });

  it('offers as baselines only finished runs of the same model and mode', () => {
    const run = (id: string, model: string, mode: 'closed' | 'open', status: LoadtestSummary['status'] = 'completed'): LoadtestSummary => ({ id, status, model, mode, target: 'all', startedAt: '', steps: 1, knee: null, peakThroughput: 1 });
    const runs = [run('a', 'digits', 'closed'), run('b', 'digits', 'open'), run('c', 'other', 'closed'), run('d', 'digits', 'closed', 'running'), run('e', 'digits', 'closed', 'cancelled')];
    expect(baselineCandidates(runs, { id: 'a', model: 'digits', mode: 'closed' }).map((r) => r.id)).toEqual(['e']);
    expect(baselineCandidates(runs, { model: 'digits', mode: 'closed' }).map((r) => r.id)).toEqual(['a', 'e']);
  });
});

import { describe, expect, it } from 'vitest';
import type { AlertHistory } from '../../../electron/api/schemas/alert-history';
import { bandColor, bandRange, clipBands, describeBand, firingBands, type FiringBand } from './firing-bands';

describe('firingBands', () => {
  it('draws every period in ms; one still firing runs to the end sampled', () => {
    const history: AlertHistory = {
      start: 1000,
      end: 2000,
      step: 10,
      evaluationSeconds: 10,
      entries: [
        {
          alertname: 'APIDown',
          severity: 'critical',
          labels: { alertname: 'APIDown' },
          count: 2,
          periods: [
            { start: 1100, end: 1200, durationSeconds: 100, startedBeforeRange: false },
            { start: 1900, end: null, durationSeconds: 100, startedBeforeRange: false },
          ],
        },
        { alertname: 'HighLatency', severity: null, labels: {}, count: 1, periods: [{ start: 1000, end: 1050, durationSeconds: 50, startedBeforeRange: true }] },
      ],
    };
    expect(firingBands(history)).toEqual([
      { start: 1_100_000, end: 1_200_000, alertname: 'APIDown', severity: 'critical' },
      { start: 1_900_000, end: 2_000_000, alertname: 'APIDown', severity: 'critical' },
      { start: 1_000_000, end: 1_050_000, alertname: 'HighLatency', severity: null },
    ]);
  });

  it('runs a band still firing to the chart\'s end when asked', () => {
    const history: AlertHistory = {
      start: 1000,
      end: 1980,
      step: 30,
      evaluationSeconds: 30,
      entries: [{ alertname: 'A', severity: 'warning', labels: {}, count: 1, periods: [{ start: 1900, end: null, durationSeconds: 80, startedBeforeRange: false }] }],
    };
    expect(firingBands(history, 2000).map((b) => b.end)).toEqual([2_000_000]);
  });

  it('has none for an empty history', () => {
    expect(firingBands({ start: 0, end: 60, step: 30, evaluationSeconds: 30, entries: [] })).toEqual([]);
  });
});

describe('bandRange', () => {
  it('rounds outwards to whole seconds', () => {
    expect(bandRange(1000.4, 1900.2)).toEqual({ start: 1000, end: 1901 });
  });

  it('keeps the last 7 days of a longer range', () => {
    expect(bandRange(0, 30 * 86_400)).toEqual({ start: 23 * 86_400, end: 30 * 86_400 });
  });

  it('has none for a range under a minute', () => {
    expect(bandRange(1000, 1030)).toBeNull();
    expect(bandRange(1000, 1060)).toEqual({ start: 1000, end: 1060 });
  });
});

describe('bandColor', () => {
  it('is red for critical, amber otherwise', () => {
    expect(bandColor('critical')).toBe('var(--bad)');
    expect(bandColor('warning')).toBe('var(--busy)');
    expect(bandColor(null)).toBe('var(--busy)');
  });
});

describe('clipBands', () => {
  const band = (start: number, end: number): FiringBand => ({ start, end, alertname: 'A', severity: 'warning' });
  it('cuts bands to the chart and drops those outside it', () => {
    expect(clipBands([band(0, 50), band(50, 150), band(120, 300), band(400, 500), band(100, 200)], 100, 200)).toEqual([band(100, 150), band(120, 200), band(100, 200)]);
  });
});

describe('describeBand', () => {
  it('names the alert, its severity and its times', () => {
    const b = { start: Date.UTC(2025, 0, 1, 10, 1), end: Date.UTC(2025, 0, 1, 10, 3), alertname: 'APIDown', severity: 'critical' };
    expect(describeBand(b)).toBe(`APIDown (critical) firing ${new Date(b.start).toLocaleTimeString()} – ${new Date(b.end).toLocaleTimeString()}`);
    expect(describeBand({ ...b, severity: null })).toMatch(/^APIDown firing /);
  });
});

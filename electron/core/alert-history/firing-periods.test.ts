import { describe, expect, it } from 'vitest';
import { firingPeriods, historyEntries, type SampledSeries } from './firing-periods';

// A range of 20 samples every 10 s: 1000, 1010, …, 1190.
const grid = { start: 1000, end: 1190, step: 10 };
const times = (...ranges: [number, number][]) => ranges.flatMap(([from, to]) => Array.from({ length: (to - from) / 10 + 1 }, (_, i) => from + i * 10));
const series = (metric: Record<string, string>, ts: number[]): SampledSeries => ({ metric, values: ts.map((t) => [t, '1']) });

describe('firingPeriods', () => {
  it('finds nothing in no samples', () => {
    expect(firingPeriods([], grid)).toEqual([]);
  });

  it('makes one period of consecutive samples, ending one step after the last', () => {
    expect(firingPeriods(times([1050, 1080]), grid)).toEqual([{ start: 1050, end: 1090, durationSeconds: 40, startedBeforeRange: false }]);
  });

  it('splits at a gap of a single missing sample: an evaluation saw it resolved', () => {
    expect(firingPeriods(times([1020, 1040], [1060, 1070]), grid)).toEqual([
      { start: 1020, end: 1050, durationSeconds: 30, startedBeforeRange: false },
      { start: 1060, end: 1080, durationSeconds: 20, startedBeforeRange: false },
    ]);
  });

  it('gives a one-sample period one step of duration', () => {
    expect(firingPeriods([1100], grid)).toEqual([{ start: 1100, end: 1110, durationSeconds: 10, startedBeforeRange: false }]);
  });

  it('leaves the end open for a period still firing at the range end, its duration up to the range end', () => {
    expect(firingPeriods(times([1150, 1190]), grid)).toEqual([{ start: 1150, end: null, durationSeconds: 40, startedBeforeRange: false }]);
  });

  it('closes a period whose last sample is one before the range end', () => {
    expect(firingPeriods(times([1150, 1180]), grid)).toEqual([{ start: 1150, end: 1190, durationSeconds: 40, startedBeforeRange: false }]);
  });

  it('marks a period firing at the range start as started before it', () => {
    expect(firingPeriods(times([1000, 1030]), grid)).toEqual([{ start: 1000, end: 1040, durationSeconds: 40, startedBeforeRange: true }]);
  });

  it('takes a period firing over the whole range as started before and still firing', () => {
    expect(firingPeriods(times([1000, 1190]), grid)).toEqual([{ start: 1000, end: null, durationSeconds: 190, startedBeforeRange: true }]);
  });

  it('is not split by timestamps off the grid by float noise', () => {
    expect(firingPeriods([1050.001, 1059.999, 1070.002], grid)).toEqual([{ start: 1050.001, end: 1080.002, durationSeconds: expect.closeTo(30.001, 6), startedBeforeRange: false }]);
  });

  it('works on a fractional step', () => {
    const fine = { start: 10, end: 12, step: 0.25 };
    expect(firingPeriods([10.5, 10.75, 11, 11.75], fine)).toEqual([
      { start: 10.5, end: 11.25, durationSeconds: 0.75, startedBeforeRange: false },
      { start: 11.75, end: 12, durationSeconds: 0.25, startedBeforeRange: false },
    ]);
  });
});

describe('historyEntries', () => {
  it('groups periods per alert series, drops the series-only labels, most recent first', () => {
    const entries = historyEntries(
      [
        series({ __name__: 'ALERTS', alertname: 'APIDown', alertstate: 'firing', severity: 'critical', gpu: 'card0' }, times([1010, 1020], [1100, 1110])),
        series({ __name__: 'ALERTS', alertname: 'APIDown', alertstate: 'firing', severity: 'critical', gpu: 'card1' }, times([1030, 1040])),
        series({ __name__: 'ALERTS', alertname: 'HighLatency', alertstate: 'firing', severity: 'warning' }, times([1150, 1190])),
      ],
      grid,
    );
    expect(entries.map((e) => [e.alertname, e.labels.gpu, e.count])).toEqual([
      ['HighLatency', undefined, 1],
      ['APIDown', 'card0', 2],
      ['APIDown', 'card1', 1],
    ]);
    expect(entries[1]).toEqual({
      alertname: 'APIDown',
      severity: 'critical',
      labels: { alertname: 'APIDown', severity: 'critical', gpu: 'card0' },
      periods: [
        { start: 1010, end: 1030, durationSeconds: 20, startedBeforeRange: false },
        { start: 1100, end: 1120, durationSeconds: 20, startedBeforeRange: false },
      ],
      count: 2,
    });
    expect(entries[0]!.periods[0]!.end).toBeNull();
  });

  it('gives a series without severity a null one, and leaves out a series without samples', () => {
    const entries = historyEntries([series({ alertname: 'Custom' }, [1100]), series({ alertname: 'Empty' }, [])], grid);
    expect(entries).toEqual([{ alertname: 'Custom', severity: null, labels: { alertname: 'Custom' }, periods: [expect.objectContaining({ start: 1100 })], count: 1 }]);
  });

  it('orders entries with the same latest start by name', () => {
    const entries = historyEntries([series({ alertname: 'B' }, [1100]), series({ alertname: 'A' }, [1100])], grid);
    expect(entries.map((e) => e.alertname)).toEqual(['A', 'B']);
  });
});

import { describe, expect, it } from 'vitest';
import { MAX_POINTS_PER_SERIES } from '../../api/monitoring-contract';
import { historyGrid, promDurationSeconds } from './history-grid';

describe('promDurationSeconds', () => {
  it.each([
    ['30s', 30],
    ['2m', 120],
    ['1m30s', 90],
    ['250ms', 0.25],
    ['1h', 3600],
    ['1d', 86_400],
    ['1w', 604_800],
  ])('%s is %d s', (d, s) => {
    expect(promDurationSeconds(d)).toBe(s);
  });

  it('refuses a zero or unreadable duration', () => {
    expect(() => promDurationSeconds('0s')).toThrow(/positive/);
    expect(() => promDurationSeconds('soon')).toThrow(/positive/);
  });
});

describe('historyGrid', () => {
  const now = 1_750_000_000;
  const points = (g: { start: number; end: number; step: number }) => (g.end - g.start) / g.step;

  it.each([
    [3600, 30, 30],
    [6 * 3600, 30, 30],
    [24 * 3600, 30, 30],
    [24 * 3600, 2, 8],
    [7 * 86_400, 30, 55],
    [7 * 86_400, 60, 60],
    [600, 0.25, 0.25],
  ])('over %d s at a %d s interval samples every %d s', (range, interval, step) => {
    const g = historyGrid(now - range, now, interval);
    expect(g.step).toBe(step);
    expect(points(g)).toBeLessThanOrEqual(MAX_POINTS_PER_SERIES);
  });

  it('aligns both ends down to the step, so refreshes sample the same times', () => {
    expect(historyGrid(1005, 1097, 10)).toEqual({ start: 1000, end: 1090, step: 10 });
    expect(historyGrid(1009, 1099, 10)).toEqual(historyGrid(1001, 1091, 10));
  });

  it('stays within the points limit when alignment adds a point', () => {
    const g = historyGrid(now - 7 * 86_400 + 1, now, 1);
    expect(points(g)).toBeLessThanOrEqual(MAX_POINTS_PER_SERIES);
  });
});

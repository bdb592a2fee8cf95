import { describe, expect, it } from 'vitest';
import { legendFor, onlyGaps, toChartRows } from './chart-data';

describe('legendFor', () => {
  it('fills a template from labels, or names the series by its labels', () => {
    expect(legendFor({ model: 'resnet' }, '{{model}} p95')).toBe('resnet p95');
    expect(legendFor({ __name__: 'up', job: 'prometheus', instance: 'localhost:9090' })).toBe('up{job="prometheus", instance="localhost:9090"}');
    expect(legendFor({})).toBe('{}');
  });
});

describe('toChartRows', () => {
  it('joins series by timestamp in ms and turns NaN into gaps', () => {
    const { rows, lines } = toChartRows([
      { series: [{ metric: {}, values: [[10, '1'], [20, '2']] }], legend: 'a' },
      { series: [{ metric: { status: '500' }, values: [[20, 'NaN'], [30, '3']] }], legend: '{{status}}' },
    ]);
    expect(lines).toEqual([
      { key: 's0', name: 'a' },
      { key: 's1', name: '500' },
    ]);
    expect(rows).toEqual([
      { t: 10_000, s0: 1 },
      { t: 20_000, s0: 2, s1: null },
      { t: 30_000, s1: 3 },
    ]);
    expect(onlyGaps(rows, lines)).toBe(false);
    expect(onlyGaps([{ t: 1, s0: null }], [{ key: 's0', name: 'x' }])).toBe(true);
  });
});

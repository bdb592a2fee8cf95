import { describe, expect, it } from 'vitest';
import { MAX_HISTORY_SECONDS, MIN_HISTORY_SECONDS } from '../../../electron/api/monitoring-contract';
import { metricsView } from '../metrics/metrics-view';
import { chartsHref, chartWindow, HISTORY_RANGES, nothingFiredText, resolutionText } from './history-view';

const now = 1_750_000_000;

describe('chartWindow', () => {
  it('pads a short period by 5 minutes each side', () => {
    expect(chartWindow({ start: now - 3600, end: now - 3540 }, now)).toEqual({ start: now - 3900, end: now - 3240 });
  });

  it('pads a long period by a quarter of its length each side', () => {
    expect(chartWindow({ start: now - 20_000, end: now - 8000 }, now)).toEqual({ start: now - 23_000, end: now - 5000 });
  });

  it('never reaches past now', () => {
    expect(chartWindow({ start: now - 120, end: now - 60 }, now)).toEqual({ start: now - 420, end: now });
  });

  it('runs a period still firing to now', () => {
    expect(chartWindow({ start: now - 600, end: null }, now)).toEqual({ start: now - 900, end: now });
  });

  it('rounds outwards to whole seconds', () => {
    expect(chartWindow({ start: 1000.5, end: 1060.5 }, 5000)).toEqual({ start: 700, end: 1361 });
  });
});

describe('chartsHref', () => {
  it('is an address the Metrics page reads as a past window', () => {
    const href = chartsHref({ start: now - 3600, end: now - 3540 }, now);
    expect(href).toBe(`#/metrics?from=${now - 3900}&to=${now - 3240}`);
    expect(metricsView(href, [{ id: 'api-overview' }]).window).toEqual({ start: now - 3900, end: now - 3240 });
  });
});

describe('HISTORY_RANGES', () => {
  it('are all ranges the contract accepts, 1 h to 7 d', () => {
    for (const r of HISTORY_RANGES) {
      expect(r.seconds).toBeGreaterThanOrEqual(MIN_HISTORY_SECONDS);
      expect(r.seconds).toBeLessThanOrEqual(MAX_HISTORY_SECONDS);
    }
    expect(HISTORY_RANGES.map((r) => r.label)).toEqual(['1 h', '6 h', '24 h', '7 d']);
  });
});

describe('nothingFiredText', () => {
  it('names the range picked', () => {
    expect(nothingFiredText(86_400)).toBe('Nothing fired in the last 24 h.');
    expect(nothingFiredText(7 * 86_400)).toBe('Nothing fired in the last 7 d.');
  });
});

describe('resolutionText', () => {
  it('says when the step is coarser than the evaluations, and what that costs', () => {
    expect(resolutionText(30, 30)).toBe('Sampled at every evaluation of the rules (every 30 s): times are right within that.');
    expect(resolutionText(55, 30)).toMatch(/every 55 s, coarser than .*\(every 30 s\).*shorter than that may fall between/);
  });
});

import { describe, expect, it } from 'vitest';
import { pickStep, pointCount, TIME_RANGES } from './step';

describe('pickStep', () => {
  it('never gives a series more points than the chart has pixels', () => {
    for (const { seconds } of TIME_RANGES) {
      for (const width of [120, 300, 555, 800, 1200, 1920, 4000]) {
        const step = pickStep(seconds, width);
        expect(pointCount(seconds, step), `${seconds}s on ${width}px`).toBeLessThanOrEqual(width);
      }
    }
  });

  it('picks the finest readable step that fits', () => {
    expect(pickStep(300, 800)).toBe(1);
    expect(pickStep(300, 200)).toBe(2);
    expect(pickStep(3600, 600)).toBe(10);
    expect(pickStep(86_400, 800)).toBe(120);
    expect(pickStep(86_400, 1441)).toBe(60);
  });

  it('keeps to the scrape interval and to what Prometheus accepts', () => {
    expect(pickStep(300, 800, 15)).toBe(15);
    expect(pointCount(86_400 * 7, pickStep(86_400 * 7, 100_000))).toBeLessThanOrEqual(11_000);
    expect(pickStep(300, 0)).toBe(300);
  });

  it('refuses an empty range', () => {
    expect(() => pickStep(0, 800)).toThrow(RangeError);
  });
});

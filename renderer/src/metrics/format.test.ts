import { describe, expect, it } from 'vitest';
import { formatDuration, formatTick, formatValue, timeTicks } from './format';

describe('formatValue', () => {
  it.each([
    [12.345, 'reqps', '12.3 req/s'],
    [0.05, 'ratio', '5 %'],
    [0.1234, 'ratio', '12.3 %'],
    [0.0123, 'seconds', '12.3 ms'],
    [0.0000421, 'seconds', '42.1 µs'],
    [2.5, 'seconds', '2.5 s'],
    [0, 'seconds', '0 s'],
    [7 * 2 ** 30, 'bytes', '7 GiB'],
    [1536, 'bytes', '1.5 KiB'],
    [512, 'bytes', '512 B'],
    [3, 'count', '3'],
    [42.5, 'percent', '42.5 %'],
    [61, 'celsius', '61 °C'],
    [93.25, 'watts', '93.3 W'],
    [1499.6, 'rpm', '1500 rpm'],
    [1340, 'megahertz', '1340 MHz'],
    [3 * 2 ** 20, 'bytesps', '3 MiB/s'],
    [NaN, 'reqps', '–'],
    [null, 'count', '–'],
    [Infinity, 'seconds', '+Inf'],
  ] as const)('%s %s -> %s', (value, unit, text) => {
    expect(formatValue(value, unit)).toBe(text);
  });
});

describe('formatDuration', () => {
  it.each([
    [42, '42 s'],
    [180, '3 min'],
    [3600 * 2 + 300, '2 h 5 min'],
    [7200, '2 h'],
    [86_400 * 3 + 3600, '3 d 1 h'],
    [-5, '0 s'],
  ])('%s s -> %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe('formatTick', () => {
  it('shows seconds on short ranges only', () => {
    const t = new Date(2026, 0, 1, 9, 5, 7).getTime();
    expect(formatTick(t, 300)).toBe('09:05:07');
    expect(formatTick(t, 3600)).toBe('09:05');
  });
});

describe('timeTicks', () => {
  it('puts about six ticks on round clock times within the range', () => {
    const start = new Date(2026, 0, 1, 9, 3, 17).getTime();
    const hour = timeTicks(start, start + 3600_000);
    expect(hour.length).toBeGreaterThanOrEqual(4);
    expect(hour.length).toBeLessThanOrEqual(6);
    expect(hour.every((t) => t >= start && t <= start + 3600_000)).toBe(true);
    expect(hour.every((t) => new Date(t).getMinutes() % 10 === 0 && new Date(t).getSeconds() === 0)).toBe(true);
    const day = timeTicks(start, start + 86_400_000);
    expect(day.every((t) => new Date(t).getMinutes() === 0 && new Date(t).getHours() % 6 === 0)).toBe(true);
    expect(timeTicks(start, start)).toEqual([]);
  });
});

import type { Unit } from '../../../electron/api/dashboards/dashboard';

export type { Unit };

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

function trimmed(n: number, digits = 3): string {
  return Number(n.toPrecision(digits)).toString();
}

function formatBytes(value: number): string {
  let v = value;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < BYTE_UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return `${trimmed(v)} ${BYTE_UNITS[i]}`;
}

/** A value with its unit, short enough for an axis tick or a tooltip. */
export function formatValue(value: number | null | undefined, unit: Unit): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  switch (unit) {
    case 'reqps':
      return `${trimmed(value)} req/s`;
    case 'ratio':
      return `${trimmed(value * 100)} %`;
    case 'percent':
      return `${trimmed(value)} %`;
    case 'celsius':
      return `${trimmed(value)} °C`;
    case 'watts':
      return `${trimmed(value)} W`;
    case 'rpm':
      return `${Math.round(value)} rpm`;
    case 'megahertz':
      return `${trimmed(value)} MHz`;
    case 'bytesps':
      return `${formatBytes(value)}/s`;
    case 'seconds': {
      const abs = Math.abs(value);
      if (abs === 0) return '0 s';
      if (abs < 1e-3) return `${trimmed(value * 1e6)} µs`;
      if (abs < 1) return `${trimmed(value * 1e3)} ms`;
      return `${trimmed(value)} s`;
    }
    case 'bytes':
      return formatBytes(value);
    case 'count':
      return Number.isInteger(value) ? String(value) : trimmed(value);
    case 'none':
      return trimmed(value, 4);
  }
}

/** The axis title for a unit. */
export const UNIT_LABELS: Record<Unit, string> = {
  reqps: 'requests / s',
  ratio: 'percent',
  percent: 'percent',
  seconds: 'seconds',
  bytes: 'bytes',
  bytesps: 'bytes / s',
  celsius: '°C',
  watts: 'watts',
  rpm: 'rpm',
  megahertz: 'MHz',
  count: 'count',
  none: 'value',
};

/** A duration such as "3 min" or "2 h 5 min", for uptimes and "since" columns. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** Clock time for a chart tick: seconds shown only on short ranges. */
export function formatTick(unixMs: number, rangeSeconds: number): string {
  const d = new Date(unixMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return rangeSeconds <= 900 ? `${hm}:${pad(d.getSeconds())}` : hm;
}

const TICK_STEPS_S = [1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/** Round clock times for the x axis: about `target` of them, on whole minutes or hours (local time). */
export function timeTicks(startMs: number, endMs: number, target = 6): number[] {
  if (!(endMs > startMs)) return [];
  const span = (endMs - startMs) / 1000;
  const step = (TICK_STEPS_S.find((s) => span / s <= target) ?? TICK_STEPS_S.at(-1)!) * 1000;
  // Align to the local clock: whole hours and days are local, not UTC.
  const offset = new Date(startMs).getTimezoneOffset() * 60_000;
  const ticks: number[] = [];
  for (let t = Math.ceil((startMs - offset) / step) * step + offset; t <= endMs; t += step) ticks.push(t);
  return ticks;
}

import { MAX_HISTORY_SECONDS, MIN_HISTORY_SECONDS } from '../../../electron/api/monitoring-contract';
import type { AlertHistory } from '../../../electron/api/schemas/alert-history';

/** A firing period drawn on a chart; times in Unix ms, as the charts' x axis. */
export interface FiringBand {
  start: number;
  end: number;
  alertname: string;
  severity: string | null;
}

/**
 * Every period of every alert in a history as a band. One still firing runs to `openEnd` (Unix
 * seconds; the chart's end): the history's own end is aligned down to its step, and a band that
 * stopped short of the chart's edge would read as resolved.
 */
export function firingBands(history: AlertHistory, openEnd = history.end): FiringBand[] {
  return history.entries.flatMap((e) =>
    e.periods.map((p) => ({ start: p.start * 1000, end: (p.end ?? Math.max(openEnd, history.end)) * 1000, alertname: e.alertname, severity: e.severity })),
  );
}

/**
 * The range to ask the history for, for charts over [startSec, endSec]: whole seconds (so
 * refreshes share a cache entry), the last 7 days at most (the contract's limit: a band of a
 * longer chart is cut at its left edge), null for a range shorter than the contract's minute.
 */
export function bandRange(startSec: number, endSec: number): { start: number; end: number } | null {
  const end = Math.ceil(endSec);
  const start = Math.max(Math.floor(startSec), end - MAX_HISTORY_SECONDS, 0);
  return end - start >= MIN_HISTORY_SECONDS ? { start, end } : null;
}

/** Band fill by severity: red for critical, amber for warning and anything else. */
export function bandColor(severity: string | null): string {
  return severity === 'critical' ? 'var(--bad)' : 'var(--busy)';
}

/** The bands that overlap [start, end] (Unix ms), cut to it: a chart draws nothing outside its axis. */
export function clipBands(bands: readonly FiringBand[], start: number, end: number): FiringBand[] {
  return bands.filter((b) => b.end > start && b.start < end).map((b) => ({ ...b, start: Math.max(b.start, start), end: Math.min(b.end, end) }));
}

const at = (ms: number) => new Date(ms).toLocaleTimeString();

/** One band in words ("APIDown (critical) firing 10:01:00 – 10:03:00"), for its tooltip and the chart's label. */
export function describeBand(b: FiringBand): string {
  return `${b.alertname}${b.severity ? ` (${b.severity})` : ''} firing ${at(b.start)} – ${at(b.end)}`;
}

import { formatDuration } from '../metrics/format';
import { pageHref } from '../shell/hash-route';

/** The ranges the history offers; the contract takes up to 7 days. */
export const HISTORY_RANGES = [
  { label: '1 h', seconds: 3600 },
  { label: '6 h', seconds: 6 * 3600 },
  { label: '24 h', seconds: 24 * 3600 },
  { label: '7 d', seconds: 7 * 86_400 },
] as const;

/** Context around a period on the charts: a quarter of its length each side, at least 5 minutes. */
const MIN_MARGIN_SECONDS = 300;
const MARGIN_SHARE = 0.25;

/**
 * The window (Unix seconds) that shows a firing period on the charts with some context each side:
 * what led to it and what followed. A period still firing (end null) runs to now, and the window
 * never reaches past now, where there is nothing to draw yet.
 */
export function chartWindow(period: { start: number; end: number | null }, nowSec: number): { start: number; end: number } {
  const end = period.end ?? nowSec;
  const margin = Math.max(MIN_MARGIN_SECONDS, (end - period.start) * MARGIN_SHARE);
  return { start: Math.floor(period.start - margin), end: Math.ceil(Math.min(end + margin, Math.max(nowSec, end))) };
}

/** The Metrics page's address showing this period (`#/metrics?from=<unix>&to=<unix>`; MetricsPage reads it). */
export function chartsHref(period: { start: number; end: number | null }, nowSec: number): string {
  const { start, end } = chartWindow(period, nowSec);
  return pageHref('metrics', { from: start, to: end });
}

/** "nothing fired in the last 24 h", for the range picked. */
export function nothingFiredText(rangeSeconds: number): string {
  const range = HISTORY_RANGES.find((r) => r.seconds === rangeSeconds)?.label ?? `${Math.round(rangeSeconds / 3600)} h`;
  return `Nothing fired in the last ${range}.`;
}

/** How exact the history's times are: each evaluation sampled, or fewer over a long range (Prometheus's points limit). */
export function resolutionText(step: number, evaluationSeconds: number): string {
  return step > evaluationSeconds
    ? `Sampled every ${formatDuration(step)}, coarser than the rules' evaluations (every ${formatDuration(evaluationSeconds)}) over so long a range: times are right within ${formatDuration(step)}, and a firing shorter than that may fall between two samples.`
    : `Sampled at every evaluation of the rules (every ${formatDuration(step)}): times are right within that.`;
}

import type { AlertHistoryEntry, FiringPeriod } from '../../api/schemas/alert-history';

/** The sample grid of a range query: Prometheus evaluates at start, start + step, …, up to end. */
export interface SampleGrid {
  start: number;
  end: number;
  step: number;
}

/** A range query's series: its labels and its [Unix seconds, value] samples, oldest first. */
export interface SampledSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

/**
 * Timestamps come back as floats with millisecond digits: two samples one step apart are
 * "consecutive" within this share of a step, so float noise never splits a period.
 */
const SAME_RUN = 1.5;

/**
 * The firing periods in the timestamps at which a series was present. An instant selector at a
 * grid time sees the last evaluation at or before it (Prometheus writes a stale marker when an
 * alert resolves, so a resolved alert is absent at once), so consecutive grid times form one
 * period and a missing one means an evaluation saw it resolved. The real start lies within one
 * step before the first sample and the real end within one step before last sample + step: both
 * bounds are late by less than a step, so the duration is right within a step.
 */
export function firingPeriods(times: readonly number[], grid: SampleGrid): FiringPeriod[] {
  const periods: FiringPeriod[] = [];
  let first: number | undefined;
  let last = 0;
  const close = (stillFiring: boolean) => {
    if (first === undefined) return;
    const end = stillFiring ? null : last + grid.step;
    periods.push({
      start: first,
      end,
      durationSeconds: (end ?? grid.end) - first,
      startedBeforeRange: first - grid.start < grid.step / 2,
    });
  };
  for (const t of times) {
    if (first !== undefined && t - last > grid.step * SAME_RUN) {
      close(false);
      first = undefined;
    }
    first ??= t;
    last = t;
  }
  // The last grid time still saw it firing: no end is known yet.
  close(first !== undefined && grid.end - last < grid.step / 2);
  return periods;
}

/** Labels that are the ALERTS series' own, not the alert's. */
const SERIES_ONLY_LABELS = new Set(['__name__', 'alertstate']);

/**
 * One entry per alert series of `ALERTS{alertstate="firing"}` (alert name plus labels), with its
 * periods; the entry whose latest period started last comes first.
 */
export function historyEntries(series: readonly SampledSeries[], grid: SampleGrid): AlertHistoryEntry[] {
  const entries = series.flatMap((s): AlertHistoryEntry[] => {
    const periods = firingPeriods(
      s.values.map(([t]) => t),
      grid,
    );
    if (periods.length === 0) return [];
    const labels = Object.fromEntries(Object.entries(s.metric).filter(([k]) => !SERIES_ONLY_LABELS.has(k)));
    return [{ alertname: labels.alertname ?? '', severity: labels.severity ?? null, labels, periods, count: periods.length }];
  });
  const latest = (e: AlertHistoryEntry) => e.periods.at(-1)!.start;
  return entries.sort((a, b) => latest(b) - latest(a) || a.alertname.localeCompare(b.alertname));
}

import { hashParams, pageHref } from '../shell/hash-route';

/** What the Metrics page shows, as its address says: a dashboard tab, and a past window or live. */
export interface MetricsView {
  tab: string;
  /** Unix seconds; null for the live range. */
  window: { start: number; end: number } | null;
}

const unixSeconds = (v: string | null) => (v !== null && /^\d{9,11}(\.\d+)?$/.test(v) ? Number(v) : null);

/** The view a hash names; an unknown tab is the first, a window that is not a range is live. */
export function metricsView(hash: string, dashboards: readonly { id: string }[]): MetricsView {
  const params = hashParams(hash);
  const tab = dashboards.find((d) => d.id === params.get('tab'))?.id ?? dashboards[0]!.id;
  const start = unixSeconds(params.get('from'));
  const end = unixSeconds(params.get('to'));
  return { tab, window: start !== null && end !== null && end > start ? { start, end } : null };
}

export function metricsHref(view: MetricsView): string {
  return pageHref('metrics', { tab: view.tab, from: view.window?.start, to: view.window?.end });
}

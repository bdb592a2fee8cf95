import type { Selection } from '../../../electron/api/dashboards/scope';
import { hashParams, pageHref } from '../shell/hash-route';

/**
 * What the Metrics page shows, as its address says: a dashboard tab, a past window or live, and
 * the rigs and GPUs its panels are narrowed to (none listed: All).
 */
export interface MetricsView {
  tab: string;
  /** Unix seconds; null for the live range. */
  window: { start: number; end: number } | null;
  rig: string[];
  gpu: string[];
}

const unixSeconds = (v: string | null) => (v !== null && /^\d{9,11}(\.\d+)?$/.test(v) ? Number(v) : null);

/** The view a hash names; an unknown tab is the first, a window that is not a range is live. */
export function metricsView(hash: string, dashboards: readonly { id: string }[]): MetricsView {
  const params = hashParams(hash);
  const tab = dashboards.find((d) => d.id === params.get('tab'))?.id ?? dashboards[0]!.id;
  const start = unixSeconds(params.get('from'));
  const end = unixSeconds(params.get('to'));
  const values = (name: string) => [...new Set(params.getAll(name).filter((v) => v !== ''))];
  return { tab, window: start !== null && end !== null && end > start ? { start, end } : null, rig: values('rig'), gpu: values('gpu') };
}

export function metricsHref(view: MetricsView): string {
  const href = pageHref('metrics', { tab: view.tab, from: view.window?.start, to: view.window?.end });
  // Repeated parameters, one per rig or GPU; the tab is always there, so they follow an `&`.
  const scope = new URLSearchParams([...view.rig.map((r) => ['rig', r]), ...view.gpu.map((g) => ['gpu', g])]);
  return scope.size ? `${href}&${scope}` : href;
}

export const viewSelection = (view: MetricsView): Selection => ({ rig: view.rig, gpu: view.gpu });

const named = (one: string, values: string[]) => (values.length === 1 ? `${one} ${values[0]}` : `${one}s ${values.join(', ')}`);

/**
 * Why a panel narrowed to rigs or GPUs shows nothing; undefined for All, where the panel's own
 * reason holds.
 */
export function selectionNoData(view: MetricsView, source: string | undefined): string | undefined {
  if (view.rig.length === 0 && view.gpu.length === 0) return undefined;
  const chosen = [view.rig.length ? named('rig', view.rig) : '', view.gpu.length ? named('GPU', view.gpu) : ''].filter(Boolean).join(' and ');
  const why =
    source === 'node-exporter'
      ? "node_exporter reports this machine only (rig local), and an AMD card's series by card: a CPU worker has none."
      : 'no worker of this selection reported it (choose All for every worker).';
  return `No data for ${chosen} in this range: ${why}`;
}

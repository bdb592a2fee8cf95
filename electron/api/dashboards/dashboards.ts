import { API_OVERVIEW } from './api-overview';
import type { Dashboard } from './dashboard';
import { MODEL_INFERENCE } from './model-inference';
import { fillScope, type Selection } from './scope';
import { SYSTEM_RESOURCES } from './system-resources';

export type { Dashboard, DashboardPanel, Unit } from './dashboard';

/** Every dashboard, in the Metrics page's tab order; Grafana is provisioned with each. */
export const DASHBOARDS = [API_OVERVIEW, MODEL_INFERENCE, SYSTEM_RESOURCES] as const;

/** The dashboard with every panel's queries narrowed to the selection (the Metrics page's and Grafana's). */
export function scopeDashboard(d: Dashboard, selection: Selection): Dashboard {
  return { ...d, panels: d.panels.map((p) => ({ ...p, series: p.series.map((s) => ({ ...s, query: fillScope(s.query, selection) })) })) };
}

import type { QuerySeries } from '../dashboard-queries';
import type { ServiceName } from '../schemas/stack-status';

/**
 * A dashboard as data: the console's Metrics page draws each as a tab and Grafana gets the same
 * panels provisioned (stack/config/grafana-dashboards.ts), so a query is written once.
 */

/** Units the charts know; `ratio` is a share from 0 to 1, `percent` already 0 to 100. */
export const UNITS = ['reqps', 'ratio', 'percent', 'seconds', 'bytes', 'bytesps', 'count', 'celsius', 'watts', 'rpm', 'megahertz', 'none'] as const;
export type Unit = (typeof UNITS)[number];

export interface DashboardPanel {
  id: string;
  title: string;
  unit: Unit;
  series: QuerySeries[];
  /** What no series at all means for this panel, when it means more than "no traffic yet". */
  noData?: string;
  /** The stack service whose scrape feeds the panel: switched off, the panel says so. */
  source?: ServiceName;
}

export interface Dashboard {
  /** The Metrics page's tab (`#/metrics?tab=<id>`) and the Grafana dashboard's uid suffix. */
  id: string;
  title: string;
  description: string;
  panels: DashboardPanel[];
}

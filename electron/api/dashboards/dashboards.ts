import { API_OVERVIEW } from './api-overview';
import { MODEL_INFERENCE } from './model-inference';
import { SYSTEM_RESOURCES } from './system-resources';

export type { Dashboard, DashboardPanel, Unit } from './dashboard';

/** Every dashboard, in the Metrics page's tab order; Grafana is provisioned with each. */
export const DASHBOARDS = [API_OVERVIEW, MODEL_INFERENCE, SYSTEM_RESOURCES] as const;

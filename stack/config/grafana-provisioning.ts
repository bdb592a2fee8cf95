import { stringify } from 'yaml';
import { errorShare, latencyPercentiles, latencyQuantile, modelsLoadedCount, requestRate, requestRateByStatus, type QuerySeries } from '../../electron/api/dashboard-queries';
import { PROMETHEUS_HOST } from './prometheus-config';
import { dashboardFile, GRAFANA_SELECTION, grafanaDashboard, grafanaTemplating } from './grafana-dashboards';
import { fillScope } from '../../electron/api/dashboards/scope';
import { MODEL_INFERENCE } from '../../electron/api/dashboards/model-inference';
import { SYSTEM_RESOURCES } from '../../electron/api/dashboards/system-resources';
import type { Settings } from '../../electron/api/schemas/settings';

/**
 * Grafana provisioning: the Prometheus datasource, the seed's "RX580 API - Overview" dashboard
 * with its six panels, their PromQL corrected (sums before dividing, buckets summed `by (le)`),
 * and the Model Inference and System Resources dashboards of the Metrics page, each narrowed by
 * `$rig` and `$gpu`. Paths are relative to Grafana's provisioning directory, which the container
 * mounts at /etc/grafana/provisioning.
 */

export const GRAFANA_PROVISIONING_TARGET = '/etc/grafana/provisioning';
export const DATASOURCE_UID = 'rx580-prometheus';
export const DASHBOARD_UID = 'rx580-api-overview';
/** Dashboard JSON lives beside the provisioning folders Grafana scans, inside the same mount. */
const DASHBOARD_DIR = 'dashboard-files';

export const GRAFANA_FILES = {
  datasource: 'datasources/prometheus.yml',
  provider: 'dashboards/rx580-ops.yml',
  dashboard: `${DASHBOARD_DIR}/api-overview.json`,
} as const;

/** The Metrics page's dashboards that Grafana gets as they are (the API Overview has its own stat panels). */
export const GENERATED_DASHBOARDS = [MODEL_INFERENCE, SYSTEM_RESOURCES] as const;

/**
 * Grafana expands `$VAR` and `${VAR}` in provisioning YAML; `$$` is a literal `$`. Every string
 * is escaped so a `$` in a name or URL reaches Grafana as written.
 */
export function escapeGrafanaEnv<T>(value: T): T {
  if (typeof value === 'string') return value.replaceAll('$', '$$$$') as T;
  if (Array.isArray(value)) return value.map(escapeGrafanaEnv) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeGrafanaEnv(v)])) as T;
  return value;
}

const datasource = { type: 'prometheus', uid: DATASOURCE_UID };

interface Target {
  expr: string;
  legendFormat?: string;
}

const target = (s: QuerySeries): Target => ({ expr: s.query, legendFormat: s.legend });

interface PanelInput {
  title: string;
  type: 'stat' | 'timeseries';
  unit: string;
  targets: Target[];
  /** Yellow and red steps of a stat's colour. */
  thresholds?: [number, number];
  gridPos: { x: number; y: number; w: number; h: number };
}

function panel(id: number, p: PanelInput) {
  const steps = [{ color: 'green', value: null }, ...(p.thresholds ? [{ color: 'yellow', value: p.thresholds[0] }, { color: 'red', value: p.thresholds[1] }] : [])];
  return {
    id,
    title: p.title,
    type: p.type,
    datasource,
    gridPos: p.gridPos,
    fieldConfig: { defaults: { unit: p.unit, thresholds: { mode: 'absolute', steps } }, overrides: [] },
    options: p.type === 'stat' ? { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'value', graphMode: 'area' } : { legend: { displayMode: 'list', placement: 'bottom' } },
    targets: p.targets.map((t, i) => ({ refId: String.fromCharCode(65 + i), datasource, ...t, expr: fillScope(t.expr, GRAFANA_SELECTION) })),
  };
}

export function apiOverviewDashboard(settings: Settings) {
  const { alerts } = settings;
  const panels: PanelInput[] = [
    { title: 'Request Rate', type: 'stat', unit: 'reqps', targets: [{ expr: requestRate() }], gridPos: { x: 0, y: 0, w: 6, h: 4 } },
    {
      title: 'Error Rate',
      type: 'stat',
      unit: 'percentunit',
      targets: [{ expr: errorShare }],
      thresholds: [alerts.errorRateWarning, alerts.errorRateCritical],
      gridPos: { x: 6, y: 0, w: 6, h: 4 },
    },
    {
      title: 'P95 Latency',
      type: 'stat',
      unit: 's',
      targets: [{ expr: latencyQuantile(0.95) }],
      thresholds: [alerts.latencyP95Seconds / 2, alerts.latencyP95Seconds],
      gridPos: { x: 12, y: 0, w: 6, h: 4 },
    },
    { title: 'Models Loaded', type: 'stat', unit: 'short', targets: [{ expr: modelsLoadedCount }], gridPos: { x: 18, y: 0, w: 6, h: 4 } },
    {
      title: 'Request Rate by Status',
      type: 'timeseries',
      unit: 'reqps',
      targets: requestRateByStatus.map(target),
      gridPos: { x: 0, y: 4, w: 12, h: 8 },
    },
    {
      title: 'Response Latency Percentiles',
      type: 'timeseries',
      unit: 's',
      targets: latencyPercentiles.map(target),
      gridPos: { x: 12, y: 4, w: 12, h: 8 },
    },
  ];
  return {
    uid: DASHBOARD_UID,
    title: 'RX580 API - Overview',
    tags: ['rx580'],
    editable: false,
    refresh: '5s',
    time: { from: 'now-15m', to: 'now' },
    schemaVersion: 39,
    templating: grafanaTemplating(datasource),
    panels: panels.map((p, i) => panel(i + 1, p)),
  };
}

/** Every PromQL expression of a dashboard, for checks against a real Prometheus. */
export function dashboardQueries(dashboard: { panels: { targets: { expr: string }[] }[] }): string[] {
  return dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));
}

/** The files of Grafana's provisioning directory, by path relative to it. */
export function grafanaProvisioningFiles(settings: Settings): Record<string, string> {
  const datasources = {
    apiVersion: 1,
    datasources: [
      {
        name: 'Prometheus',
        type: 'prometheus',
        uid: DATASOURCE_UID,
        access: 'proxy',
        url: `http://${PROMETHEUS_HOST}`,
        isDefault: true,
        editable: false,
        jsonData: { httpMethod: 'POST', timeInterval: settings.prometheus.scrapeInterval },
      },
    ],
  };
  const providers = {
    apiVersion: 1,
    providers: [
      {
        name: 'rx580-ops',
        orgId: 1,
        folder: 'RX580',
        type: 'file',
        disableDeletion: true,
        allowUiUpdates: false,
        updateIntervalSeconds: 30,
        options: { path: `${GRAFANA_PROVISIONING_TARGET}/${DASHBOARD_DIR}` },
      },
    ],
  };
  return {
    [GRAFANA_FILES.datasource]: stringify(escapeGrafanaEnv(datasources)),
    [GRAFANA_FILES.provider]: stringify(escapeGrafanaEnv(providers)),
    // Dashboard JSON is not expanded by Grafana, so it is written as is.
    [GRAFANA_FILES.dashboard]: JSON.stringify(apiOverviewDashboard(settings), null, 2) + '\n',
    ...Object.fromEntries(GENERATED_DASHBOARDS.map((d) => [`${DASHBOARD_DIR}/${dashboardFile(d)}`, JSON.stringify(grafanaDashboard(d, datasource), null, 2) + '\n'])),
  };
}

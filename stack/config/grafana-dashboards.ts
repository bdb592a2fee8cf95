import { scopeDashboard, type Dashboard, type Unit } from '../../electron/api/dashboards/dashboards';
import { workersOf, type Selection } from '../../electron/api/dashboards/scope';

/**
 * The console's dashboards (electron/api/dashboards/) as Grafana dashboard JSON: the same panels
 * and PromQL, two time series to a row, so Grafana and the Metrics page never disagree; their
 * `$rig` and `$gpu` variables narrow every panel as the page's selects do.
 */

/** Grafana's names for the console's units. */
const GRAFANA_UNITS: Record<Unit, string> = {
  reqps: 'reqps',
  ratio: 'percentunit',
  percent: 'percent',
  seconds: 's',
  bytes: 'bytes',
  bytesps: 'Bps',
  count: 'short',
  celsius: 'celsius',
  watts: 'watt',
  rpm: 'rotrpm',
  megahertz: 'mhz',
  none: 'none',
};

export const dashboardUid = (d: Pick<Dashboard, 'id'>) => `rx580-${d.id}`;
export const dashboardFile = (d: Pick<Dashboard, 'id'>) => `${d.id}.json`;

/** Every panel narrowed by the dashboard's `$rig` and `$gpu` variables, as the Metrics page by its selects. */
export const GRAFANA_SELECTION: Selection = { rig: { variable: 'rig' }, gpu: { variable: 'gpu' } };
/** What "All" stands for: every value, and also a series without the label (a CPU worker has no card). */
export const GRAFANA_ALL_VALUE = '.*';

/** A multi-value variable of a label's values among the workers' `up` series, All by default. */
function labelVariable(name: string, label: string, match: string, datasource: { type: string; uid: string }) {
  const query = `label_values(${match}, ${label})`;
  return {
    name,
    label,
    type: 'query',
    datasource,
    // As Grafana saves a Prometheus "Label values" variable (qryType 1).
    query: { qryType: 1, query, refId: 'PrometheusVariableQueryEditor-VariableQuery' },
    definition: query,
    // Listed again when the time range changes: rigs and workers come and go.
    refresh: 2,
    sort: 1,
    multi: true,
    includeAll: true,
    allValue: GRAFANA_ALL_VALUE,
    current: { text: ['All'], value: ['$__all'] },
  };
}

/** The `rig` and `gpu` variables; the GPUs listed are those of the rigs chosen. */
export function grafanaTemplating(datasource: { type: string; uid: string }) {
  return {
    list: [
      labelVariable('rig', 'rig', workersOf([]), datasource),
      labelVariable('gpu', 'gpu', workersOf(GRAFANA_SELECTION.rig), datasource),
    ],
  };
}

const WIDTH = 12;
const HEIGHT = 8;

export function grafanaDashboard(dashboard: Dashboard, datasource: { type: string; uid: string }) {
  const d = scopeDashboard(dashboard, GRAFANA_SELECTION);
  return {
    uid: dashboardUid(d),
    title: `RX580 - ${d.title}`,
    description: d.description,
    tags: ['rx580'],
    editable: false,
    refresh: '5s',
    time: { from: 'now-15m', to: 'now' },
    schemaVersion: 39,
    templating: grafanaTemplating(datasource),
    panels: d.panels.map((p, i) => ({
      id: i + 1,
      title: p.title,
      type: 'timeseries',
      datasource,
      gridPos: { x: (i % 2) * WIDTH, y: Math.floor(i / 2) * HEIGHT, w: WIDTH, h: HEIGHT },
      fieldConfig: { defaults: { unit: GRAFANA_UNITS[p.unit] }, overrides: [] },
      options: { legend: { displayMode: 'list', placement: 'bottom' } },
      // Grafana shows this where a query returns nothing, as the Metrics page shows its reason.
      ...(p.noData ? { description: p.noData } : {}),
      targets: p.series.map((s, k) => ({ refId: String.fromCharCode(65 + k), datasource, expr: s.query, legendFormat: s.legend })),
    })),
  };
}

import type { Dashboard, Unit } from '../../electron/api/dashboards/dashboards';

/**
 * The console's dashboards (electron/api/dashboards/) as Grafana dashboard JSON: the same panels
 * and PromQL, two time series to a row, so Grafana and the Metrics page never disagree.
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

const WIDTH = 12;
const HEIGHT = 8;

export function grafanaDashboard(d: Dashboard, datasource: { type: string; uid: string }) {
  return {
    uid: dashboardUid(d),
    title: `RX580 - ${d.title}`,
    description: d.description,
    tags: ['rx580'],
    editable: false,
    refresh: '5s',
    time: { from: 'now-15m', to: 'now' },
    schemaVersion: 39,
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

import { parser } from '@prometheus-io/lezer-promql';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DASHBOARD_UID, DATASOURCE_UID, escapeGrafanaEnv, GENERATED_DASHBOARDS, GRAFANA_FILES, grafanaProvisioningFiles } from './grafana-provisioning';
import { GRAFANA_ALL_VALUE, GRAFANA_SELECTION } from './grafana-dashboards';
import { JOBS } from './scrape-jobs';
import { fillScope, INFERENCE_JOB } from '../../electron/api/dashboards/scope';
import { parseSettings } from '../../electron/settings/settings-file';
import { buildStackSpec, containerCreateOptions } from '../spec/stack-spec';

// Grafana cannot run here: these check the files and the container spec it would be given.
// That every panel's PromQL runs is checked on the real Prometheus in monitoring-live.test.ts.
const settings = parseSettings({ project: 'demo', dataDir: '/data', alerts: { errorRateWarning: 0.03 } });
const files = grafanaProvisioningFiles(settings);

describe('Grafana provisioning', () => {
  it('provisions the Prometheus datasource as the proxied default, reached on the stack network', () => {
    const doc = parse(files[GRAFANA_FILES.datasource]!);
    expect(doc.apiVersion).toBe(1);
    expect(doc.datasources).toEqual([
      expect.objectContaining({ name: 'Prometheus', type: 'prometheus', uid: DATASOURCE_UID, access: 'proxy', url: 'http://prometheus:9090', isDefault: true }),
    ]);
    expect(doc.datasources[0].jsonData).toEqual({ httpMethod: 'POST', timeInterval: '15s' });
  });

  it('points the file provider at the dashboard folder inside the mounted provisioning directory', () => {
    const doc = parse(files[GRAFANA_FILES.provider]!);
    const grafana = buildStackSpec(settings).services.find((s) => s.service === 'grafana')!;
    const [provider] = doc.providers;
    expect(provider).toMatchObject({ type: 'file', orgId: 1, disableDeletion: true });
    // The provider's path, seen from the container, holds the dashboard file the console writes.
    const dashboardInContainer = `${grafana.configTarget}/${GRAFANA_FILES.dashboard}`;
    expect(dashboardInContainer.startsWith(`${provider.options.path}/`)).toBe(true);
    expect(containerCreateOptions(grafana, buildStackSpec(settings)).HostConfig?.Binds).toEqual([`/data/demo/config/grafana:${grafana.configTarget}:ro`]);
    expect(grafana.configTarget).toBe('/etc/grafana/provisioning');
  });

  it("renders the seed's dashboard with its six panels, thresholds from the alert settings", () => {
    const dashboard = JSON.parse(files[GRAFANA_FILES.dashboard]!);
    expect(dashboard).toMatchObject({ uid: DASHBOARD_UID, title: 'RX580 API - Overview', refresh: '5s', time: { from: 'now-15m', to: 'now' } });
    expect(dashboard.panels.map((p: { title: string; type: string }) => `${p.type}:${p.title}`)).toEqual([
      'stat:Request Rate',
      'stat:Error Rate',
      'stat:P95 Latency',
      'stat:Models Loaded',
      'timeseries:Request Rate by Status',
      'timeseries:Response Latency Percentiles',
    ]);
    const byTitle = (t: string) => dashboard.panels.find((p: { title: string }) => p.title === t);
    expect(byTitle('Error Rate').fieldConfig.defaults.thresholds.steps.map((s: { value: number | null }) => s.value)).toEqual([null, 0.03, 0.1]);
    expect(byTitle('Request Rate by Status').targets.map((t: { legendFormat: string }) => t.legendFormat)).toEqual(['total', '2xx', '4xx', '5xx']);
    expect(byTitle('Response Latency Percentiles').targets.map((t: { legendFormat: string }) => t.legendFormat)).toEqual(['P50', 'P95', 'P99']);
    for (const p of dashboard.panels) {
      expect(p.datasource).toEqual({ type: 'prometheus', uid: DATASOURCE_UID });
      for (const t of p.targets) {
        // The seed's defects: quantiles over unsummed buckets, ratios of unsummed series.
        if (t.expr.includes('histogram_quantile')) expect(t.expr).toMatch(/sum by \(le\) \(rate\(/);
        if (t.expr.includes(' / ')) expect(t.expr).toMatch(/^\(sum\(.*\) \/ sum\(/);
      }
    }
  });

  it('writes a literal $ where Grafana would expand variables', () => {
    expect(escapeGrafanaEnv({ name: 'a$B', list: ['${C}'], n: 1 })).toEqual({ name: 'a$$B', list: ['$${C}'], n: 1 });
  });
});

describe('Grafana provisioning of the Metrics page dashboards', () => {
  it('provisions Model Inference and System Resources with the same panels and PromQL as the Metrics page', () => {
    for (const d of GENERATED_DASHBOARDS) {
      const json = JSON.parse(files[`dashboard-files/${d.id}.json`]!);
      expect(json).toMatchObject({ uid: `rx580-${d.id}`, title: `RX580 - ${d.title}` });
      expect(json.panels.map((p: { title: string }) => p.title)).toEqual(d.panels.map((p) => p.title));
      expect(json.panels.flatMap((p: { targets: { expr: string; legendFormat: string }[] }) => p.targets.map((t) => [t.expr, t.legendFormat]))).toEqual(
        d.panels.flatMap((p) => p.series.map((s) => [fillScope(s.query, GRAFANA_SELECTION), s.legend])),
      );
      // Two to a row, none overlapping.
      const cells = json.panels.map((p: { gridPos: { x: number; y: number } }) => `${p.gridPos.x},${p.gridPos.y}`);
      expect(new Set(cells).size).toBe(cells.length);
    }
  });

  it("gives each panel Grafana's unit and the Metrics page's reason for being empty", () => {
    const system = JSON.parse(files['dashboard-files/system-resources.json']!);
    const panel = (title: string) => system.panels.find((p: { title: string }) => p.title === title);
    expect(panel('GPU busy, by card').fieldConfig.defaults.unit).toBe('percent');
    expect(panel('GPU temperature').fieldConfig.defaults.unit).toBe('celsius');
    expect(panel('VRAM used and total, by card').description).toMatch(/No AMD card found by node_exporter's drm collector/);
  });
});

describe('Grafana rig and GPU variables', () => {
  const dashboards = Object.entries(files).filter(([path]) => path.endsWith('.json'));
  type Variable = { name: string; definition: string; query: unknown };

  it('gives every dashboard multi-value rig and gpu variables listed from the workers, All by default', () => {
    expect(INFERENCE_JOB).toBe(JOBS.inference);
    expect(dashboards.map(([path]) => path).sort()).toEqual(['dashboard-files/api-overview.json', 'dashboard-files/model-inference.json', 'dashboard-files/system-resources.json']);
    for (const [path, text] of dashboards) {
      const list: Variable[] = JSON.parse(text).templating.list;
      expect(list.map((v) => [v.name, v.definition]), path).toEqual([
        ['rig', 'label_values(up{job="rx580-api"}, rig)'],
        ['gpu', 'label_values(up{job="rx580-api",rig=~"$rig"}, gpu)'],
      ]);
      for (const v of list) {
        expect(v).toMatchObject({ type: 'query', multi: true, includeAll: true, allValue: GRAFANA_ALL_VALUE, current: { value: ['$__all'] } });
        expect(v.query).toEqual({ qryType: 1, query: v.definition, refId: expect.any(String) });
      }
    }
  });

  it('narrows every vector selector of every panel by $rig, and by $gpu as gpu or card where the series have one', () => {
    for (const [path, text] of dashboards) {
      for (const p of JSON.parse(text).panels as { title: string; targets: { expr: string }[] }[]) {
        for (const { expr } of p.targets) {
          const selectors: string[] = [];
          parser.parse(expr).iterate({
            enter: (n) => {
              if (n.name === 'VectorSelector') selectors.push(expr.slice(n.from, n.to));
            },
          });
          expect(selectors.length, expr).toBeGreaterThan(0);
          for (const sel of selectors) {
            expect(sel, `${path} ${p.title}`).toContain('rig=~"$rig"');
            const host = /^node_(cpu|memory|filesystem|disk|network)_/.test(sel);
            expect(sel.includes('gpu=~"$gpu"') || sel.includes('card=~"$gpu"'), `${path} ${p.title}: ${sel}`).toBe(!host);
          }
        }
      }
    }
  });
});

import { useState } from 'react';
import { useFiringBands } from '../api/alert-history-queries';
import type { FiringBand } from '../alerts/firing-bands';
import { prometheusReady } from '../api/monitoring-queries';
import { useRangeQueries } from '../api/range-queries';
import { useStackStatus } from '../api/stack-queries';
import { RangeChart } from '../components/RangeChart';
import { RangePicker } from '../components/RangePicker';
import { Tabs } from '../components/Tabs';
import { CHART_HEIGHT } from '../components/TimeSeriesChart';
import { useNow } from '../components/use-now';
import { useWidth } from '../components/use-width';
import { DASHBOARDS, scopeDashboard, type DashboardPanel } from '../../../electron/api/dashboards/dashboards';
import { metricsView, metricsHref, selectionNoData, viewSelection, type MetricsView } from '../metrics/metrics-view';
import { ScopeSelects } from '../metrics/ScopeSelects';
import { sourceOffReason } from '../metrics/source-off';
import { pickStep } from '../metrics/step';
import { useHash } from '../shell/hash-route';
import { usePageActive } from '../shell/page-activity';

const REFRESH_MS = 5000;
/** Prometheus scrapes every 15 s: a finer step only repeats samples. */
const SCRAPE_SECONDS = 15;
/** The chart's plotting area is narrower than the card by the y axis and the margins. */
const AXIS_PX = 100;
/** The bands' range moves on in whole steps of this, so every refresh shares one answer. */
const BANDS_STEP_MS = 30_000;

interface PanelProps {
  panel: DashboardPanel;
  view: MetricsView;
  rangeSeconds: number;
  live: boolean;
  bands: readonly FiringBand[];
}

function PanelCard({ panel, view, rangeSeconds, live, bands }: PanelProps) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const services = useStackStatus().data?.services;
  const off = sourceOffReason(panel.source, services);
  const span = view.window ? view.window.end - view.window.start : rangeSeconds;
  const step = pickStep(span, Math.max(width - AXIS_PX, 50), view.window ? 1 : SCRAPE_SECONDS);
  // A past window is asked once; the live range every few seconds.
  const data = useRangeQueries(panel.series, span, step, live && width > 0 && !off, view.window ? false : REFRESH_MS, view.window?.end);
  return (
    <article className="card panel" aria-labelledby={`panel-${panel.id}`} data-testid={`panel-${panel.id}`}>
      <h2 id={`panel-${panel.id}`}>{panel.title}</h2>
      <div ref={ref}>
        {off ? (
          <div className="chart-empty chart-empty-stopped" style={{ height: CHART_HEIGHT }} data-testid="chart-empty">
            <p>{off}</p>
          </div>
        ) : (
          <RangeChart data={data} unit={panel.unit} width={width} title={panel.title} noData={selectionNoData(view, panel.source) ?? panel.noData} bands={bands} />
        )}
      </div>
    </article>
  );
}

export function MetricsPage() {
  const [rangeSeconds, setRange] = useState(15 * 60);
  const active = usePageActive();
  const ready = prometheusReady(useStackStatus().data);
  const view = metricsView(useHash(), DASHBOARDS);
  // Every panel narrowed to the rigs and GPUs chosen, inside each selector (dashboards/scope.ts).
  const dashboard = scopeDashboard(DASHBOARDS.find((d) => d.id === view.tab)!, viewSelection(view));
  // What fired over the charts' range, drawn as bands on every chart: asked once for the page.
  const now = Math.ceil(useNow(BANDS_STEP_MS) / BANDS_STEP_MS) * BANDS_STEP_MS;
  const bandsEnd = view.window?.end ?? now / 1000;
  const bands = useFiringBands(view.window?.start ?? bandsEnd - rangeSeconds, bandsEnd, active);
  const go = (next: Partial<MetricsView>) => {
    window.location.hash = metricsHref({ ...view, ...next });
  };
  return (
    <section aria-labelledby="metrics-title">
      <div className="toolbar">
        <h1 id="metrics-title">Metrics</h1>
        {view.window ? (
          <div className="toolbar-group">
            <span data-testid="metrics-window">
              {new Date(view.window.start * 1000).toLocaleString()} – {new Date(view.window.end * 1000).toLocaleTimeString()}
            </span>
            <button type="button" onClick={() => go({ window: null })} data-testid="metrics-live">
              Back to live
            </button>
          </div>
        ) : (
          <RangePicker value={rangeSeconds} onChange={setRange} label="Time range" />
        )}
      </div>
      <ScopeSelects
        rig={view.rig}
        gpu={view.gpu}
        onChange={go}
        range={{ seconds: view.window ? view.window.end - view.window.start : rangeSeconds, end: view.window?.end }}
        enabled={active && ready}
      />
      <Tabs label="Dashboards" tabs={DASHBOARDS} selected={dashboard.id} onSelect={(tab) => go({ tab })} idPrefix="dashboard">
        <p className="muted small">
          {dashboard.description} {view.window ? 'A past window, as Prometheus kept it.' : `Live from Prometheus through the console, every ${REFRESH_MS / 1000} s.`}
        </p>
        <div className="panels">
          {dashboard.panels.map((p) => (
            <PanelCard key={p.id} panel={p} view={view} rangeSeconds={rangeSeconds} live={active && ready} bands={bands} />
          ))}
        </div>
      </Tabs>
    </section>
  );
}

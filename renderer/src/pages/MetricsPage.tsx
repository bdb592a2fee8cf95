import { useState } from 'react';
import { prometheusReady } from '../api/monitoring-queries';
import { useRangeQueries } from '../api/range-queries';
import { useStackStatus } from '../api/stack-queries';
import { RangeChart } from '../components/RangeChart';
import { RangePicker } from '../components/RangePicker';
import { useWidth } from '../components/use-width';
import { PANELS, type Panel } from '../metrics/panels';
import { pickStep } from '../metrics/step';
import { usePageActive } from '../shell/page-activity';

const REFRESH_MS = 5000;
/** Prometheus scrapes every 15 s: a finer step only repeats samples. */
const SCRAPE_SECONDS = 15;
/** The chart's plotting area is narrower than the card by the y axis and the margins. */
const AXIS_PX = 100;

function PanelCard({ panel, rangeSeconds, live }: { panel: Panel; rangeSeconds: number; live: boolean }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const step = pickStep(rangeSeconds, Math.max(width - AXIS_PX, 50), SCRAPE_SECONDS);
  const data = useRangeQueries(panel.series, rangeSeconds, step, live && width > 0, live ? REFRESH_MS : false);
  return (
    <article className="card panel" aria-labelledby={`panel-${panel.id}`} data-testid={`panel-${panel.id}`}>
      <h2 id={`panel-${panel.id}`}>{panel.title}</h2>
      <div ref={ref}>
        <RangeChart data={data} unit={panel.unit} width={width} title={panel.title} noData={panel.noData} />
      </div>
    </article>
  );
}

export function MetricsPage() {
  const [rangeSeconds, setRange] = useState(15 * 60);
  const active = usePageActive();
  const ready = prometheusReady(useStackStatus().data);
  return (
    <section aria-labelledby="metrics-title">
      <div className="toolbar">
        <h1 id="metrics-title">Metrics</h1>
        <RangePicker value={rangeSeconds} onChange={setRange} label="Time range" />
      </div>
      <p className="muted small">Live from Prometheus through the console, every {REFRESH_MS / 1000} s.</p>
      <div className="panels">
        {PANELS.map((p) => (
          <PanelCard key={p.id} panel={p} rangeSeconds={rangeSeconds} live={active && ready} />
        ))}
      </div>
    </section>
  );
}

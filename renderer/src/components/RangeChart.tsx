import { prometheusReady } from '../api/monitoring-queries';
import type { RangeData } from '../api/range-queries';
import { useStackStatus } from '../api/stack-queries';
import type { FiringBand } from '../alerts/firing-bands';
import { onlyGaps } from '../metrics/chart-data';
import { emptyReason } from '../metrics/empty-reason';
import type { Unit } from '../metrics/format';
import { CHART_HEIGHT, TimeSeriesChart } from './TimeSeriesChart';

interface Props {
  data: RangeData;
  unit: Unit;
  width: number;
  title: string;
  /** Says why a query returned no series, where the default (no traffic yet) would not fit. */
  noData?: string;
  /** Alerts' firing periods over the range (useFiringBands). */
  bands?: readonly FiringBand[];
}

/** A range query's chart, or the reason there is none (stack stopped, no traffic, an error). */
export function RangeChart({ data, unit, width, title, noData, bands }: Props) {
  const stack = useStackStatus();
  const state = {
    prometheusReady: stack.data ? prometheusReady(stack.data) : null,
    stackRunning: !!stack.data?.services.some((s) => s.state === 'running'),
    isPending: data.isPending,
    error: data.error as { code?: string; message: string } | null,
    seriesCount: data.seriesCount,
    onlyGaps: onlyGaps(data.rows, data.lines),
  };
  const reason = emptyReason(state, noData);
  if (reason) {
    return (
      <div className={`chart-empty chart-empty-${reason.kind}`} style={{ height: CHART_HEIGHT }} data-testid="chart-empty" role={reason.kind === 'error' ? 'alert' : undefined}>
        <p>{reason.message}</p>
      </div>
    );
  }
  return width > 0 ? <TimeSeriesChart {...data} unit={unit} width={width} title={title} bands={bands} /> : <div style={{ height: CHART_HEIGHT }} />;
}

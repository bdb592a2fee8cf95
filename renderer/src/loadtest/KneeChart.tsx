import { CartesianGrid, Line, LineChart, ReferenceDot, Tooltip, XAxis, YAxis } from 'recharts';
import type { LoadtestResult } from '../../../electron/api/schemas/loadtest';
import { CHART_HEIGHT } from '../components/TimeSeriesChart';
import { useWidth } from '../components/use-width';
import { chartPoints, formatMs, formatRate, kneePoint, loadLabel } from './figures';

/**
 * Throughput against p95 latency, one point a step in order of load: while the workers keep up
 * the line runs right at about the same height; past the knee (marked) it turns upwards.
 */
export function KneeChart({ result }: { result: LoadtestResult }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const points = chartPoints(result.steps);
  const knee = kneePoint(result.steps, result.knee);
  const label = loadLabel(result.spec.mode).toLowerCase();
  if (points.length === 0) return <p className="chart-empty">No step had a 2xx answer: nothing to plot.</p>;
  return (
    <div ref={ref} className="chart" role="img" aria-label={`Throughput against p95 latency, ${points.length} steps${knee ? `, knee at ${label} ${knee.load}` : ', no knee'}`} data-testid="loadtest-chart">
      {width > 0 && (
        <LineChart width={width} height={CHART_HEIGHT} data={points} margin={{ top: 16, right: 24, bottom: 16, left: 8 }}>
          <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
          <XAxis
            dataKey="throughput"
            type="number"
            domain={[0, 'auto']}
            tickFormatter={(v: number) => formatRate(v)}
            stroke="var(--muted)"
            fontSize={12}
            label={{ value: 'throughput (req/s)', position: 'insideBottom', offset: -8, fill: 'var(--muted)', fontSize: 11 }}
          />
          <YAxis
            dataKey="p95"
            domain={[0, 'auto']}
            tickFormatter={(v: number) => formatMs(v)}
            stroke="var(--muted)"
            fontSize={12}
            width={64}
            label={{ value: 'p95 (ms)', angle: -90, position: 'insideLeft', fill: 'var(--muted)', fontSize: 11, dy: 24 }}
          />
          <Tooltip
            isAnimationActive={false}
            labelFormatter={(_, payload) => `${label} ${payload[0]?.payload?.load ?? ''}`}
            formatter={(v, name) => (name === 'p95' ? `${formatMs(Number(v))} ms` : v)}
            contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)', color: 'var(--text)' }}
          />
          <Line dataKey="p95" name="p95" stroke="#2f81f7" strokeWidth={1.8} dot={{ r: 4 }} isAnimationActive={false} />
          {knee && (
            <ReferenceDot
              x={knee.throughput}
              y={knee.p95}
              r={8}
              fill="none"
              stroke="var(--accent)"
              strokeWidth={2.5}
              label={{ value: `knee (${label} ${knee.load})`, position: 'top', fill: 'var(--accent)', fontSize: 12 }}
            />
          )}
        </LineChart>
      )}
    </div>
  );
}

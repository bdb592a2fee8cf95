import { CartesianGrid, Legend, Line, LineChart, ReferenceArea, Tooltip, XAxis, YAxis } from 'recharts';
import { bandColor, clipBands, describeBand, type FiringBand } from '../alerts/firing-bands';
import type { ChartLine, ChartRow } from '../metrics/chart-data';
import { formatTick, formatValue, timeTicks, UNIT_LABELS, type Unit } from '../metrics/format';

/** Mid-tone colours that read on the light and the dark background alike. */
const COLORS = ['#d9463b', '#2f81f7', '#3fa34d', '#c28a00', '#a371f7', '#e0559a', '#1ba0a8', '#8a6d3b'];

export const CHART_HEIGHT = 240;

interface Props {
  rows: ChartRow[];
  lines: ChartLine[];
  unit: Unit;
  /** Unix ms: the x axis spans the whole range even where there is no data. */
  start: number;
  end: number;
  width: number;
  title: string;
  /** Alerts' firing periods (useFiringBands), drawn behind the lines. */
  bands?: readonly FiringBand[];
}

/** The band's own rectangle, so it carries a tooltip and test attributes (ReferenceArea's would not). */
function BandRect({ x, y, width, height, band }: { x?: number; y?: number; width?: number; height?: number; band: FiringBand }) {
  return (
    <rect x={x} y={y} width={width} height={height} style={{ fill: bandColor(band.severity), fillOpacity: 0.15 }} data-testid="alert-band" data-alertname={band.alertname} data-severity={band.severity ?? ''}>
      <title>{describeBand(band)}</title>
    </rect>
  );
}

export function TimeSeriesChart({ rows, lines, unit, start, end, width, title, bands = [] }: Props) {
  const rangeSeconds = (end - start) / 1000;
  const shown = clipBands(bands, start, end);
  // The chart is one image to a screen reader: its label says what the bands show.
  const firing = shown.length ? `; alerts firing: ${shown.map(describeBand).join('; ')}` : '';
  return (
    <div className="chart" role="img" aria-label={`${title}: chart of ${lines.map((l) => l.name).join(', ')}${firing}`} data-testid="chart">
      <LineChart width={width} height={CHART_HEIGHT} data={rows} margin={{ top: 8, right: 12, bottom: 0, left: 8 }}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
        <XAxis
          dataKey="t"
          type="number"
          scale="time"
          domain={[start, end]}
          ticks={timeTicks(start, end)}
          tickFormatter={(t: number) => formatTick(t, rangeSeconds)}
          stroke="var(--muted)"
          fontSize={12}
        />
        <YAxis
          tickFormatter={(v: number) => formatValue(v, unit)}
          stroke="var(--muted)"
          fontSize={12}
          width={76}
          label={{ value: UNIT_LABELS[unit], angle: -90, position: 'insideLeft', fill: 'var(--muted)', fontSize: 11, dx: -2, dy: 40 }}
        />
        <Tooltip
          isAnimationActive={false}
          labelFormatter={(t) => new Date(Number(t)).toLocaleTimeString()}
          formatter={(v) => formatValue(typeof v === 'number' ? v : Number(v), unit)}
          contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)', color: 'var(--text)' }}
        />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {shown.map((b, i) => (
          <ReferenceArea key={`${b.alertname}-${b.start}-${i}`} x1={b.start} x2={b.end} ifOverflow="visible" shape={(p: object) => <BandRect {...p} band={b} />} />
        ))}
        {lines.map((l, i) => (
          <Line key={l.key} dataKey={l.key} name={l.name} stroke={COLORS[i % COLORS.length]} dot={false} strokeWidth={1.6} isAnimationActive={false} connectNulls={false} />
        ))}
      </LineChart>
    </div>
  );
}

/** A range query's series as Prometheus returns them: `[unixSeconds, "value"]` pairs. */
export interface MatrixSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

export interface ChartLine {
  key: string;
  name: string;
}

/** One row per timestamp (`t` in ms), one column per line; a gap is null (Recharts breaks the line). */
export type ChartRow = { t: number } & Record<string, number | null>;

/** Fills `{{label}}` from the series' labels; without a template, the labels themselves. */
export function legendFor(metric: Record<string, string>, template?: string): string {
  if (template) return template.replace(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g, (_, l: string) => metric[l] ?? '');
  const { __name__: name = '', ...labels } = metric;
  const inner = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ');
  return inner ? `${name}{${inner}}` : name || '{}';
}

/** Joins series (each with its legend) into rows by timestamp; NaN and infinities become gaps. */
export function toChartRows(groups: { series: MatrixSeries[]; legend?: string }[]): { rows: ChartRow[]; lines: ChartLine[] } {
  const byTime = new Map<number, ChartRow>();
  const lines: ChartLine[] = [];
  for (const group of groups) {
    for (const s of group.series) {
      const key = `s${lines.length}`;
      lines.push({ key, name: legendFor(s.metric, group.legend) });
      for (const [t, raw] of s.values) {
        const ms = Math.round(t * 1000);
        let row = byTime.get(ms);
        if (!row) byTime.set(ms, (row = { t: ms } as ChartRow));
        const v = Number(raw);
        row[key] = Number.isFinite(v) ? v : null;
      }
    }
  }
  const rows = [...byTime.values()].sort((a, b) => a.t - b.t);
  return { rows, lines };
}

/** True when every sample is a gap: the series exist but say nothing yet (0/0 without traffic). */
export function onlyGaps(rows: ChartRow[], lines: ChartLine[]): boolean {
  return rows.every((r) => lines.every((l) => r[l.key] === null || r[l.key] === undefined));
}

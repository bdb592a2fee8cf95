import { keepPreviousData, useQueries } from '@tanstack/react-query';
import { toChartRows, type ChartLine, type ChartRow } from '../metrics/chart-data';
import { useApi } from './api-context';

export interface RangeRequest {
  query: string;
  legend?: string;
}

export interface RangeData {
  rows: ChartRow[];
  lines: ChartLine[];
  /** Unix ms of the range the rows cover. */
  start: number;
  end: number;
  seriesCount: number;
  isPending: boolean;
  error: Error | null;
}

/**
 * Range queries for one chart through the main process, ending now (or at `endAt`, Unix
 * seconds, for a past window), refreshed every `refreshMs` while `enabled`. The end is aligned
 * to the step so every refresh of every panel shares the grid.
 */
export function useRangeQueries(requests: RangeRequest[], rangeSeconds: number, step: number, enabled: boolean, refreshMs: number | false, endAt?: number): RangeData {
  const api = useApi();
  const results = useQueries({
    queries: requests.map((r) => ({
      queryKey: ['prometheus', 'range', r.query, rangeSeconds, step, endAt],
      queryFn: async () => {
        // A past window keeps its end inside; a live one ends at the last whole step.
        const end = endAt === undefined ? Math.floor(Date.now() / 1000 / step) * step : Math.ceil(endAt / step) * step;
        const start = end - rangeSeconds;
        return { start, end, data: await api.call('prometheus.queryRange', { query: r.query, start, end, step }) };
      },
      enabled,
      refetchInterval: refreshMs,
      placeholderData: keepPreviousData,
    })),
  });
  const done = results.map((r, i) => ({ r, legend: requests[i]?.legend })).filter((x) => x.r.data);
  const { rows, lines } = toChartRows(done.map(({ r, legend }) => ({ series: r.data!.data.result, legend })));
  const latest = done[0]?.r.data;
  const nowS = Date.now() / 1000;
  return {
    rows,
    lines,
    start: (latest?.start ?? nowS - rangeSeconds) * 1000,
    end: (latest?.end ?? nowS) * 1000,
    seriesCount: lines.length,
    isPending: results.some((r) => r.isPending),
    error: results.find((r) => r.error)?.error ?? null,
  };
}

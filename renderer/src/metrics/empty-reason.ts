export interface ChartState {
  /** Prometheus's readiness: null while the stack status is not known yet. */
  prometheusReady: boolean | null;
  stackRunning: boolean;
  isPending: boolean;
  error: { code?: string; message: string } | null;
  seriesCount: number;
  onlyGaps: boolean;
}

const NO_SERIES = 'No data yet: nothing has reported this metric in the chosen range (no traffic yet, or the inference service is not being scraped).';

/**
 * Why a chart shows no line, in words the user can act on; null when there is something to
 * draw. `noSeries` replaces the message for a query that returned no series at all.
 */
export function emptyReason(s: ChartState, noSeries = NO_SERIES): { kind: 'loading' | 'stopped' | 'error' | 'no-data'; message: string } | null {
  if (s.prometheusReady === null) return { kind: 'loading', message: 'Asking the Docker engine…' };
  if (!s.prometheusReady) {
    return s.stackRunning
      ? { kind: 'stopped', message: 'Prometheus is not ready yet: charts fill in once it answers.' }
      : { kind: 'stopped', message: 'The stack is stopped: start it on the Overview page to collect metrics.' };
  }
  if (s.error) {
    if (s.error.code?.endsWith('_UNREACHABLE')) return { kind: 'stopped', message: s.error.message };
    return { kind: 'error', message: s.error.message };
  }
  if (s.isPending && s.seriesCount === 0) return { kind: 'loading', message: 'Querying Prometheus…' };
  if (s.seriesCount === 0) return { kind: 'no-data', message: noSeries };
  if (s.onlyGaps) return { kind: 'no-data', message: 'No traffic yet: the series exist, but there were no requests to compute this from in the chosen range.' };
  return null;
}

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { bandRange, firingBands, type FiringBand } from '../alerts/firing-bands';
import { useApi } from './api-context';
import { prometheusReady, usePolledQuery } from './monitoring-queries';
import { useStackStatus } from './stack-queries';

/** A new evaluation is at most an interval away; the history need not be fresher than this. */
const HISTORY_REFRESH_MS = 30_000;
const NO_BANDS: FiringBand[] = [];

/** What fired over the last `rangeSeconds`, refreshed while the page is visible and Prometheus ready. */
export function useAlertHistory(rangeSeconds: number) {
  const api = useApi();
  const ready = prometheusReady(useStackStatus().data);
  return usePolledQuery(ready, {
    queryKey: ['prometheus', 'alertHistory', 'last', rangeSeconds],
    queryFn: () => {
      const end = Math.floor(Date.now() / 1000);
      return api.call('prometheus.alertHistory', { start: end - rangeSeconds, end });
    },
    refetchInterval: HISTORY_REFRESH_MS,
    keepPrevious: true,
  });
}

/**
 * The firing periods over the charts' range [startSec, endSec] (Unix seconds), as bands in Unix
 * ms for RangeChart's `bands`. Empty while loading, on error, or with Prometheus not ready: the
 * bands are an aid, the charts say themselves why they are empty. The range moves with a live
 * chart; the previous bands stay drawn until the new ones arrive.
 */
export function useFiringBands(startSec: number, endSec: number, enabled: boolean): FiringBand[] {
  const api = useApi();
  const ready = prometheusReady(useStackStatus().data);
  const range = bandRange(startSec, endSec);
  const query = useQuery({
    queryKey: ['prometheus', 'alertHistory', range?.start, range?.end],
    queryFn: () => api.call('prometheus.alertHistory', range!),
    enabled: enabled && ready && range !== null,
    placeholderData: keepPreviousData,
  });
  const openEnd = range?.end;
  return useMemo(() => (query.data ? firingBands(query.data, openEnd) : NO_BANDS), [query.data, openEnd]);
}

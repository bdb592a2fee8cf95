import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { CreateSilenceInput } from '../../../electron/api/monitoring-contract';
import { batches } from '../alerts/silence-list';
import { useApi } from './api-context';
import { alertmanagerReady, usePolledQuery } from './monitoring-queries';
import { useStackStatus } from './stack-queries';

/** Alertmanager's alerts and silences share this key: a change to one refreshes both. */
const ALERTMANAGER_KEY = ['alertmanager'] as const;

/** Alertmanager's active alerts, polled while the page is visible and Alertmanager ready. */
export function useAlertmanagerAlerts() {
  const api = useApi();
  const ready = alertmanagerReady(useStackStatus().data);
  return usePolledQuery(ready, { queryKey: [...ALERTMANAGER_KEY, 'alerts'], queryFn: () => api.call('alertmanager.alerts'), refetchInterval: 5000 });
}

/** Every silence Alertmanager keeps (expired ones too), polled like its alerts. */
export function useSilences() {
  const api = useApi();
  const ready = alertmanagerReady(useStackStatus().data);
  return usePolledQuery(ready, { queryKey: [...ALERTMANAGER_KEY, 'silences'], queryFn: () => api.call('alertmanager.silences'), refetchInterval: 5000 });
}

export function useExpireSilence() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.call('alertmanager.expireSilence', id),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ALERTMANAGER_KEY }),
  });
}

/** Creates silences one after the other (a maintenance silence can be two); stops at the first refused. */
export function useCreateSilences() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (silences: CreateSilenceInput[]) => {
      const ids: string[] = [];
      for (const s of silences) ids.push((await api.call('alertmanager.createSilence', s)).silenceID);
      return ids;
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ALERTMANAGER_KEY }),
  });
}

/** Ids per call: small enough that the progress moves, large enough not to be a call per silence. */
const BATCH = 10;

export interface BulkExpiry {
  done: number;
  total: number;
  failures: { id: string; error: string }[];
  running: boolean;
}

/** Expires many silences in batches, counting progress and keeping each failure with its reason. */
export function useBulkExpire() {
  const api = useApi();
  const queryClient = useQueryClient();
  const [state, setState] = useState<BulkExpiry | null>(null);
  const run = async (ids: string[]) => {
    let progress: BulkExpiry = { done: 0, total: ids.length, failures: [], running: true };
    setState(progress);
    for (const batch of batches(ids, BATCH)) {
      const failures = await api.call('alertmanager.expireSilences', batch).then(
        ({ results }) => results.flatMap((r) => (r.expired ? [] : [{ id: r.id, error: r.error ?? 'not expired' }])),
        // The call itself failed (Alertmanager gone, say): the whole batch failed for that reason.
        (err: Error) => batch.map((id) => ({ id, error: err.message })),
      );
      progress = { ...progress, done: progress.done + batch.length, failures: [...progress.failures, ...failures] };
      setState(progress);
    }
    setState({ ...progress, running: false });
    await queryClient.invalidateQueries({ queryKey: ALERTMANAGER_KEY });
  };
  return { state, run, reset: () => setState(null) };
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { LoadtestProgress, LoadtestSpecInput } from '../../../electron/api/schemas/loadtest';
import { useApi } from './api-context';

export const loadtestKey = ['loadtest'] as const;

/** Saved runs, newest first (a run under way on top); polled while one runs, in case an event is missed. */
export function useLoadtestList(running: boolean) {
  const api = useApi();
  return useQuery({ queryKey: [...loadtestKey, 'list'], queryFn: () => api.call('loadtest.list'), refetchInterval: running ? 2000 : false });
}

/** One run, compared with a baseline when one is named. */
export function useLoadtestRun(id: string | null, baselineId: string) {
  const api = useApi();
  return useQuery({
    queryKey: [...loadtestKey, 'get', id, baselineId],
    // An absent baseline is left out, not sent as null, which the contract refuses.
    queryFn: () => (baselineId ? api.call('loadtest.get', id!, baselineId) : api.call('loadtest.get', id!)),
    enabled: id !== null,
    retry: false,
  });
}

export function useStartLoadtest() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (spec: LoadtestSpecInput) => api.call('loadtest.start', spec),
    onSettled: () => queryClient.invalidateQueries({ queryKey: loadtestKey }),
  });
}

export function useCancelLoadtest() {
  const api = useApi();
  return useMutation({ mutationFn: (id: string) => api.call('loadtest.cancel', id) });
}

/** The latest `loadtest.progress` event (one run at a time, so it is the current run's); a run's last one refreshes the saved runs. */
export function useLoadtestProgress(): LoadtestProgress | null {
  const api = useApi();
  const queryClient = useQueryClient();
  const [latest, setLatest] = useState<LoadtestProgress | null>(null);
  useEffect(
    () =>
      api.on('loadtest.progress', (p) => {
        setLatest(p);
        if (p.status !== 'running') void queryClient.invalidateQueries({ queryKey: loadtestKey });
      }),
    [api, queryClient],
  );
  return latest;
}

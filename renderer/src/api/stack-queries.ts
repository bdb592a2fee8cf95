import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { StackProgress, StackStatus } from '../../../electron/api/schemas/stack-status';
import { useApi } from './api-context';

export const stackStatusKey = ['stack', 'status'] as const;

/** Stack status from one query, kept live by the `stack.status` event stream. */
export function useStackStatus() {
  const api = useApi();
  const queryClient = useQueryClient();
  useEffect(() => api.on('stack.status', (status) => queryClient.setQueryData(stackStatusKey, status)), [api, queryClient]);
  return useQuery({ queryKey: stackStatusKey, queryFn: () => api.call('stack.status') });
}

/** Latest progress step per service (and for the stack as a whole under `stack`). */
export function useStackProgress(): Record<string, StackProgress> {
  const api = useApi();
  const [steps, setSteps] = useState<Record<string, StackProgress>>({});
  useEffect(
    () =>
      api.on('stack.progress', (p) => {
        setSteps((prev) => (p.step === 'config' && p.service === null ? { stack: p } : { ...prev, [p.service ?? 'stack']: p }));
      }),
    [api],
  );
  return steps;
}

/** Starting or stopping the rig, or the inference service on its own: each answers with the rig's status. */
export function useStackAction(action: 'stack.up' | 'stack.down' | 'inference.start' | 'inference.stop') {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.call(action),
    onSuccess: (status: StackStatus) => queryClient.setQueryData(stackStatusKey, status),
    // The Predictions page asks the service whether it answers before it asks for models: let it
    // ask again (not the models, which would fail while the service is down).
    onSettled: () => Promise.all([queryClient.invalidateQueries({ queryKey: stackStatusKey }), queryClient.invalidateQueries({ queryKey: ['inference', 'health'] })]),
  });
}

/** Starts or stops one worker of this machine (by its card, or cpu); the stack's status comes back with the answer. */
export function useWorkerAction() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ worker, action }: { worker: string; action: 'start' | 'stop' }) => api.call(action === 'start' ? 'inference.workerStart' : 'inference.workerStop', worker),
    onSuccess: (status: StackStatus) => queryClient.setQueryData(stackStatusKey, status),
    onSettled: () => queryClient.invalidateQueries({ queryKey: stackStatusKey }),
  });
}

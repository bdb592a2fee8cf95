import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { ProcessStatus } from '../../../electron/process/process-status';
import { useApi } from './api-context';

export const inferenceProcessKey = ['inference', 'process'] as const;

/** The inference process's status from one query, kept live by the `inference.status` events. */
export function useInferenceProcess() {
  const api = useApi();
  const queryClient = useQueryClient();
  useEffect(() => api.on('inference.status', (status) => queryClient.setQueryData(inferenceProcessKey, status)), [api, queryClient]);
  return useQuery({ queryKey: inferenceProcessKey, queryFn: () => api.call('inference.status') });
}

export function useInferenceProcessAction(action: 'inference.start' | 'inference.stop') {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.call(action),
    onSuccess: (status: ProcessStatus) => queryClient.setQueryData(inferenceProcessKey, status),
    // The Predictions page asks the service whether it answers before it asks for models: let it
    // ask again (not the models, which would fail while the service is down).
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['inference', 'health'] }),
  });
}

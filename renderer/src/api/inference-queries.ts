import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ApiArgs } from '../../../electron/api/contract';
import { useApi } from './api-context';

export const loadedModelsKey = ['inference', 'models'] as const;
export const availableModelsKey = ['inference', 'available'] as const;

/** Whether the service answers; polled while it does not, so the page notices when it starts. */
export function useInferenceStatus() {
  const api = useApi();
  return useQuery({
    queryKey: ['inference', 'health'],
    queryFn: () => api.call('inference.health'),
    refetchInterval: (query) => (query.state.data?.reachable === false ? 3000 : false),
  });
}

/** Models loaded in the inference service (asked only once it answers). */
export function useLoadedModels(enabled: boolean) {
  const api = useApi();
  return useQuery({ queryKey: loadedModelsKey, queryFn: () => api.call('models.list'), retry: false, enabled });
}

/** `.onnx` files in the service's models directory. */
export function useAvailableModels() {
  const api = useApi();
  return useQuery({ queryKey: availableModelsKey, queryFn: () => api.call('models.available'), retry: false });
}

export function useLoadModel() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: ApiArgs<'models.load'>[0]) => api.call('models.load', request),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['inference'] }),
  });
}

export function usePredict() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: ApiArgs<'predict.run'>[0]) => api.call('predict.run', request),
    onSettled: () => queryClient.invalidateQueries({ queryKey: loadedModelsKey }),
  });
}

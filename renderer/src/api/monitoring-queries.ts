import { keepPreviousData, useQuery, type QueryKey } from '@tanstack/react-query';
import type { StackStatus } from '../../../electron/api/schemas/stack-status';
import { usePageActive } from '../shell/page-activity';
import { useApi } from './api-context';
import { useStackStatus } from './stack-queries';

/** True once the stack's Prometheus answers its readiness probe. */
export function prometheusReady(stack: StackStatus | undefined): boolean {
  const p = stack?.services.find((s) => s.name === 'prometheus');
  return !!p && p.enabled && p.state === 'running' && p.health === 'healthy';
}

export function alertmanagerReady(stack: StackStatus | undefined): boolean {
  const a = stack?.services.find((s) => s.name === 'alertmanager');
  return !!a && a.enabled && a.state === 'running' && a.health === 'healthy';
}

/** Pending and firing alerts from Prometheus, polled while the stack runs. */
export function usePrometheusAlerts(intervalMs = 5000) {
  const api = useApi();
  const stack = useStackStatus();
  const ready = prometheusReady(stack.data);
  return {
    ready,
    query: useQuery({
      queryKey: ['prometheus', 'alerts'],
      queryFn: () => api.call('prometheus.alerts'),
      enabled: ready,
      refetchInterval: intervalMs,
    }),
  };
}

/**
 * A query polled while its page is visible and its service `ready`; `ready` is passed on, for
 * the page to say the stack is stopped rather than wait.
 */
export function usePolledQuery<T>(ready: boolean, options: { queryKey: QueryKey; queryFn: () => Promise<T>; refetchInterval: number; keepPrevious?: boolean }) {
  const active = usePageActive();
  const { keepPrevious, ...rest } = options;
  return { ready, query: useQuery({ ...rest, enabled: ready && active, ...(keepPrevious ? { placeholderData: keepPreviousData } : {}) }) };
}

/** Rules with their state, polled while the page is visible and Prometheus ready. */
export function usePrometheusRules() {
  const api = useApi();
  const ready = prometheusReady(useStackStatus().data);
  return usePolledQuery(ready, { queryKey: ['prometheus', 'rules'], queryFn: () => api.call('prometheus.rules'), refetchInterval: 5000 });
}

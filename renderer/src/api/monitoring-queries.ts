import { useQuery } from '@tanstack/react-query';
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

/** Rules with their state, polled while the page is visible and Prometheus ready. */
export function usePrometheusRules() {
  const api = useApi();
  const active = usePageActive();
  const ready = prometheusReady(useStackStatus().data);
  return {
    ready,
    query: useQuery({
      queryKey: ['prometheus', 'rules'],
      queryFn: () => api.call('prometheus.rules'),
      enabled: ready && active,
      refetchInterval: 5000,
    }),
  };
}

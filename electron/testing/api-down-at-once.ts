import type { PrometheusClient } from '../../stack/clients/prometheus-client';
import type { CoreCall } from './core-calls';

/**
 * Makes APIDown fire at the first evaluation that sees the worker down (`for` 0 s), saved from
 * the settings while the stack runs, as a user would. Call it once the worker answers: set from
 * the stack's start, a slow host's first scrapes of a worker still loading its models would fire
 * it too, and an alert's history would hold a period no test made.
 */
export async function fireApiDownAtOnce(call: CoreCall, prometheus: PrometheusClient): Promise<void> {
  const { settings } = await call('settings.get');
  const view = await call('settings.update', { ...settings, alerts: { ...settings.alerts, apiDownFor: '0s' } });
  if (view.restartNeeded) throw new Error('saving alerts.apiDownFor asked for a restart');
  const rule = (await prometheus.rules()).groups.flatMap((g) => g.rules).find((r) => r.type === 'alerting' && r.name === 'APIDown');
  const duration = rule?.type === 'alerting' ? rule.duration : undefined;
  if (duration !== 0) throw new Error(`Prometheus has APIDown with a "for" of ${duration} s, not 0 s`);
}

import { AlertmanagerClient } from '../../../stack/clients/alertmanager-client';
import { PrometheusClient } from '../../../stack/clients/prometheus-client';
import type { Settings } from '../../api/schemas/settings';
import type { HandlersFor } from '../../api/contract';
import type { monitoringMethods } from '../../api/monitoring-contract';

/**
 * The monitoring methods, built on the typed Prometheus and Alertmanager clients at the ports
 * the settings name. Errors pass through as the clients raise them: a bad query is
 * Prometheus's own 4xx, a stopped service a 503 that says to start the stack.
 */
export function monitoringHandlers(settings: Settings): HandlersFor<typeof monitoringMethods> {
  const prometheus = new PrometheusClient(`http://127.0.0.1:${settings.prometheus.port}`);
  const alertmanager = new AlertmanagerClient(`http://127.0.0.1:${settings.alertmanager.port}`);
  return {
    'prometheus.query': ({ query, time }) => prometheus.query(query, time),
    'prometheus.queryRange': ({ query, start, end, step }) => prometheus.queryRange(query, start, end, step),
    'prometheus.rules': () => prometheus.rules(),
    'prometheus.alerts': () => prometheus.alerts(),
    'prometheus.targets': () => prometheus.targets(),
    'prometheus.metricNames': () => prometheus.labelValues('__name__'),
    'prometheus.labelNames': ({ match }) => prometheus.labelNames(match),
    'prometheus.labelValues': (label, { match }) => prometheus.labelValues(label, match),
    'prometheus.series': ({ match }) => prometheus.series(match),
    'prometheus.metadata': () => prometheus.metadata(),
    'alertmanager.alerts': () => alertmanager.alerts(),
    'alertmanager.silences': () => alertmanager.silences(),
    'alertmanager.createSilence': async ({ matchers, durationSeconds, comment, createdBy }) => {
      const now = Date.now();
      const silenceID = await alertmanager.createSilence({
        matchers,
        startsAt: new Date(now).toISOString(),
        endsAt: new Date(now + durationSeconds * 1000).toISOString(),
        createdBy,
        comment,
      });
      return { silenceID };
    },
    'alertmanager.expireSilence': async (id) => {
      await alertmanager.expireSilence(id);
      return { expired: true as const };
    },
  };
}

import { AlertmanagerClient } from '../../../stack/clients/alertmanager-client';
import { PrometheusClient } from '../../../stack/clients/prometheus-client';
import { userMessage } from '../../../stack/console-error';
import { alertHistory } from '../alert-history/alert-history';
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
    'prometheus.labelNames': ({ match, ...range }) => prometheus.labelNames(match, range),
    'prometheus.labelValues': (label, { match, ...range }) => prometheus.labelValues(label, match, range),
    'prometheus.series': ({ match }) => prometheus.series(match),
    'prometheus.metadata': () => prometheus.metadata(),
    // The interval read at each call: a saved settings form changes it on the running Prometheus.
    'prometheus.alertHistory': ({ start, end }) => alertHistory(prometheus, start, end, settings.alerts.evaluationInterval),
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
    'alertmanager.expireSilences': async (ids) => {
      // One at a time, each outcome its own: a silence already expired elsewhere fails alone.
      const results = [];
      for (const id of ids) {
        try {
          await alertmanager.expireSilence(id);
          results.push({ id, expired: true, error: null });
        } catch (err) {
          results.push({ id, expired: false, error: userMessage(err) });
        }
      }
      return { results };
    },
  };
}

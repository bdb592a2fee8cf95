import type { PrometheusClient } from '@prometheus-io/codemirror-promql';
import type { ApiClient } from '../api/client';
import { selectorFor, type EditorMatcher } from './selector';

/**
 * What the PromQL editor's completion asks, answered through our API contract: the renderer
 * never talks to Prometheus itself. While Prometheus is down completion offers nothing, quietly.
 */
export function contractPromClient(api: ApiClient): PrometheusClient {
  const quiet = <T>(fallback: T) => (): T => fallback;
  return {
    labelNames: (metricName?: string) => api.call('prometheus.labelNames', { match: metricName ? [metricName] : [] }).catch(quiet([])),
    labelValues: (labelName: string, metricName?: string, matchers?: EditorMatcher[]) =>
      api.call('prometheus.labelValues', labelName, { match: metricName ? [selectorFor(metricName, matchers, labelName)] : [] }).catch(quiet([])),
    metricMetadata: () => api.call('prometheus.metadata').catch(quiet({})),
    series: (metricName: string, matchers?: EditorMatcher[], labelName?: string) =>
      api
        .call('prometheus.series', { match: [selectorFor(metricName, matchers, labelName)] })
        .then((list) => list.map((labels) => new Map(Object.entries(labels))))
        .catch(quiet([])),
    metricNames: () => api.call('prometheus.metricNames').catch(quiet([])),
    flags: async () => ({}),
  };
}

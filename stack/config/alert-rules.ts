import { stringify } from 'yaml';
import { INFERENCE_METRICS, PROCESS_METRICS } from '../../inference/metric-names';
import { JOBS } from './scrape-jobs';
import type { Settings } from '../../electron/api/schemas/settings';

/**
 * The seed's 11 alert rules, corrected: ratios divide sums (not each series by itself),
 * quantiles aggregate buckets `by (le)`, APIDown asks `up` of the inference job (an idle API is
 * not a down one), and the container alerts ask what Prometheus scrapes of every stack service
 * itself (`up`, and restarts as changes of `process_start_time_seconds`), so no alert depends on
 * a process of the console's or on a cAdvisor nobody ran. Every stack target carries a `service`
 * label (stack/prometheus-config.ts). Thresholds and `for` durations come from `settings.alerts`.
 */

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: 'critical' | 'warning'; component: 'api' | 'inference' | 'model_loader' | 'memory' | 'docker' | 'prometheus' };
  annotations: { summary: string; description: string };
}

export interface AlertRuleGroup {
  name: string;
  interval: string;
  rules: AlertRule[];
}

/** Rule files, relative to prometheus.yml's directory (relative, so a staged copy checks its own rules). */
export const ALERT_RULE_FILES = { api: 'alerts/api_alerts.yml', system: 'alerts/system_alerts.yml' } as const;

const { requests, requestDuration, inferenceDuration, modelsLoaded, memory } = INFERENCE_METRICS;
/** The targets of the stack's own services: each has a `service` label. */
const STACK_TARGET = 'service!=""';

const errorRatio = `sum(rate(${requests.name}{status=~"5.."}[5m])) / sum(rate(${requests.name}[5m]))`;
const p95 = (histogram: string, by: string[] = []) =>
  `histogram_quantile(0.95, sum by (${[...by, 'le'].join(', ')}) (rate(${histogram}_bucket[5m])))`;
const percent = (ratio: number) => `${+(ratio * 100).toFixed(2)} %`;

/** The warning and the critical error-rate rules differ only in name, severity, threshold and duration. */
function errorRateRule(alert: string, severity: AlertRule['labels']['severity'], threshold: number, duration: string): AlertRule {
  return {
    alert,
    expr: `${errorRatio} > ${threshold}`,
    for: duration,
    labels: { severity, component: 'api' },
    annotations: {
      summary: `${severity === 'critical' ? 'Critical' : 'High'} API error rate`,
      description: `{{ $value | humanizePercentage }} of API requests failed with 5xx over 5 minutes (threshold ${percent(threshold)}).`,
    },
  };
}

export function alertRuleGroups(alerts: Settings['alerts']): AlertRuleGroup[] {
  const api: AlertRule[] = [
    errorRateRule('HighErrorRate', 'warning', alerts.errorRateWarning, alerts.errorRateWarningFor),
    errorRateRule('CriticalErrorRate', 'critical', alerts.errorRateCritical, alerts.errorRateCriticalFor),
    {
      alert: 'HighLatency',
      expr: `${p95(requestDuration.name)} > ${alerts.latencyP95Seconds}`,
      for: alerts.latencyFor,
      labels: { severity: 'warning', component: 'api' },
      annotations: {
        summary: 'High API latency',
        description: `P95 request latency is {{ $value | humanizeDuration }} (threshold ${alerts.latencyP95Seconds} s).`,
      },
    },
    {
      alert: 'APIDown',
      expr: `up{job="${JOBS.inference}"} == 0`,
      for: alerts.apiDownFor,
      labels: { severity: 'critical', component: 'api' },
      annotations: {
        summary: 'Inference API is down',
        description: 'Prometheus cannot scrape the inference service at {{ $labels.instance }}.',
      },
    },
    {
      alert: 'HighRequestRate',
      expr: `sum(rate(${requests.name}[1m])) > ${alerts.requestRatePerSecond}`,
      for: alerts.requestRateFor,
      labels: { severity: 'warning', component: 'api' },
      annotations: {
        summary: 'High API request rate',
        description: `The API serves {{ $value | humanize }} requests per second (threshold ${alerts.requestRatePerSecond}).`,
      },
    },
    {
      alert: 'ModelLoadFailures',
      expr: `sum(increase(${modelsLoaded.name}{status="failed"}[10m])) > ${alerts.modelLoadFailures}`,
      for: alerts.modelLoadFailuresFor,
      labels: { severity: 'warning', component: 'model_loader' },
      annotations: {
        summary: 'Model loads are failing',
        description: `{{ $value | humanize }} model loads failed in the last 10 minutes (threshold ${alerts.modelLoadFailures}).`,
      },
    },
    {
      alert: 'SlowInference',
      expr: `${p95(inferenceDuration.name, ['model'])} > ${alerts.inferenceP95Seconds}`,
      for: alerts.inferenceFor,
      labels: { severity: 'warning', component: 'inference' },
      annotations: {
        summary: 'Slow inference',
        description: `P95 inference time of model {{ $labels.model }} is {{ $value | humanizeDuration }} (threshold ${alerts.inferenceP95Seconds} s).`,
      },
    },
    {
      alert: 'HighMemoryUsage',
      expr: `${memory.name} > ${alerts.memoryBytes}`,
      for: alerts.memoryFor,
      labels: { severity: 'warning', component: 'memory' },
      annotations: {
        summary: 'High memory usage',
        description: `The inference service uses {{ $value | humanize1024 }}B (threshold ${alerts.memoryBytes} bytes).`,
      },
    },
  ];
  const system: AlertRule[] = [
    {
      alert: 'ContainerRestarting',
      // A restarted process reports a new start time; Prometheus keeps the series across it.
      expr: `changes(${PROCESS_METRICS.startTime.name}{${STACK_TARGET}}[10m]) > ${alerts.containerRestarts}`,
      for: alerts.containerRestartingFor,
      labels: { severity: 'warning', component: 'docker' },
      annotations: {
        summary: 'Container {{ $labels.service }} keeps restarting',
        description: `The {{ $labels.service }} container restarted {{ $value | humanize }} times in 10 minutes (threshold ${alerts.containerRestarts}).`,
      },
    },
    {
      alert: 'ContainerDown',
      expr: `up{${STACK_TARGET}} == 0`,
      for: alerts.containerDownFor,
      labels: { severity: 'critical', component: 'docker' },
      annotations: {
        summary: 'Container {{ $labels.service }} is down',
        description: 'The {{ $labels.service }} service of the stack ({{ $labels.instance }}) does not answer its scrape.',
      },
    },
    {
      alert: 'PrometheusTargetDown',
      expr: 'up == 0',
      for: alerts.targetDownFor,
      labels: { severity: 'warning', component: 'prometheus' },
      annotations: {
        summary: 'Scrape target {{ $labels.job }} is down',
        description: 'Prometheus cannot scrape {{ $labels.instance }} (job {{ $labels.job }}).',
      },
    },
  ];
  const interval = alerts.evaluationInterval;
  return [
    { name: 'rx580-api', interval, rules: api },
    { name: 'rx580-system', interval, rules: system },
  ];
}

/** The rule files, by path relative to the Prometheus config directory. */
export function renderAlertRules(alerts: Settings['alerts']): Record<string, string> {
  const [api, system] = alertRuleGroups(alerts);
  // lineWidth 0: one line per expression and template, as users read and grep rule files.
  return {
    [ALERT_RULE_FILES.api]: stringify({ groups: [api] }, { lineWidth: 0 }),
    [ALERT_RULE_FILES.system]: stringify({ groups: [system] }, { lineWidth: 0 }),
  };
}

import { stringify } from 'yaml';
import { INFERENCE_METRICS, PROCESS_METRICS } from '../../inference/metric-names';
import { JOBS } from './scrape-jobs';
import type { Settings } from '../../electron/api/schemas/settings';

/**
 * The seed's 11 alert rules, corrected, and two for a fleet of rigs (RigDown, WorkerDown):
 * ratios divide sums (not each series by itself),
 * quantiles aggregate buckets `by (le)`, APIDown asks `up` of the inference job (an idle API is
 * not a down one) over every worker, and the container alerts ask what Prometheus scrapes of every stack service
 * itself (`up`, and restarts as changes of `process_start_time_seconds`), so no alert depends on
 * a process of the console's or on a cAdvisor nobody ran. Every stack target carries a `service`
 * label (stack/prometheus-config.ts). Thresholds and `for` durations come from `settings.alerts`.
 */

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: 'critical' | 'warning'; component: 'api' | 'inference' | 'model_loader' | 'memory' | 'docker' | 'prometheus' | 'rig' };
  annotations: { summary: string; description: string };
}

export interface AlertRuleGroup {
  name: string;
  interval: string;
  rules: AlertRule[];
}

/** Rule files, relative to prometheus.yml's directory (relative, so a staged copy checks its own rules). */
export const ALERT_RULE_FILES = { api: 'alerts/api_alerts.yml', system: 'alerts/system_alerts.yml', fleet: 'alerts/fleet_alerts.yml' } as const;

const { requests, requestDuration, inferenceDuration, modelsLoaded, memory } = INFERENCE_METRICS;
/** The targets of the stack's own services: each has a `service` label. */
const STACK_TARGET = 'service!=""';
/** The monitoring services' targets; an inference worker's down is WorkerDown, which names its rig and GPU. */
const MONITORING_TARGET = 'service!="",service!="inference"';
const INFERENCE_UP = `up{job="${JOBS.inference}"}`;

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
      // The API as a whole: no worker on any rig answers. One worker down is WorkerDown.
      alert: 'APIDown',
      expr: `max by (job, service) (${INFERENCE_UP}) == 0`,
      for: alerts.apiDownFor,
      labels: { severity: 'critical', component: 'api' },
      annotations: {
        summary: 'Inference API is down',
        description: 'No inference worker answers its scrape: the API serves nothing.',
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
      expr: `up{${MONITORING_TARGET}} == 0`,
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
  const fleet: AlertRule[] = [
    {
      // Every target of the rig is down: its link, its engine or the box itself, not each worker.
      alert: 'RigDown',
      expr: 'max by (rig) (up{rig!=""}) == 0',
      for: alerts.rigDownFor,
      labels: { severity: 'critical', component: 'rig' },
      annotations: {
        summary: 'Rig {{ $labels.rig }} is down',
        description: 'No target on rig {{ $labels.rig }} answers its scrape: the rig, its network link or its Docker engine is down.',
      },
    },
    {
      alert: 'WorkerDown',
      expr: `${INFERENCE_UP} == 0`,
      for: alerts.workerDownFor,
      labels: { severity: 'warning', component: 'inference' },
      annotations: {
        summary: 'Inference worker {{ $labels.gpu }} on rig {{ $labels.rig }} is down',
        description: 'Prometheus cannot scrape the inference worker at {{ $labels.instance }}; the other workers serve without it.',
      },
    },
  ];
  const interval = alerts.evaluationInterval;
  return [
    { name: 'rx580-api', interval, rules: api },
    { name: 'rx580-system', interval, rules: system },
    { name: 'rx580-fleet', interval, rules: fleet },
  ];
}

/** The rule files, by path relative to the Prometheus config directory. */
export function renderAlertRules(alerts: Settings['alerts']): Record<string, string> {
  const [api, system, fleet] = alertRuleGroups(alerts);
  // lineWidth 0: one line per expression and template, as users read and grep rule files.
  const file = (group: AlertRuleGroup | undefined) => stringify({ groups: [group] }, { lineWidth: 0 });
  return { [ALERT_RULE_FILES.api]: file(api), [ALERT_RULE_FILES.system]: file(system), [ALERT_RULE_FILES.fleet]: file(fleet) };
}

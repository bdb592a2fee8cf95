import { stringify } from 'yaml';
import { ALERT_RULE_FILES, renderAlertRules } from './alert-rules';
import { JOBS } from './scrape-jobs';
import type { Settings } from '../../electron/api/schemas/settings';
import type { StackSpec } from '../spec/service-spec';

/** Container-side names the rendered configs use to reach each other on the stack network. */
export const PROMETHEUS_HOST = 'prometheus:9090';
export const ALERTMANAGER_HOST = 'alertmanager:9093';
const GRAFANA_HOST = 'grafana:3000';
/** The host as the stack's containers see it (ExtraHosts `host-gateway`). */
export const DOCKER_HOST_ALIAS = 'host.docker.internal';

type StaticConfig = { targets: string[]; labels: Record<string, string> };
const job = (name: string, configs: StaticConfig[]) => ({ job_name: name, static_configs: configs });

/**
 * The inference targets: each worker container by its alias on the stack network, labelled with
 * its GPU (`card0`, or `cpu`); in host mode the one host process through the host gateway.
 */
function inferenceTargets(settings: Settings, stack: StackSpec): StaticConfig[] {
  if (settings.inference.runtime === 'host') return [{ targets: [`${DOCKER_HOST_ALIAS}:${settings.inference.port}`], labels: { service: 'inference' } }];
  return stack.services
    .filter((s) => s.service === 'inference')
    .map((s) => ({ targets: [`${s.id}:${s.containerPort}`], labels: { service: 'inference', gpu: s.worker ?? 'cpu' } }));
}

/**
 * Renders prometheus.yml with the `yaml` library from typed settings and the stack's containers,
 * never by concatenation. Every target carries a `service` label, which the container alerts
 * group by: Prometheus itself sees each service's `up` and process start time, so no alert
 * depends on a process of the console's.
 */
export function renderPrometheusConfig(settings: Settings, stack: StackSpec): string {
  const scrapeConfigs = [job(JOBS.prometheus, [{ targets: ['localhost:9090'], labels: { service: 'prometheus' } }])];
  if (settings.alertmanager.enabled) scrapeConfigs.push(job(JOBS.alertmanager, [{ targets: [ALERTMANAGER_HOST], labels: { service: 'alertmanager' } }]));
  if (settings.grafana.enabled) scrapeConfigs.push(job(JOBS.grafana, [{ targets: [GRAFANA_HOST], labels: { service: 'grafana' } }]));
  if (settings.inference.enabled) scrapeConfigs.push(job(JOBS.inference, inferenceTargets(settings, stack)));
  const config = {
    global: { scrape_interval: settings.prometheus.scrapeInterval, evaluation_interval: settings.alerts.evaluationInterval },
    rule_files: Object.values(ALERT_RULE_FILES),
    ...(settings.alertmanager.enabled ? { alerting: { alertmanagers: [{ static_configs: [{ targets: [ALERTMANAGER_HOST] }] }] } } : {}),
    scrape_configs: scrapeConfigs,
  };
  return stringify(config);
}

/** Every file of Prometheus's config directory: prometheus.yml and the rule files it names. */
export function prometheusConfigFiles(settings: Settings, stack: StackSpec): Record<string, string> {
  return { 'prometheus.yml': renderPrometheusConfig(settings, stack), ...renderAlertRules(settings.alerts) };
}

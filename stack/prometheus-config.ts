import { stringify } from 'yaml';
import { ALERT_RULE_FILES, renderAlertRules } from './alert-rules';
import { JOBS } from './metric-names';
import type { Settings } from './settings';

/** Container-side names the rendered configs use to reach each other on the stack network. */
export const PROMETHEUS_HOST = 'prometheus:9090';
export const ALERTMANAGER_HOST = 'alertmanager:9093';
/** The host as the stack's containers see it (ExtraHosts `host-gateway`). */
export const DOCKER_HOST_ALIAS = 'host.docker.internal';

const job = (name: string, target: string) => ({ job_name: name, static_configs: [{ targets: [target] }] });

/** Renders prometheus.yml with the `yaml` library from typed settings, never by concatenation. */
export function renderPrometheusConfig(settings: Settings): string {
  const scrapeConfigs = [job(JOBS.prometheus, 'localhost:9090')];
  if (settings.alertmanager.enabled) scrapeConfigs.push(job(JOBS.alertmanager, ALERTMANAGER_HOST));
  if (settings.inference.enabled) scrapeConfigs.push(job(JOBS.inference, `${DOCKER_HOST_ALIAS}:${settings.inference.port}`));
  scrapeConfigs.push(job(JOBS.exporter, `${DOCKER_HOST_ALIAS}:${settings.exporter.port}`));
  const config = {
    global: { scrape_interval: settings.prometheus.scrapeInterval, evaluation_interval: settings.alerts.evaluationInterval },
    rule_files: Object.values(ALERT_RULE_FILES),
    ...(settings.alertmanager.enabled ? { alerting: { alertmanagers: [{ static_configs: [{ targets: [ALERTMANAGER_HOST] }] }] } } : {}),
    scrape_configs: scrapeConfigs,
  };
  return stringify(config);
}

/** Every file of Prometheus's config directory: prometheus.yml and the rule files it names. */
export function prometheusConfigFiles(settings: Settings): Record<string, string> {
  return { 'prometheus.yml': renderPrometheusConfig(settings), ...renderAlertRules(settings.alerts) };
}

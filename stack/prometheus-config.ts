import { stringify } from 'yaml';

/** Container-side names the rendered configs use to reach each other on the stack network. */
export const PROMETHEUS_HOST = 'prometheus:9090';
export const ALERTMANAGER_HOST = 'alertmanager:9093';

export interface PrometheusConfigInput {
  alertmanagerEnabled: boolean;
  scrapeIntervalSeconds?: number;
}

/** Renders prometheus.yml with the `yaml` library from typed input, never by concatenation. */
export function renderPrometheusConfig(input: PrometheusConfigInput): string {
  const interval = `${input.scrapeIntervalSeconds ?? 15}s`;
  const scrapeConfigs: object[] = [{ job_name: 'prometheus', static_configs: [{ targets: ['localhost:9090'] }] }];
  if (input.alertmanagerEnabled) {
    scrapeConfigs.push({ job_name: 'alertmanager', static_configs: [{ targets: [ALERTMANAGER_HOST] }] });
  }
  const config = {
    global: { scrape_interval: interval, evaluation_interval: interval },
    ...(input.alertmanagerEnabled ? { alerting: { alertmanagers: [{ static_configs: [{ targets: [ALERTMANAGER_HOST] }] }] } } : {}),
    scrape_configs: scrapeConfigs,
  };
  return stringify(config);
}

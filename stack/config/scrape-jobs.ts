/** Scrape job names in prometheus.yml: `rx580-api` is the seed's, so users' queries keep working. */
export const JOBS = {
  prometheus: 'prometheus',
  alertmanager: 'alertmanager',
  grafana: 'grafana',
  nodeExporter: 'node',
  inference: 'rx580-api',
} as const;

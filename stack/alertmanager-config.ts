import { stringify } from 'yaml';

/**
 * Renders alertmanager.yml. Until notification receivers are configured, everything goes to a
 * `default` receiver with no integrations: Alertmanager keeps the alerts (visible in its API and
 * the console) rather than dropping them.
 */
export function renderAlertmanagerConfig(): string {
  const config = {
    route: {
      receiver: 'default',
      group_by: ['alertname', 'severity', 'component'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
    },
    receivers: [{ name: 'default' }],
  };
  return stringify(config);
}

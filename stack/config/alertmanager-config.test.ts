import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { alertmanagerConfigObject, fileSecretsFor, renderAlertmanagerConfig, TEST_LABEL, type AlertmanagerConfigInput } from './alertmanager-config';
import { notificationSettingsSchema, RECEIVER_KINDS, type NotificationSettingsInput, type ReceiverKind } from '../notifications/notification-settings';
import { Amtool } from '../testing/amtool';

let amtool: Amtool;
beforeAll(async () => {
  amtool = await Amtool.start();
});
afterAll(() => amtool.close());

const FULL = {
  slack: { webhookUrl: 'https://hooks.slack.com/services/T000/B000/XXXXXXXX', channel: '#alerts', title: 'custom {{ .CommonLabels.alertname }}', text: '' },
  discord: { webhookUrl: 'https://discord.com/api/webhooks/123456/tok-en_1' },
  email: { smtpHost: 'smtp.example.com', smtpPort: 465, from: 'Ops <ops@example.com>', to: 'a@example.com, b@example.com', username: 'ops', password: 'hunter2-long' },
  webhook: { url: 'http://127.0.0.1:5001/hook' },
} as const;

function settings(enabled: Partial<Record<ReceiverKind, ('critical' | 'warning')[]>>) {
  const receivers: NotificationSettingsInput['receivers'] = {};
  for (const kind of RECEIVER_KINDS) {
    const sev = enabled[kind];
    (receivers as Record<string, unknown>)[kind] = { ...FULL[kind], enabled: !!sev, severities: { critical: !!sev?.includes('critical'), warning: !!sev?.includes('warning') } };
  }
  return notificationSettingsSchema.parse({ receivers });
}

// amtool checks syntax, schema and templates with the same parser as Alertmanager 0.25.
const amtoolCheck = (yaml: string) => amtool.check(yaml);
const routeOf = async (yaml: string, labels: Record<string, string>) => (await amtool.routes(await amtool.write(yaml), labels)).join(',');

describe('renderAlertmanagerConfig', () => {
  it('renders a config without receivers that keeps every alert in a default receiver', async () => {
    const yaml = renderAlertmanagerConfig();
    expect(await amtoolCheck(yaml)).toContain('SUCCESS');
    const c = parse(yaml);
    expect(c.route.receiver).toBe('default');
    expect(c.route.group_interval).toBe('5m');
    expect(c.route.group_by).toEqual(['alertname', 'severity', 'component']);
  });

  // Every combination of receivers and severities, for both the 0.25 and the 0.28+ secret placement.
  const combos: Partial<Record<ReceiverKind, ('critical' | 'warning')[]>>[] = [
    { slack: ['critical'] },
    { discord: ['warning'] },
    { email: ['critical', 'warning'] },
    { webhook: ['critical'] },
    { slack: ['critical', 'warning'], discord: ['critical'], email: ['warning'], webhook: ['warning'] },
    { slack: ['warning'], discord: ['critical', 'warning'] },
  ];
  for (const [i, combo] of combos.entries()) {
    for (const version of ['0.25.0', '0.28.1']) {
      it(`passes amtool for combination ${i} with secrets placed for ${version}`, async () => {
        const files = fileSecretsFor(version);
        const secretFiles = Object.fromEntries([...files].map((n) => [n, `/run/secrets/rx580-ops/${n}`]));
        const input: AlertmanagerConfigInput = { notifications: settings(combo), secretFiles };
        const yaml = renderAlertmanagerConfig(input);
        // amtool 0.25 does not know webhook_url_file; the 0.28 placement is checked by shape only.
        if (version === '0.25.0') expect(await amtoolCheck(yaml)).toContain('SUCCESS');
        for (const name of files) {
          const [kind, field] = name.split('.') as [ReceiverKind, string];
          if (combo[kind]) expect(yaml).not.toContain((FULL[kind] as Record<string, string | number>)[field]);
        }
      });
    }
  }

  it('routes by severity, tests to one receiver only, and unknown severities to every enabled receiver', async () => {
    const yaml = renderAlertmanagerConfig({ notifications: settings({ slack: ['critical'], discord: ['warning'], webhook: ['critical', 'warning'] }) });
    expect(await routeOf(yaml, { alertname: 'APIDown', severity: 'critical' })).toBe('critical');
    expect(await routeOf(yaml, { alertname: 'HighLatency', severity: 'warning' })).toBe('warning');
    expect(await routeOf(yaml, { alertname: 'X', severity: 'info' })).toBe('default');
    expect(await routeOf(yaml, { alertname: 'T', severity: 'critical', [TEST_LABEL]: 'discord' })).toBe('console-test-discord');
    const c = parse(yaml) as { receivers: Record<string, unknown>[] };
    const byName = Object.fromEntries(c.receivers.map((r) => [r.name, r]));
    expect(Object.keys(byName.critical!).sort()).toEqual(['name', 'slack_configs', 'webhook_configs']);
    expect(Object.keys(byName.warning!).sort()).toEqual(['discord_configs', 'name', 'webhook_configs']);
    expect(Object.keys(byName.default!).sort()).toEqual(['discord_configs', 'name', 'slack_configs', 'webhook_configs']);
    // Slack's defaults (no resolved message, empty text) are overridden deliberately.
    const slack = (byName.critical!.slack_configs as Record<string, unknown>[])[0]!;
    expect(slack.send_resolved).toBe(true);
    expect(slack.text).toMatch(/Labels\.alertname/);
    expect((byName['console-test-slack']!.slack_configs as Record<string, unknown>[])[0]!.send_resolved).toBe(false);
  });

  it('inhibits warnings of a component with a critical alert, inference alerts while the API is down, and a down rig\'s own alerts', () => {
    const c = alertmanagerConfigObject() as { inhibit_rules: Record<string, unknown>[] };
    expect(c.inhibit_rules).toEqual([
      { source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['component'] },
      { source_matchers: ['alertname="APIDown"'], target_matchers: ['component=~"inference|model_loader"'] },
      { source_matchers: ['alertname=~"WorkerDown|ContainerDown"'], target_matchers: ['alertname="PrometheusTargetDown"'], equal: ['instance'] },
      { source_matchers: ['alertname="RigDown"'], target_matchers: ['alertname=~"WorkerDown|ContainerDown|ContainerRestarting|PrometheusTargetDown"'], equal: ['rig'] },
    ]);
  });

  it('reads secrets from files by version: Discord and webhook only from 0.28', () => {
    expect([...fileSecretsFor('0.25.0')].sort()).toEqual(['email.password', 'slack.webhookUrl']);
    expect([...fileSecretsFor('v0.28.1')].sort()).toEqual(['discord.webhookUrl', 'email.password', 'slack.webhookUrl', 'webhook.url']);
    expect([...fileSecretsFor('0.34.0')]).toContain('discord.webhookUrl');
    expect([...fileSecretsFor(null)].sort()).toEqual(['email.password', 'slack.webhookUrl']);
  });

  it('renders preserved parts of an imported file back, and amtool accepts them', async () => {
    const yaml = renderAlertmanagerConfig({
      notifications: settings({ slack: ['critical'] }),
      preserved: {
        global: { resolve_timeout: '5m' },
        receivers: [{ name: 'pager', webhook_configs: [{ url: 'http://127.0.0.1:9/x' }] }],
        routes: [{ receiver: 'pager', matchers: ['team="db"'] }],
        inhibit_rules: [{ source_matchers: ['alertname="A"'], target_matchers: ['alertname="B"'] }],
      },
    });
    expect(await amtoolCheck(yaml)).toContain('SUCCESS');
    expect(await routeOf(yaml, { alertname: 'Z', team: 'db' })).toBe('pager');
  });
});

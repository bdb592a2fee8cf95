import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderAlertmanagerConfig } from '../config/alertmanager-config';
import { importAlertmanagerConfig } from './alertmanager-import';
import { ConsoleError } from '../console-error';
import { notificationSettingsSchema } from './notification-settings';
import { Amtool } from '../testing/amtool';

const SEED = new URL('../testing/seed-alertmanager.yml', import.meta.url);
const NESTED = new URL('./fixtures/nested-routes-alertmanager.yml', import.meta.url);

describe('importAlertmanagerConfig', () => {
  let amtool: Amtool;
  beforeAll(async () => {
    amtool = await Amtool.start();
  });
  afterAll(() => amtool.close());

  it('fills the form from the seed\'s file and keeps what the form cannot show', async () => {
    const { settings, preserved, notes } = importAlertmanagerConfig(await readFile(SEED, 'utf8'));
    const r = settings.receivers;
    expect(r.slack).toMatchObject({ enabled: true, severities: { critical: true, warning: false }, channel: '#alerts-critical', title: 'RX580 critical' });
    expect(r.slack.webhookUrl).toBe('https://hooks.slack.com/services/T0SEED/B0SEED/seedSlackSecret1234');
    // The /slack workaround becomes the native Discord receiver.
    expect(r.discord).toMatchObject({ enabled: true, webhookUrl: 'https://discord.com/api/webhooks/987654321/seedDiscordToken-xyz' });
    expect(r.email).toMatchObject({ enabled: true, severities: { critical: false, warning: true }, smtpHost: 'smtp.example.com', smtpPort: 587, password: 'seed-smtp-password' });
    expect(r.webhook.enabled).toBe(false);
    expect(preserved.receivers).toEqual([{ name: 'dba-pager', pagerduty_configs: [{ routing_key: 'seed-pagerduty-key' }] }]);
    expect(preserved.routes).toEqual([{ match: { team: 'database' }, receiver: 'dba-pager' }]);
    expect(preserved.inhibit_rules).toEqual([{ source_match: { alertname: 'MaintenanceWindow' }, target_match: { severity: 'warning' } }]);
    expect(preserved.global).toEqual({ resolve_timeout: '5m' });
    const said = notes.join('\n');
    expect(said).toMatch(/native Discord receiver/);
    expect(said).toMatch(/"dba-pager".*kept/);
    expect(said).toMatch(/2 inhibit rule\(s\) match the console's own/);
    expect(said).toMatch(/group_interval 10s.*give way/);

    // What was imported validates and renders to a config amtool accepts, the kept parts included.
    const valid = notificationSettingsSchema.parse(settings);
    expect(await amtool.check(renderAlertmanagerConfig({ notifications: valid, preserved }))).toContain('SUCCESS');
  });

  it('keeps the receivers nested kept routes send to, those the form took in and those without integrations', async () => {
    const { settings, preserved, notes } = importAlertmanagerConfig(await readFile(NESTED, 'utf8'));
    const kept = (preserved.receivers ?? []).map((r) => r.name);
    expect(kept).toEqual(expect.arrayContaining(['dba', 'staging-sink', 'dba-pager']));
    expect(settings.receivers.email.smtpHost).toBe('smtp.example.com');
    expect(notes.join('\n')).toMatch(/"staging-sink" \(no integration\) is kept/);
    expect(await amtool.check(renderAlertmanagerConfig({ notifications: notificationSettingsSchema.parse(settings), preserved }))).toContain('SUCCESS');
  });

  it('refuses what is not YAML or not an alertmanager.yml, with a message', () => {
    expect(() => importAlertmanagerConfig('route: [unclosed')).toThrow(/not valid YAML/);
    expect(() => importAlertmanagerConfig('scrape_configs: []')).toThrow(ConsoleError);
  });
});

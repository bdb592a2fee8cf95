import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { filesWithSecrets } from '../../../stack/testing/secret-leaks';
import { dispatchApiCall } from '../dispatch';
import { startNotificationsFixture, type NotificationsFixture } from '../../testing/notifications-fixture';

// The notifications API against the real Alertmanager test image (0.25): save applies live,
// tests are delivered to local receivers, bad input and rejected reloads change nothing, and no
// secret leaks into responses, world-readable files or Alertmanager's logs.
describe('notifications API on the real Alertmanager', () => {
  let fx: NotificationsFixture;
  const responses: string[] = [];
  const call = async (method: string, ...args: unknown[]) => {
    const res = await dispatchApiCall(fx.core.handlers, method, args);
    responses.push(JSON.stringify(res.body));
    return res;
  };
  let slackUrl: string;
  let discordUrl: string;

  beforeAll(async () => {
    fx = await startNotificationsFixture('notify-api');
    slackUrl = fx.slack.url('/services/T0TEST/B0TEST/slackSecretToken0001');
    discordUrl = fx.discord.url('/api/webhooks/4242/discordSecretToken-0002');
  }, 120_000);

  afterAll(() => fx?.close());

  const form = (over: Record<string, unknown> = {}) => ({
    receivers: {
      slack: { enabled: true, severities: { critical: true, warning: false }, webhookUrl: slackUrl, channel: '#ops' },
      discord: { enabled: true, severities: { critical: true, warning: true }, webhookUrl: discordUrl },
      ...over,
    },
  });

  it('saves Slack and Discord, applies them live, masks secrets and warns about a non-Slack URL', async () => {
    const res = await call('notifications.save', form());
    expect(res.status).toBe(200);
    const result = (res.body as { ok: true; result: Record<string, any> }).result;
    expect(result.applied).toBe('live');
    expect(result.form.receivers.slack.webhookUrl).toMatch(/^http:\/\/[\d.]+:\d+\/…\/••••0001$/);
    expect(result.warnings.map((w: { path: string }) => w.path)).toEqual(['receivers.slack.webhookUrl']);
    expect(result.secretStorage).toEqual({ slack: 'file', discord: 'inline', email: 'file', webhook: 'inline' });
    const live = parse(await fx.liveConfig());
    expect(live.receivers.map((r: { name: string }) => r.name)).toEqual(['default', 'critical', 'warning', 'console-test-slack', 'console-test-discord']);
  }, 60_000);

  it('sends a test notification to exactly one receiver, in its own payload format', async () => {
    const s = await call('notifications.test', 'slack', 'critical');
    expect((s.body as { ok: true; result: { delivered: boolean; message: string } }).result).toMatchObject({ delivered: true });
    const d = await call('notifications.test', 'discord', 'warning');
    expect((d.body as { ok: true; result: { delivered: boolean } }).result.delivered).toBe(true);
    expect(fx.slack.requests).toHaveLength(1);
    expect(fx.discord.requests).toHaveLength(1);
    const sp = fx.slack.requests[0]!.body as { channel: string; attachments: { title: string; text: string }[] };
    expect(sp.channel).toBe('#ops');
    expect(sp.attachments[0]!.title).toContain('RX580OpsTestNotification');
    expect(sp.attachments[0]!.title).toContain('critical');
    const dp = fx.discord.requests[0]!.body as { embeds: { title: string; description: string }[] };
    expect(dp.embeds[0]!.title).toContain('RX580OpsTestNotification');
    expect(dp.embeds[0]!.title).toContain('warning');
    expect(fx.discord.requests[0]!.path).toBe('/api/webhooks/4242/discordSecretToken-0002');
  }, 60_000);

  it('reports a receiver that refuses the notification, with the reason', async () => {
    fx.slack.status = 404;
    try {
      const res = await call('notifications.test', 'slack', 'warning');
      const result = (res.body as { ok: true; result: { delivered: boolean; message: string } }).result;
      expect(result.delivered).toBe(false);
      expect(result.message).toMatch(/404/);
    } finally {
      fx.slack.status = 200;
    }
  }, 60_000);

  it('refuses invalid fields with per-field issues, leaving the live config unchanged', async () => {
    const before = await fx.liveConfig();
    const res = await call(
      'notifications.save',
      form({
        slack: { enabled: true, severities: { critical: true }, webhookUrl: 'not a url' },
        discord: { enabled: true, severities: { critical: true }, webhookUrl: 'https://discord.com/api/webhooks/only-id' },
        email: { enabled: true, severities: { warning: true }, smtpHost: 'mail.example.com', from: 'nobody', to: 'ops@example.com' },
      }),
    );
    expect(res.status).toBe(400);
    const error = (res.body as { ok: false; error: { code: string; issues: { path: string }[] } }).error;
    expect(error.code).toBe('INVALID_NOTIFICATIONS');
    expect(error.issues.map((i) => i.path).sort()).toEqual(['receivers.discord.webhookUrl', 'receivers.email.from', 'receivers.slack.webhookUrl']);
    expect(await fx.liveConfig()).toBe(before);
  }, 30_000);

  it('keeps stored secrets when the masked values come back unchanged', async () => {
    const view = (await call('notifications.get')).body as { ok: true; result: { form: { receivers: Record<string, { webhookUrl: string }> } } };
    const res = await call('notifications.save', view.result.form);
    expect(res.status).toBe(200);
    fx.slack.requests.length = 0;
    await call('notifications.test', 'slack', 'critical');
    expect(fx.slack.requests).toHaveLength(1);
  }, 60_000);

  it('rolls back a config Alertmanager refuses on reload although amtool passed, and says why', async () => {
    const before = await fx.liveConfig();
    // A template outside the staged directory: the image's amtool never sees it, the reload does.
    const { configDir } = fx;
    await mkdir(join(configDir, 'templates'), { recursive: true });
    await writeFile(join(configDir, 'templates', 'broken.tmpl'), '{{ define "broken" }}{{ .Unclosed ');
    const imported = await call('notifications.import', `templates: ['/etc/alertmanager/templates/*.tmpl']\nroute:\n  receiver: default\nreceivers:\n  - name: default\n`);
    expect(imported.status).toBe(200);
    const res = await call('notifications.save', form());
    expect(res.status).toBe(422);
    expect((res.body as { ok: false; error: { message: string } }).error.message).toMatch(/failed to reload.*previous one was restored.*broken\.tmpl/s);
    expect(await fx.liveConfig()).toBe(before);
    expect(await readFile(join(configDir, 'alertmanager.yml'), 'utf8')).not.toContain('templates');
    // The secret files went back too: the restored config still reaches Slack at its URL.
    fx.slack.requests.length = 0;
    const test = await call('notifications.test', 'slack', 'critical');
    expect((test.body as { ok: true; result: { delivered: boolean } }).result.delivered).toBe(true);
    expect(fx.slack.requests.map((r) => r.path)).toEqual(['/services/T0TEST/B0TEST/slackSecretToken0001']);
  }, 90_000);

  it('loads every receiver type in the real Alertmanager, and the generic webhook gets its JSON', async () => {
    const hook = fx.slack.url('/generic/webhookSecretPath0005');
    const res = await call(
      'notifications.save',
      form({
        email: { enabled: true, severities: { critical: true }, smtpHost: '127.0.0.1', smtpPort: 2525, from: 'rx580 <am@example.com>', to: 'ops@example.com', username: 'am', password: 'smtpSecretPass0004' },
        webhook: { enabled: true, severities: { warning: true }, url: hook },
      }),
    );
    expect(res.status).toBe(200);
    const live = parse(await fx.liveConfig()) as { receivers: Record<string, unknown>[] };
    const critical = live.receivers.find((r) => r.name === 'critical')!;
    expect(Object.keys(critical).sort()).toEqual(['discord_configs', 'email_configs', 'name', 'slack_configs']);
    fx.slack.requests.length = 0;
    const test = await call('notifications.test', 'webhook', 'warning');
    expect((test.body as { ok: true; result: { delivered: boolean } }).result.delivered).toBe(true);
    expect(fx.slack.requests).toHaveLength(1);
    expect(fx.slack.requests[0]!.body).toMatchObject({ status: 'firing', commonLabels: { alertname: 'RX580OpsTestNotification', severity: 'warning' } });
  }, 60_000);

  it('leaks no secret into responses, world-readable files or Alertmanager logs; Slack reads its URL from a file', async () => {
    const secrets = ['slackSecretToken0001', 'discordSecretToken-0002', 'smtpSecretPass0004', 'webhookSecretPath0005'];
    for (const body of responses) for (const s of secrets) expect(body).not.toContain(s);
    const files = await filesWithSecrets(fx.dataDir, secrets);
    expect(files.all.length).toBeGreaterThan(0);
    expect(files.readableByOthers).toEqual([]);
    const yml = await readFile(join(fx.configDir, 'alertmanager.yml'), 'utf8');
    expect(yml).toContain('api_url_file: /run/secrets/rx580-ops/');
    expect(yml).not.toContain('slackSecretToken0001');
    const logs = (await fx.core.stack.logs('alertmanager', 5000)).join('\n');
    expect(logs).toContain('Completed loading of configuration file');
    for (const s of secrets) expect(logs).not.toContain(s);
  }, 30_000);
});

describe('notifications while Alertmanager is stopped', () => {
  let fx: NotificationsFixture;
  beforeAll(async () => {
    fx = await startNotificationsFixture('notify-stopped');
    await fx.core.stack.down();
  }, 120_000);
  afterAll(() => fx?.close());

  it('saves (checked by amtool) for the next start, which brings the config and its secret files up', async () => {
    const h = fx.core.handlers;
    const webhookUrl = fx.slack.url('/services/T0OFF/B0OFF/offlineSecret0003');
    const saved = await h['notifications.save']({
      receivers: { slack: { enabled: true, severities: { critical: true, warning: true }, webhookUrl, channel: '', title: '', text: '' } } as never,
    });
    expect(saved.applied).toBe('written');
    await expect(h['notifications.test']('slack', 'warning')).rejects.toMatchObject({ code: 'ALERTMANAGER_UNREACHABLE' });
    await expect(h['notifications.test']('discord', 'warning')).rejects.toMatchObject({ code: 'RECEIVER_OFF', status: 409 });

    await fx.core.stack.up();
    const result = await h['notifications.test']('slack', 'warning');
    expect(result.delivered).toBe(true);
    expect(fx.slack.requests.map((r) => r.path)).toEqual(['/services/T0OFF/B0OFF/offlineSecret0003']);
  }, 120_000);
});

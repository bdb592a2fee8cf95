import { describe, expect, it } from 'vitest';
import { issuePath, maskSecret, notificationSettingsSchema, notificationWarnings, type NotificationSettingsInput } from './notification-settings';

const on = { enabled: true, severities: { critical: true } };
const issuesOf = (receivers: NotificationSettingsInput['receivers']) => {
  const r = notificationSettingsSchema.safeParse({ receivers });
  return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [issuePath(i.path), i.message]));
};

describe('notification settings', () => {
  it('accepts an empty form: every receiver off', () => {
    expect(notificationSettingsSchema.parse({}).receivers.slack.enabled).toBe(false);
  });

  it('checks only enabled receivers', () => {
    expect(issuesOf({ slack: { enabled: false, webhookUrl: 'nonsense' } })).toEqual({});
  });

  it('refuses each bad field with a message naming the problem', () => {
    const issues = issuesOf({
      slack: { ...on, webhookUrl: 'ftp://hooks.slack.com/x', channel: 'two words' },
      discord: { ...on, webhookUrl: 'https://discord.com/api/webhooks/123' },
      email: { ...on, smtpHost: 'smtp://mail', from: 'not-an-address', to: 'a@b.c, nope', username: 'u', password: '' },
      webhook: { enabled: true, severities: {}, url: 'localhost:9000' },
    });
    expect(issues['receivers.slack.webhookUrl']).toMatch(/http:\/\/ or https:\/\//);
    expect(issues['receivers.slack.channel']).toMatch(/channel/);
    expect(issues['receivers.discord.webhookUrl']).toMatch(/\/api\/webhooks\/<id>\/<token>/);
    expect(issues['receivers.email.smtpHost']).toMatch(/host name/);
    expect(issues['receivers.email.from']).toMatch(/"not-an-address" is not an e-mail address/);
    expect(issues['receivers.email.to']).toMatch(/Not an e-mail address: nope/);
    expect(issues['receivers.email.password']).toMatch(/password/);
    expect(issues['receivers.webhook.url']).toMatch(/http/);
    expect(issues['receivers.webhook.severities']).toMatch(/at least one severity/);
  });

  it('refuses the seed\'s Discord URL with /slack appended, and an SMTP port out of range', () => {
    const issues = issuesOf({
      discord: { ...on, webhookUrl: 'https://discord.com/api/webhooks/123/abc/slack' },
      email: { ...on, smtpHost: 'mail.example.com', smtpPort: 70000, from: 'a@b.c', to: 'd@e.f' },
    });
    expect(issues['receivers.discord.webhookUrl']).toMatch(/do not append \/slack/);
    expect(issues['receivers.email.smtpPort']).toMatch(/between 1 and 65535/);
  });

  it('warns, without refusing, about a Slack URL that is not Slack\'s incoming webhook', () => {
    const s = notificationSettingsSchema.parse({ receivers: { slack: { ...on, webhookUrl: 'https://chat.example.com/hooks/abc' } } });
    expect(notificationWarnings(s).map((w) => w.message).join()).toMatch(/Mattermost/);
    const slack = notificationSettingsSchema.parse({ receivers: { slack: { ...on, webhookUrl: 'https://hooks.slack.com/services/T/B/x' } } });
    expect(notificationWarnings(slack)).toEqual([]);
  });

  it('masks secrets so that a URL is recognisable and a password shows nothing', () => {
    const masked = maskSecret('https://hooks.slack.com/services/T000/B000/abcdEFGHijkl');
    expect(masked).toBe('https://hooks.slack.com/…/••••ijkl');
    expect(maskSecret('correct horse battery staple')).toBe('••••••••');
    expect(maskSecret('')).toBe('');
  });
});

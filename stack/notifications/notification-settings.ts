import { z } from 'zod';

/**
 * The notification form: one receiver of each kind, each enabled per severity. Secret fields
 * (webhook URLs, the SMTP password) travel to the renderer only masked; everything else is
 * stored as plain JSON. Checks run only for an enabled receiver, so a half-filled form for a
 * receiver that is switched off never blocks saving the others.
 */

export const SEVERITIES = ['critical', 'warning'] as const;
export const RECEIVER_KINDS = ['slack', 'discord', 'email', 'webhook'] as const;
export const severitySchema = z.enum(SEVERITIES);
export const receiverKindSchema = z.enum(RECEIVER_KINDS);
export type Severity = z.infer<typeof severitySchema>;
export type ReceiverKind = z.infer<typeof receiverKindSchema>;

const severities = z.object({ critical: z.boolean().default(false), warning: z.boolean().default(false) }).prefault({});
const text = (max: number) => z.string().trim().max(max, `at most ${max} characters`).default('');

const slackSchema = z
  .object({
    enabled: z.boolean().default(false),
    severities,
    webhookUrl: z.string().trim().default(''),
    channel: text(80),
    title: text(256),
    text: text(2000),
  })
  .prefault({});

const discordSchema = z
  .object({ enabled: z.boolean().default(false), severities, webhookUrl: z.string().trim().default('') })
  .prefault({});

const emailSchema = z
  .object({
    enabled: z.boolean().default(false),
    severities,
    smtpHost: text(253),
    // Range checked with the other fields below, so a bad port is one field message among the rest.
    smtpPort: z.number().default(587),
    from: text(254),
    to: text(1000),
    username: text(254),
    password: z.string().default(''),
    requireTls: z.boolean().default(true),
  })
  .prefault({});

const webhookSchema = z
  .object({ enabled: z.boolean().default(false), severities, url: z.string().trim().default('') })
  .prefault({});

const receiversShape = z.object({ slack: slackSchema, discord: discordSchema, email: emailSchema, webhook: webhookSchema });

/** Secret fields by receiver: stored encrypted, masked on the way out. */
export const SECRET_FIELDS = {
  slack: 'webhookUrl',
  discord: 'webhookUrl',
  email: 'password',
  webhook: 'url',
} as const satisfies Record<ReceiverKind, string>;
export type SecretName = `${ReceiverKind}.${(typeof SECRET_FIELDS)[ReceiverKind]}`;
export const secretNameOf = (kind: ReceiverKind): SecretName => `${kind}.${SECRET_FIELDS[kind]}` as SecretName;

const httpUrl = (value: string): URL | null => {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
};

// Deliberately plain: local@domain, no spaces, an optional display name `Name <a@b>`.
const ADDRESS = /^[^\s@<>]+@[^\s@<>]+$/;
const isAddress = (value: string): boolean => ADDRESS.test(/<([^>]*)>\s*$/.exec(value)?.[1] ?? value);
const HOST = /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$|^\d{1,3}(\.\d{1,3}){3}$|^\[[0-9a-fA-F:]+\]$/;
/** Discord's webhook path: /api/webhooks/{numeric id}/{token}. */
const DISCORD_PATH = /^\/api(\/v\d+)?\/webhooks\/\d+\/[\w-]+\/?$/;

type Issue = { path: (string | number)[]; message: string };

/** Field checks for the secret-free and the full form alike; secrets may be masked placeholders then. */
function receiverIssues(r: z.infer<typeof receiversShape>, secretsKnown: boolean): Issue[] {
  const issues: Issue[] = [];
  const need = (ok: boolean, path: string[], message: string) => ok || issues.push({ path: ['receivers', ...path], message });
  const urlField = (kind: ReceiverKind, field: string, value: string, name: string) => {
    if (!need(value !== '', [kind, field], `Enter the ${name}.`)) return null;
    if (!secretsKnown) return null;
    const url = httpUrl(value);
    need(url !== null, [kind, field], `The ${name} must be an http:// or https:// address.`);
    return url;
  };
  for (const kind of RECEIVER_KINDS) {
    const rec = r[kind];
    if (rec.enabled) need(rec.severities.critical || rec.severities.warning, [kind, 'severities'], 'Choose at least one severity, or switch the receiver off.');
  }
  if (r.slack.enabled) {
    urlField('slack', 'webhookUrl', r.slack.webhookUrl, 'Slack webhook URL');
    need(r.slack.channel === '' || /^[#@]?[\w.-]+$/.test(r.slack.channel), ['slack', 'channel'], 'A channel is a name such as #alerts (letters, digits, - _ .).');
  }
  if (r.discord.enabled) {
    const url = urlField('discord', 'webhookUrl', r.discord.webhookUrl, 'Discord webhook URL');
    if (url) {
      need(
        DISCORD_PATH.test(url.pathname),
        ['discord', 'webhookUrl'],
        'A Discord webhook URL ends in /api/webhooks/<id>/<token> (copy it from Server Settings → Integrations → Webhooks; do not append /slack).',
      );
    }
  }
  if (r.email.enabled) {
    const e = r.email;
    if (need(e.smtpHost !== '', ['email', 'smtpHost'], 'Enter the SMTP server host name.')) need(HOST.test(e.smtpHost), ['email', 'smtpHost'], 'The SMTP host is a host name or IP address, without a port or scheme.');
    if (need(e.from !== '', ['email', 'from'], 'Enter the sender address.')) need(isAddress(e.from), ['email', 'from'], `"${e.from}" is not an e-mail address.`);
    const to = splitAddresses(e.to);
    if (need(to.length > 0, ['email', 'to'], 'Enter at least one recipient address.')) {
      const bad = to.filter((a) => !isAddress(a));
      need(bad.length === 0, ['email', 'to'], `Not an e-mail address: ${bad.join(', ')}.`);
    }
    need(Number.isInteger(e.smtpPort) && e.smtpPort >= 1 && e.smtpPort <= 65535, ['email', 'smtpPort'], 'The SMTP port is a whole number between 1 and 65535 (587 for STARTTLS, 465 for TLS).');
    need(e.username === '' || e.password !== '', ['email', 'password'], 'Enter the password for this SMTP user, or clear the user name.');
  }
  if (r.webhook.enabled) urlField('webhook', 'url', r.webhook.url, 'webhook URL');
  return issues;
}

export function splitAddresses(value: string): string[] {
  return value
    .split(/[,;]/)
    .map((a) => a.trim())
    .filter(Boolean);
}

/** The whole form with secrets in clear (main process only). */
export const notificationSettingsSchema = z
  .object({ receivers: receiversShape.prefault({}) })
  .superRefine((value, ctx) => {
    for (const issue of receiverIssues(value.receivers, true)) ctx.addIssue({ code: 'custom', ...issue });
  });
export type NotificationSettings = z.infer<typeof notificationSettingsSchema>;
export type NotificationSettingsInput = z.input<typeof notificationSettingsSchema>;

/** What the renderer sends: the same form, secrets possibly still masked (unchanged). */
export const notificationFormSchema = z.object({ receivers: receiversShape.prefault({}) });
export type NotificationForm = z.infer<typeof notificationFormSchema>;

/** Advice that does not block saving. */
export function notificationWarnings(s: NotificationSettings): Issue[] {
  const warnings: Issue[] = [];
  const slack = httpUrl(s.receivers.slack.webhookUrl);
  if (s.receivers.slack.enabled && slack && !(slack.hostname === 'hooks.slack.com' && slack.pathname.startsWith('/services/'))) {
    warnings.push({
      path: ['receivers', 'slack', 'webhookUrl'],
      message: 'This is not a Slack incoming-webhook address (https://hooks.slack.com/services/…). Slack-compatible servers such as Mattermost work; anything else will not.',
    });
  }
  if (s.receivers.email.enabled && !s.receivers.email.requireTls && s.receivers.email.password) {
    warnings.push({ path: ['receivers', 'email', 'requireTls'], message: 'Without TLS the SMTP password crosses the network in clear.' });
  }
  return warnings;
}

/** `https://hooks.slack.com/…/••••abcd`: enough to recognise a secret, never enough to use it. */
export function maskSecret(value: string): string {
  if (!value) return '';
  const url = httpUrl(value);
  // A URL's last characters tell two webhooks apart; a password shows nothing of itself.
  return url ? `${url.protocol}//${url.host}/…/••••${value.length > 24 ? value.slice(-4) : ''}` : '••••••••';
}

export const isMasked = (value: string): boolean => value.includes('••••');

const issueSchema = z.object({ path: z.string(), message: z.string() });
export const issuePath = (path: PropertyKey[]) => path.map(String).join('.');

/** What the renderer gets: the form with secrets masked, advice, and what an import kept. */
export const notificationViewSchema = z.object({
  form: notificationFormSchema,
  warnings: z.array(issueSchema),
  kept: z.array(z.string()),
  /** The running Alertmanager's version, null when it is not answering. */
  alertmanagerVersion: z.string().nullable(),
  /** Where Alertmanager reads each secret from: its own file, or inline in a config only its user can read. */
  secretStorage: z.record(receiverKindSchema, z.enum(['file', 'inline'])),
});
export const notificationSaveResultSchema = notificationViewSchema.extend({
  applied: z.enum(['live', 'written']),
  message: z.string(),
});
export const notificationTestResultSchema = z.object({
  receiver: receiverKindSchema,
  severity: severitySchema,
  delivered: z.boolean(),
  message: z.string(),
});
export const notificationImportResultSchema = z.object({ form: notificationFormSchema, notes: z.array(z.string()), warnings: z.array(issueSchema) });
export type NotificationView = z.infer<typeof notificationViewSchema>;
export type NotificationSaveResult = z.infer<typeof notificationSaveResultSchema>;
export type NotificationTestResult = z.infer<typeof notificationTestResultSchema>;
export type NotificationImportResult = z.infer<typeof notificationImportResultSchema>;

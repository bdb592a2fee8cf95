import { stringify } from 'yaml';
import {
  RECEIVER_KINDS,
  SEVERITIES,
  splitAddresses,
  type NotificationSettings,
  type ReceiverKind,
  type SecretName,
  type Severity,
} from '../notifications/notification-settings';

/**
 * Renders alertmanager.yml from the notification settings. Alerts route by severity to a
 * receiver per severity holding every integration enabled for it; alerts without a known
 * severity reach every enabled integration through `default` (nothing is dropped silently).
 * Each enabled integration also gets a route of its own for test notifications, matched by the
 * `rx580_ops_test` label. Secrets go in `*_file` fields where the running version reads them.
 */

/** The label a test notification carries: its value names the one integration it must reach. */
export const TEST_LABEL = 'rx580_ops_test';
export const testReceiverName = (kind: ReceiverKind) => `console-test-${kind}`;

/** Parts of an imported alertmanager.yml the form cannot show; rendered back untouched. */
export interface PreservedConfig {
  global?: Record<string, unknown>;
  templates?: string[];
  receivers?: Record<string, unknown>[];
  routes?: Record<string, unknown>[];
  inhibit_rules?: Record<string, unknown>[];
  time_intervals?: unknown[];
  mute_time_intervals?: unknown[];
}

export interface AlertmanagerConfigInput {
  notifications: NotificationSettings;
  /** Container paths of the secrets that go in `*_file` fields; any other secret is written inline. */
  secretFiles?: Partial<Record<SecretName, string>>;
  preserved?: PreservedConfig;
}

type Version = { major: number; minor: number };

export function parseVersion(text: string | null | undefined): Version | null {
  const m = /(\d+)\.(\d+)/.exec(text ?? '');
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : null;
}

const atLeast = (v: Version | null, minor: number) => v !== null && (v.major > 0 || v.minor >= minor);

/**
 * Which secrets the given Alertmanager version reads from a file (facts: api_url_file since 0.22,
 * auth_password_file since 0.25, webhook_url_file and a reliable url_file only from 0.28). An
 * unknown version gets what 0.25 accepts, which every supported version also loads.
 */
export function fileSecretsFor(version: string | null): Set<SecretName> {
  const v = parseVersion(version);
  const names = new Set<SecretName>(['slack.webhookUrl', 'email.password']);
  if (atLeast(v, 28)) {
    names.add('discord.webhookUrl');
    names.add('webhook.url');
  }
  return names;
}

// Slack's own defaults are an empty text and no resolved message: both are set deliberately.
const DEFAULT_TITLE =
  '[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.alertname }} ({{ .CommonLabels.severity }})';
const DEFAULT_TEXT =
  '{{ range .Alerts }}*{{ .Labels.alertname }}* — severity {{ .Labels.severity }}{{ if .Labels.component }}, component {{ .Labels.component }}{{ end }}\n' +
  '{{ if .Annotations.summary }}{{ .Annotations.summary }}\n{{ end }}{{ if .Annotations.description }}{{ .Annotations.description }}\n{{ end }}{{ end }}';

function secretField(input: AlertmanagerConfigInput, name: SecretName, inlineKey: string, fileKey: string, value: string): Record<string, string> {
  const file = input.secretFiles?.[name];
  return file ? { [fileKey]: file } : { [inlineKey]: value };
}

/** One integration's config list entry, keyed by its Alertmanager field name. */
function integration(kind: ReceiverKind, input: AlertmanagerConfigInput, sendResolved: boolean): [string, Record<string, unknown>] {
  const r = input.notifications.receivers;
  switch (kind) {
    case 'slack':
      return [
        'slack_configs',
        {
          ...secretField(input, 'slack.webhookUrl', 'api_url', 'api_url_file', r.slack.webhookUrl),
          ...(r.slack.channel ? { channel: r.slack.channel } : {}),
          send_resolved: sendResolved,
          title: r.slack.title || DEFAULT_TITLE,
          text: r.slack.text || DEFAULT_TEXT,
        },
      ];
    case 'discord':
      return [
        'discord_configs',
        {
          ...secretField(input, 'discord.webhookUrl', 'webhook_url', 'webhook_url_file', r.discord.webhookUrl),
          send_resolved: sendResolved,
          title: DEFAULT_TITLE,
          message: DEFAULT_TEXT,
        },
      ];
    case 'email': {
      const e = r.email;
      return [
        'email_configs',
        {
          to: splitAddresses(e.to).join(', '),
          from: e.from,
          smarthost: `${e.smtpHost}:${e.smtpPort}`,
          ...(e.username ? { auth_username: e.username, ...secretField(input, 'email.password', 'auth_password', 'auth_password_file', e.password) } : {}),
          require_tls: e.requireTls,
          send_resolved: sendResolved,
        },
      ];
    }
    case 'webhook':
      return ['webhook_configs', { ...secretField(input, 'webhook.url', 'url', 'url_file', r.webhook.url), send_resolved: sendResolved }];
  }
}

function receiver(name: string, kinds: ReceiverKind[], input: AlertmanagerConfigInput, sendResolved = true): Record<string, unknown> {
  const out: Record<string, unknown> = { name };
  for (const kind of kinds) {
    const [key, config] = integration(kind, input, sendResolved);
    out[key] = [config];
  }
  return out;
}

export const enabledKinds = (n: NotificationSettings, severity?: Severity): ReceiverKind[] =>
  RECEIVER_KINDS.filter((k) => n.receivers[k].enabled && (!severity || n.receivers[k].severities[severity]));

const EMPTY: NotificationSettings = {
  receivers: {
    slack: { enabled: false, severities: { critical: false, warning: false }, webhookUrl: '', channel: '', title: '', text: '' },
    discord: { enabled: false, severities: { critical: false, warning: false }, webhookUrl: '' },
    email: { enabled: false, severities: { critical: false, warning: false }, smtpHost: '', smtpPort: 587, from: '', to: '', username: '', password: '', requireTls: true },
    webhook: { enabled: false, severities: { critical: false, warning: false }, url: '' },
  },
};

const quote = (v: string) => JSON.stringify(v);

/** The config as an object, before serialisation (tests and the apply step inspect it). */
export function alertmanagerConfigObject(input: AlertmanagerConfigInput = { notifications: EMPTY }): Record<string, unknown> {
  const n = input.notifications;
  const p = input.preserved ?? {};
  const enabled = enabledKinds(n);
  const testRoutes = enabled.map((kind) => ({
    receiver: testReceiverName(kind),
    matchers: [`${TEST_LABEL}=${quote(kind)}`],
    // Every test is a group of its own, sent at once: the user is waiting for it.
    group_by: ['...'],
    group_wait: '0s',
    group_interval: '1m',
    repeat_interval: '24h',
  }));
  const severityRoutes = [
    { receiver: 'critical', matchers: [`severity=${quote('critical')}`], group_wait: '10s', repeat_interval: '1h' },
    { receiver: 'warning', matchers: [`severity=${quote('warning')}`], repeat_interval: '6h' },
  ];
  const config: Record<string, unknown> = {
    ...(p.global ? { global: p.global } : {}),
    ...(p.templates?.length ? { templates: p.templates } : {}),
    route: {
      receiver: 'default',
      group_by: ['alertname', 'severity', 'component'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
      routes: [...testRoutes, ...severityRoutes, ...(p.routes ?? [])],
    },
    inhibit_rules: [...CONSOLE_INHIBIT_RULES, ...(p.inhibit_rules ?? [])],
    receivers: [
      receiver('default', enabled, input),
      ...SEVERITIES.map((s) => receiver(s, enabledKinds(n, s), input)),
      // Test receivers send no "resolved" message: the synthetic alert is not a real incident.
      ...enabled.map((kind) => receiver(testReceiverName(kind), [kind], input, false)),
      ...(p.receivers ?? []),
    ],
    ...(p.time_intervals?.length ? { time_intervals: p.time_intervals } : {}),
    ...(p.mute_time_intervals?.length ? { mute_time_intervals: p.mute_time_intervals } : {}),
  };
  return config;
}

/** The seed's inhibit rules, corrected and in the current matcher syntax. */
export const CONSOLE_INHIBIT_RULES = [
  // A critical alert mutes the warnings of the same component (CriticalErrorRate mutes HighErrorRate).
  { source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['component'] },
  // With no worker answering, the API being down explains the inference and model loading alerts.
  { source_matchers: ['alertname="APIDown"'], target_matchers: ['component=~"inference|model_loader"'] },
  // A target down pages once, by the alert that names what it is.
  { source_matchers: ['alertname=~"WorkerDown|ContainerDown"'], target_matchers: ['alertname="PrometheusTargetDown"'], equal: ['instance'] },
  // A rig that is down pages once, not once per worker and container on it.
  { source_matchers: ['alertname="RigDown"'], target_matchers: ['alertname=~"WorkerDown|ContainerDown|ContainerRestarting|PrometheusTargetDown"'], equal: ['rig'] },
];

/**
 * Rules the console once rendered, which an imported file may still hold: ContainerDown muted the
 * inference alerts while the inference container was one of its targets; a worker down is
 * WorkerDown now, and APIDown's rule above does that job.
 */
export const SUPERSEDED_INHIBIT_RULES = [{ source_matchers: ['alertname="ContainerDown"'], target_matchers: ['component=~"api|inference|model_loader"'] }];

export function renderAlertmanagerConfig(input?: AlertmanagerConfigInput): string {
  return stringify(alertmanagerConfigObject(input), { lineWidth: 0 });
}

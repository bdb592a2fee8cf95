import { randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { importAlertmanagerConfig, type ImportedConfig } from './alertmanager-import';
import { AlertmanagerClient } from '../clients/alertmanager-client';
import { alertmanagerConfigObject, fileSecretsFor, TEST_LABEL, testReceiverName } from '../config/alertmanager-config';
import { ConfigRejectedError } from '../config/config-apply';
import { ConsoleError, FieldErrors } from '../console-error';
import { deliveryCounters, failureReason, redactSecrets, type DeliveryCounters } from './notification-delivery';
import {
  issuePath,
  isMasked,
  maskSecret,
  notificationFormSchema,
  notificationSettingsSchema,
  notificationWarnings,
  RECEIVER_KINDS,
  SECRET_FIELDS,
  secretNameOf,
  type NotificationForm,
  type NotificationImportResult,
  type NotificationSaveResult,
  type NotificationSettings,
  type NotificationTestResult,
  type NotificationView,
  type ReceiverKind,
  type Severity,
} from './notification-settings';
import { NotificationStore, type StoredNotifications } from './notification-store';
import { aesGcmFileCipher, type SecretCipher } from './secret-store';
import type { Settings } from '../../electron/api/schemas/settings';
import type { ServiceSecret, StackManager } from '../engine/stack-manager';
import { configDirFor, imageTag, SECRETS_TARGET } from '../spec/stack-spec';

export interface NotificationServiceOptions {
  settings: Settings;
  stack: StackManager;
  /** Encrypts stored secrets; default AES-256-GCM with a key file beside them (web mode). */
  cipher?: SecretCipher;
  /** How long a test waits for Alertmanager to attempt delivery. */
  testTimeoutMs?: number;
}

export const TEST_ALERT_NAME = 'RX580OpsTestNotification';
const LABELS: Record<ReceiverKind, string> = { slack: 'Slack', discord: 'Discord', email: 'E-mail', webhook: 'Webhook' };

type Rendered = { files: Record<string, string>; secrets: ServiceSecret[]; receivers: string[] };

/**
 * The notification settings behind the form: validates, stores (secrets encrypted), renders
 * Alertmanager's config and secret files, applies them live, and sends test notifications.
 */
export class NotificationService {
  readonly store: NotificationStore;
  private readonly client: AlertmanagerClient;
  /** An imported file waiting for the user to review and save it. */
  private pending: ImportedConfig | null = null;
  private saving: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: NotificationServiceOptions) {
    const dir = join(options.settings.dataDir, 'notifications', options.settings.project);
    this.store = new NotificationStore(dir, options.cipher ?? aesGcmFileCipher(join(dir, 'secrets.key')));
    this.client = new AlertmanagerClient(`http://127.0.0.1:${options.settings.alertmanager.port}`, 3000);
  }

  async get(): Promise<NotificationView> {
    return this.view(await this.store.load(), await this.runningVersion());
  }

  /** One save at a time: two interleaved applies could leave secrets of one with the config of the other. */
  save(form: NotificationForm): Promise<NotificationSaveResult> {
    const run = this.saving.then(() => this.saveNow(form));
    this.saving = run.catch(() => undefined);
    return run;
  }

  private async saveNow(form: NotificationForm): Promise<NotificationSaveResult> {
    const stored = await this.store.load();
    const candidate = this.withSecrets(notificationFormSchema.parse(form), stored.settings);
    const parsed = notificationSettingsSchema.safeParse(candidate);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: issuePath(i.path), message: i.message }));
      throw new FieldErrors('INVALID_NOTIFICATIONS', `Nothing was saved: ${issues.length} field(s) need attention.`, issues);
    }
    const next: StoredNotifications = {
      settings: parsed.data,
      preserved: this.pending?.preserved ?? stored.preserved,
      kept: this.pending?.notes ?? stored.kept,
    };
    const version = await this.runningVersion();
    const rendered = await this.render(version ?? this.imageVersion(), next);
    try {
      await this.options.stack.putSecrets('alertmanager', rendered.secrets);
      await this.options.stack.applyServiceConfig('alertmanager', rendered.files);
    } catch (err) {
      // Secret files are read at each notification: the previous config gets its own back.
      const previous = await this.render(version ?? this.imageVersion(), stored);
      await this.options.stack.putSecrets('alertmanager', previous.secrets).catch(() => undefined);
      if (err instanceof ConfigRejectedError) {
        const discarded = this.pending ? ' The imported file was discarded: fix it, then import it again.' : '';
        this.pending = null;
        throw new ConsoleError('NOTIFICATIONS_REJECTED', `Nothing changed: ${redactSecrets(err.message, secretValues(next))}${discarded}`, 422);
      }
      throw err;
    }
    // Stored before the last check: the files on disk are the new ones from here on.
    await this.store.save(next);
    this.pending = null;
    if (version) await this.confirmLive(rendered.receivers);
    return {
      ...this.view(next, version),
      applied: version ? 'live' : 'written',
      message: version
        ? `Saved and live: Alertmanager ${version} runs the new configuration.`
        : 'Saved. Alertmanager is not running; it starts with this configuration.',
    };
  }

  async import(text: string): Promise<NotificationImportResult> {
    const imported = importAlertmanagerConfig(text);
    this.pending = imported;
    return { form: maskForm(imported.settings), notes: imported.notes, warnings: warningsOf(imported.settings) };
  }

  /** Posts a synthetic alert that routes only to this receiver's test route, then reads whether it was delivered. */
  async test(kind: ReceiverKind, severity: Severity): Promise<NotificationTestResult> {
    const { settings } = await this.store.load();
    if (!settings.receivers[kind].enabled) {
      throw new ConsoleError('RECEIVER_OFF', `${LABELS[kind]} is switched off: switch it on and save before sending a test.`, 409);
    }
    await this.client.status();
    const before = await this.counters(kind);
    const now = Date.now();
    const id = randomUUID().slice(0, 8);
    await this.client.postAlerts([
      {
        // A component of its own: a critical test must not inhibit the next warning test (equal: component).
        labels: { alertname: TEST_ALERT_NAME, severity, component: `console-test-${id}`, [TEST_LABEL]: kind, test_id: id },
        annotations: { summary: `Test notification from the RX580 Ops Console (${severity})`, description: `Sent to ${LABELS[kind]} to prove the receiver works.` },
        startsAt: new Date(now).toISOString(),
        // Ends by itself; the test receiver sends no "resolved" message.
        endsAt: new Date(now + 2 * 60_000).toISOString(),
      },
    ]);
    const result = (delivered: boolean, message: string) => ({ receiver: kind, severity, delivered, message });
    const deadline = Date.now() + (this.options.testTimeoutMs ?? 20_000);
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 300));
      let now = await this.counters(kind);
      if (now.requests > before.requests && now.failed === before.failed) {
        // The failure counter follows the request counter: look once more before calling it a success.
        await new Promise((r) => setTimeout(r, 300));
        now = await this.counters(kind);
      }
      if (now.failed > before.failed) {
        const reason = (await this.loggedFailure(kind)) ?? 'Alertmanager did not log a reason';
        return result(false, `${LABELS[kind]} did not accept the test notification: ${redactSecrets(reason, secretValues({ settings, preserved: {}, kept: [] }))}`);
      }
      if (now.requests > before.requests) return result(true, `Alertmanager delivered the test notification to ${LABELS[kind]}.`);
    }
    return result(false, `Alertmanager did not try to send the test notification within ${Math.round((this.options.testTimeoutMs ?? 20_000) / 1000)} s.`);
  }

  /** The log line may follow the counter by a moment: one more look before giving up on a reason. */
  private async loggedFailure(kind: ReceiverKind): Promise<string | null> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const lines = await this.options.stack.logs('alertmanager', 200).catch(() => []);
      const reason = failureReason(lines, testReceiverName(kind));
      if (reason) return reason;
      await new Promise((r) => setTimeout(r, 500));
    }
    return null;
  }

  /** Alertmanager's files for the stack's start (the StackManager's config source). */
  async stackFiles(version: string | null): Promise<{ files: Record<string, string>; secrets: ServiceSecret[] }> {
    const stored = await this.store.load();
    if (stored.secretsLost) {
      // Another cipher wrote them (the desktop app's keychain, read from the CLI): keep what runs.
      const file = join(configDirFor(this.options.settings, 'alertmanager'), 'alertmanager.yml');
      const current = await readFile(file, 'utf8').catch(() => null);
      if (current !== null) return { files: { 'alertmanager.yml': current }, secrets: [] };
    }
    return this.render(version, stored);
  }

  private async render(version: string | null, stored: StoredNotifications): Promise<Rendered> {
    const inFiles = fileSecretsFor(version);
    const settings = withoutUnusable(stored.settings);
    const secretFiles: Record<string, string> = {};
    const secrets: ServiceSecret[] = [];
    for (const kind of RECEIVER_KINDS) {
      const name = secretNameOf(kind);
      const value = String((stored.settings.receivers[kind] as Record<string, unknown>)[SECRET_FIELDS[kind]] ?? '');
      const used = settings.receivers[kind].enabled && value !== '' && inFiles.has(name);
      // One file per receiver, emptied when unused: no old secret lingers in the volume.
      secrets.push({ name: `notify-${kind}`, content: used ? value : '' });
      if (used) secretFiles[name] = `${SECRETS_TARGET}/notify-${kind}`;
    }
    await this.protectConfigTree();
    const config = alertmanagerConfigObject({ notifications: settings, secretFiles, preserved: stored.preserved });
    const receivers = (config.receivers as { name: string }[]).map((r) => r.name);
    return { files: { 'alertmanager.yml': stringify(config, { lineWidth: 0 }) }, secrets, receivers };
  }

  /**
   * Some secrets must be inline (Discord before 0.28, imported parts), and the config files are
   * world-readable so the container's user can read them through the bind mount. The tree above
   * them is closed to other users of the machine instead: the Docker engine mounts it as root,
   * and inside the container only the mounted directory's own permissions count.
   */
  private async protectConfigTree(): Promise<void> {
    const tree = dirname(configDirFor(this.options.settings, 'alertmanager'));
    await mkdir(tree, { recursive: true, mode: 0o700 });
    await chmod(tree, 0o700);
  }

  private async confirmLive(receivers: string[]): Promise<void> {
    const status = await this.client.status();
    const live = parse(status.config.original) as { receivers?: { name: string }[] };
    const names = (live.receivers ?? []).map((r) => r.name);
    if (receivers.some((r) => !names.includes(r))) {
      throw new ConsoleError('NOTIFICATIONS_NOT_LIVE', 'Alertmanager reloaded, but its running configuration does not show the new receivers; check its logs.', 502);
    }
  }

  private view(stored: StoredNotifications, version: string | null): NotificationView {
    const inFiles = fileSecretsFor(version ?? this.imageVersion());
    return {
      form: maskForm(stored.settings),
      warnings: [
        ...(stored.secretsLost
          ? [{ path: '', message: 'The stored webhook URLs and password could not be decrypted (the key changed or was lost): enter them again, then Save.' }]
          : []),
        ...warningsOf(stored.settings),
      ],
      kept: stored.kept,
      alertmanagerVersion: version,
      secretStorage: Object.fromEntries(RECEIVER_KINDS.map((k) => [k, inFiles.has(secretNameOf(k)) ? 'file' : 'inline'])) as NotificationView['secretStorage'],
    };
  }

  /** The form as sent, with each masked (unchanged) secret replaced by the one it stands for. */
  private withSecrets(form: NotificationForm, stored: NotificationSettings): NotificationForm {
    const out = structuredClone(form);
    for (const kind of RECEIVER_KINDS) {
      const field = SECRET_FIELDS[kind];
      const rec = out.receivers[kind] as Record<string, unknown>;
      if (!isMasked(String(rec[field] ?? ''))) continue;
      const pending = String((this.pending?.settings.receivers[kind] as Record<string, unknown> | undefined)?.[field] ?? '');
      rec[field] = pending || (stored.receivers[kind] as Record<string, unknown>)[field];
    }
    return out;
  }

  private async runningVersion(): Promise<string | null> {
    try {
      return (await this.client.status()).versionInfo.version;
    } catch {
      return null;
    }
  }

  private imageVersion(): string | null {
    return imageTag(this.options.settings.alertmanager.image);
  }

  private async counters(kind: ReceiverKind): Promise<DeliveryCounters> {
    const res = await fetch(`${this.client.baseUrl}/metrics`, { signal: AbortSignal.timeout(5000) });
    return deliveryCounters(await res.text(), kind);
  }
}

/** Receivers whose secrets were lost render as off, so Alertmanager still starts with the others. */
function withoutUnusable(settings: NotificationSettings): NotificationSettings {
  const out = structuredClone(settings);
  for (const kind of RECEIVER_KINDS) {
    const rec = out.receivers[kind];
    const secret = String((rec as Record<string, unknown>)[SECRET_FIELDS[kind]] ?? '');
    const needsSecret = kind !== 'email' || out.receivers.email.username !== '';
    if (rec.enabled && needsSecret && !secret) rec.enabled = false;
  }
  return out;
}

function maskForm(settings: NotificationSettings): NotificationForm {
  const form = structuredClone(settings);
  for (const kind of RECEIVER_KINDS) {
    const rec = form.receivers[kind] as Record<string, unknown>;
    rec[SECRET_FIELDS[kind]] = maskSecret(String(rec[SECRET_FIELDS[kind]] ?? ''));
  }
  return form;
}

const warningsOf = (settings: NotificationSettings) => notificationWarnings(settings).map((w) => ({ path: issuePath(w.path), message: w.message }));

function secretValues(stored: StoredNotifications): string[] {
  const values = RECEIVER_KINDS.map((k) => String((stored.settings.receivers[k] as Record<string, unknown>)[SECRET_FIELDS[k]] ?? ''));
  return values.filter(Boolean);
}

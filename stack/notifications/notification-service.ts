import { join } from 'node:path';
import { importAlertmanagerConfig, type ImportedConfig } from './alertmanager-import';
import { AlertmanagerClient } from '../clients/alertmanager-client';
import { ConfigRejectedError } from '../config/config-apply';
import { ConsoleError, FieldErrors } from '../console-error';
import { NotificationApplier } from './notification-apply';
import { redactSecrets } from './notification-delivery';
import { effectiveConfig, startFiles, type RenderedNotifications } from './notification-render';
import {
  issuePath,
  notificationFormSchema,
  notificationSettingsSchema,
  type NotificationForm,
  type NotificationImportResult,
  type NotificationSaveResult,
  type NotificationTestResult,
  type NotificationView,
  type ReceiverKind,
  type Severity,
} from './notification-settings';
import { NotificationStore, type StoredNotifications } from './notification-store';
import { notificationView, warningsOf } from './notification-view';
import { maskForm, secretValues, withSecrets } from './receiver-secrets';
import { aesGcmFileCipher, type SecretCipher } from './secret-store';
import { previewRoute } from './route-preview';
import { TestNotifier } from './test-notification';
import { alertRuleGroups } from '../config/alert-rules';
import type { RoutePreview } from '../../electron/api/schemas/route-preview';
import type { Settings } from '../../electron/api/schemas/settings';
import type { StackManager } from '../engine/stack-manager';
import { imageTag } from '../spec/stack-spec';

export interface NotificationServiceOptions {
  settings: Settings;
  stack: StackManager;
  /** Encrypts stored secrets; default AES-256-GCM with a key file beside them (web mode). */
  cipher?: SecretCipher;
  /** How long a test waits for Alertmanager to attempt delivery. */
  testTimeoutMs?: number;
}

/**
 * The notification settings behind the form: validates, stores (secrets encrypted), and has
 * Alertmanager's files rendered, applied live and proven with test notifications.
 */
export class NotificationService {
  readonly store: NotificationStore;
  private readonly client: AlertmanagerClient;
  private readonly applier: NotificationApplier;
  private readonly tester: TestNotifier;
  /** An imported file waiting for the user to review and save it. */
  private pending: ImportedConfig | null = null;
  private saving: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: NotificationServiceOptions) {
    const dir = join(options.settings.dataDir, 'notifications', options.settings.project);
    this.store = new NotificationStore(dir, options.cipher ?? aesGcmFileCipher(join(dir, 'secrets.key')));
    this.client = new AlertmanagerClient(`http://127.0.0.1:${options.settings.alertmanager.port}`, 3000);
    this.applier = new NotificationApplier(options.settings, options.stack, this.client);
    this.tester = new TestNotifier(this.client, options.stack, options.testTimeoutMs ?? 20_000);
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
    const candidate = withSecrets(notificationFormSchema.parse(form), stored.settings, this.pending?.settings);
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
    let receivers: string[];
    try {
      receivers = await this.applier.apply(version ?? this.imageVersion(), next, stored);
    } catch (err) {
      if (err instanceof ConfigRejectedError) {
        const discarded = this.pending ? ' The imported file was discarded: fix it, then import it again.' : '';
        this.pending = null;
        throw new ConsoleError('NOTIFICATIONS_REJECTED', `Nothing changed: ${redactSecrets(err.message, secretValues(next.settings))}${discarded}`, 422);
      }
      throw err;
    }
    // Stored before the last check: the files on disk are the new ones from here on.
    await this.store.save(next);
    this.pending = null;
    if (version) await this.applier.confirmLive(receivers);
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

  async test(kind: ReceiverKind, severity: Severity): Promise<NotificationTestResult> {
    return this.tester.send((await this.store.load()).settings, kind, severity);
  }

  /**
   * Where an alert with these labels goes under the saved configuration, as Alertmanager would
   * route it; it need not run. The version only places secrets, which routing never reads.
   */
  async routePreview(labels: Record<string, string>): Promise<RoutePreview> {
    return previewRoute(await effectiveConfig(this.options.settings, this.imageVersion(), await this.store.load()), labels);
  }

  /** The labels of the console's own alert rules (their current settings), to try in the preview. */
  ruleLabels(): { alert: string; labels: Record<string, string> }[] {
    return alertRuleGroups(this.options.settings.alerts).flatMap((g) => g.rules.map((r) => ({ alert: r.alert, labels: { alertname: r.alert, ...r.labels } })));
  }

  /** Alertmanager's files for the stack's start (the StackManager's config source). */
  async stackFiles(version: string | null): Promise<Pick<RenderedNotifications, 'files' | 'secrets'>> {
    return startFiles(this.options.settings, version, await this.store.load());
  }

  private view(stored: StoredNotifications, version: string | null): NotificationView {
    return notificationView(stored, version, this.imageVersion());
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
}

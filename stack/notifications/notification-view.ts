import { fileSecretsFor } from '../config/alertmanager-config';
import { issuePath, notificationWarnings, RECEIVER_KINDS, secretNameOf, type NotificationSettings, type NotificationView } from './notification-settings';
import type { StoredNotifications } from './notification-store';
import { maskForm } from './receiver-secrets';

/** Advice that does not block saving, with paths as the form names its fields. */
export const warningsOf = (settings: NotificationSettings) => notificationWarnings(settings).map((w) => ({ path: issuePath(w.path), message: w.message }));

/**
 * What the renderer gets: the form with secrets masked, advice, what an import kept, and where
 * each secret goes for this Alertmanager version (running, else the configured image's tag).
 */
export function notificationView(stored: StoredNotifications, version: string | null, imageVersion: string | null): NotificationView {
  const inFiles = fileSecretsFor(version ?? imageVersion);
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

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PreservedConfig } from '../config/alertmanager-config';
import {
  notificationFormSchema,
  RECEIVER_KINDS,
  SECRET_FIELDS,
  secretNameOf,
  type NotificationSettings,
} from './notification-settings';
import { EncryptedFileSecretStore, SecretStoreError, writePrivateFile, type SecretCipher, type SecretStore } from './secret-store';

/** What the console keeps about notifications: the form, and what an import kept that the form cannot show. */
export interface StoredNotifications {
  settings: NotificationSettings;
  preserved: PreservedConfig;
  /** Sentences naming what was kept from an imported file. */
  kept: string[];
  /** The encrypted secrets could not be read (key lost or changed): they must be entered again. */
  secretsLost?: boolean;
}

const PRESERVED_KEY = 'preserved';

/**
 * Persists notification settings in the console's data directory: the secret-free part as JSON,
 * secrets (and imported config parts, which may hold secrets of their own) in the encrypted
 * store. Kept apart from the stack's rendered files, so removing stack data keeps them.
 */
export class NotificationStore {
  readonly file: string;
  readonly secrets: SecretStore;

  constructor(
    readonly dir: string,
    cipher: SecretCipher,
  ) {
    this.file = join(dir, 'notifications.json');
    this.secrets = new EncryptedFileSecretStore(join(dir, 'secrets.enc'), cipher);
  }

  async load(): Promise<StoredNotifications> {
    const raw = await readFile(this.file, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null;
      throw err;
    });
    const parsed = raw ? (JSON.parse(raw) as { form?: unknown; kept?: string[] }) : {};
    const form = notificationFormSchema.parse(parsed.form ?? {});
    // Unreadable secrets must not lock the user out of the form that lets them enter new ones.
    let secretsLost = false;
    const secrets = await this.secrets.read().catch((err: unknown) => {
      if (!(err instanceof SecretStoreError)) throw err;
      secretsLost = true;
      return {} as Record<string, string>;
    });
    for (const kind of RECEIVER_KINDS) {
      (form.receivers[kind] as Record<string, unknown>)[SECRET_FIELDS[kind]] = secrets[secretNameOf(kind)] ?? '';
    }
    const preserved = secrets[PRESERVED_KEY] ? (JSON.parse(secrets[PRESERVED_KEY]) as PreservedConfig) : {};
    return { settings: form, preserved, kept: parsed.kept ?? [], ...(secretsLost ? { secretsLost } : {}) };
  }

  async save(stored: StoredNotifications): Promise<void> {
    const form = structuredClone(stored.settings);
    const secrets: Record<string, string> = { [PRESERVED_KEY]: JSON.stringify(stored.preserved) };
    for (const kind of RECEIVER_KINDS) {
      const rec = form.receivers[kind] as Record<string, unknown>;
      secrets[secretNameOf(kind)] = String(rec[SECRET_FIELDS[kind]] ?? '');
      rec[SECRET_FIELDS[kind]] = '';
    }
    // Secrets first: a crash in between leaves new secrets with the old form, never the reverse.
    await this.secrets.write(secrets);
    await writePrivateFile(this.file, JSON.stringify({ form, kept: stored.kept }, null, 2) + '\n');
  }
}

import { chmod, mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { alertmanagerConfigObject, fileSecretsFor } from '../config/alertmanager-config';
import { RECEIVER_KINDS, secretNameOf, type NotificationSettings } from './notification-settings';
import type { StoredNotifications } from './notification-store';
import { secretOf } from './receiver-secrets';
import { ConsoleError } from '../console-error';
import type { Settings } from '../../electron/api/schemas/settings';
import type { ServiceSecret } from '../engine/stack-manager';
import { configDirFor, SECRETS_TARGET } from '../spec/stack-spec';

/** Alertmanager's config and secret files for stored notifications, and the receivers the config names. */
export interface RenderedNotifications {
  files: Record<string, string>;
  secrets: ServiceSecret[];
  receivers: string[];
}

/** The config object and secret files for stored notifications, secrets placed for this version (no I/O). */
function notificationsConfig(version: string | null, stored: StoredNotifications): { config: Record<string, unknown>; secrets: ServiceSecret[] } {
  const inFiles = fileSecretsFor(version);
  const notifications = withoutUnusable(stored.settings);
  const secretFiles: Record<string, string> = {};
  const secrets: ServiceSecret[] = [];
  for (const kind of RECEIVER_KINDS) {
    const name = secretNameOf(kind);
    const value = secretOf(stored.settings, kind);
    const used = notifications.receivers[kind].enabled && value !== '' && inFiles.has(name);
    // One file per receiver, emptied when unused: no old secret lingers in the volume.
    secrets.push({ name: `notify-${kind}`, content: used ? value : '' });
    if (used) secretFiles[name] = `${SECRETS_TARGET}/notify-${kind}`;
  }
  return { config: alertmanagerConfigObject({ notifications, secretFiles, preserved: stored.preserved }), secrets };
}

/** Secrets go to files where this Alertmanager version reads them from files, inline otherwise. */
export async function renderNotifications(settings: Settings, version: string | null, stored: StoredNotifications): Promise<RenderedNotifications> {
  const { config, secrets } = notificationsConfig(version, stored);
  await protectConfigTree(settings);
  const receivers = (config.receivers as { name: string }[]).map((r) => r.name);
  return { files: { 'alertmanager.yml': stringify(config, { lineWidth: 0 }) }, secrets, receivers };
}

/** The file Alertmanager keeps running when another cipher wrote the secrets (the desktop app's keychain, read from the CLI). */
async function keptFile(settings: Settings, stored: StoredNotifications): Promise<string | null> {
  if (!stored.secretsLost) return null;
  return readFile(join(configDirFor(settings, 'alertmanager'), 'alertmanager.yml'), 'utf8').catch(() => null);
}

/** Alertmanager's files for the stack's start (the StackManager's config source). */
export async function startFiles(settings: Settings, version: string | null, stored: StoredNotifications): Promise<Pick<RenderedNotifications, 'files' | 'secrets'>> {
  const kept = await keptFile(settings, stored);
  return kept !== null ? { files: { 'alertmanager.yml': kept }, secrets: [] } : renderNotifications(settings, version, stored);
}

/** The config Alertmanager runs, or starts with: what startFiles writes, as an object, written nowhere. */
export async function effectiveConfig(settings: Settings, version: string | null, stored: StoredNotifications): Promise<unknown> {
  const kept = await keptFile(settings, stored);
  if (kept === null) return notificationsConfig(version, stored).config;
  try {
    return parse(kept);
  } catch (err) {
    throw new ConsoleError('ROUTE_CONFIG_INVALID', `The alertmanager.yml Alertmanager runs is not valid YAML: ${(err as Error).message.split('\n')[0]}`, 422);
  }
}

/** Receivers whose secrets were lost render as off, so Alertmanager still starts with the others. */
function withoutUnusable(settings: NotificationSettings): NotificationSettings {
  const out = structuredClone(settings);
  for (const kind of RECEIVER_KINDS) {
    const rec = out.receivers[kind];
    const needsSecret = kind !== 'email' || out.receivers.email.username !== '';
    if (rec.enabled && needsSecret && !secretOf(out, kind)) rec.enabled = false;
  }
  return out;
}

/**
 * Some secrets must be inline (Discord before 0.28, imported parts), and the config files are
 * world-readable so the container's user can read them through the bind mount. The tree above
 * them is closed to other users of the machine instead: the Docker engine mounts it as root,
 * and inside the container only the mounted directory's own permissions count.
 */
async function protectConfigTree(settings: Settings): Promise<void> {
  const tree = dirname(configDirFor(settings, 'alertmanager'));
  await mkdir(tree, { recursive: true, mode: 0o700 });
  await chmod(tree, 0o700);
}

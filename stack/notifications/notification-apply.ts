import { parse } from 'yaml';
import type { AlertmanagerClient } from '../clients/alertmanager-client';
import { ConsoleError } from '../console-error';
import { renderNotifications } from './notification-render';
import type { StoredNotifications } from './notification-store';
import type { Settings } from '../../electron/api/schemas/settings';
import type { StackManager } from '../engine/stack-manager';

/**
 * Puts notification settings live in Alertmanager: its secret files, then its config, which the
 * stack manager checks and reloads (a refused config leaves the previous one running). What the
 * stack manager cannot restore, the secret files, is restored here.
 */
export class NotificationApplier {
  constructor(
    private readonly settings: Settings,
    private readonly stack: StackManager,
    private readonly client: AlertmanagerClient,
  ) {}

  /** Renders `next` for this Alertmanager version and applies it; gives back the receivers it names. */
  async apply(version: string | null, next: StoredNotifications, previous: StoredNotifications): Promise<string[]> {
    const rendered = await renderNotifications(this.settings, version, next);
    try {
      await this.stack.putSecrets('alertmanager', rendered.secrets);
      await this.stack.applyServiceConfig('alertmanager', rendered.files);
    } catch (err) {
      // Secret files are read at each notification: the previous config gets its own back.
      const restored = await renderNotifications(this.settings, version, previous);
      await this.stack.putSecrets('alertmanager', restored.secrets).catch(() => undefined);
      throw err;
    }
    return rendered.receivers;
  }

  /** A reload that answered well is not trusted alone: the running config must name every new receiver. */
  async confirmLive(receivers: string[]): Promise<void> {
    const status = await this.client.status();
    const live = parse(status.config.original) as { receivers?: { name: string }[] };
    const names = (live.receivers ?? []).map((r) => r.name);
    if (receivers.some((r) => !names.includes(r))) {
      throw new ConsoleError('NOTIFICATIONS_NOT_LIVE', 'Alertmanager reloaded, but its running configuration does not show the new receivers; check its logs.', 502);
    }
  }
}

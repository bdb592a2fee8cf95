import type { AlertTransition, AlertWatcher } from './alert-watcher';

export interface DesktopNotification {
  title: string;
  body: string;
  urgency: 'normal' | 'critical';
}

/** The desktop's notification API, behind the few calls the console makes. */
export interface NotificationPort {
  isSupported(): boolean;
  show(notification: DesktopNotification, onClick: () => void): void;
}

export interface AlertNotifierOptions {
  watcher: AlertWatcher;
  notifications: NotificationPort;
  /** Read at each transition, so turning the setting off takes effect at once. */
  enabled: () => boolean;
  /** Brings the console forward on the Alerts page. */
  openAlerts: () => void;
}

export function notificationFor(t: AlertTransition): DesktopNotification {
  const severity = t.severity ? ` (${t.severity})` : '';
  return {
    title: t.kind === 'firing' ? `Alert firing: ${t.name}${severity}` : `Alert resolved: ${t.name}`,
    body: t.summary ?? (t.kind === 'firing' ? 'Open the console to see the alert.' : 'It no longer fires.'),
    urgency: t.kind === 'firing' && t.severity === 'critical' ? 'critical' : 'normal',
  };
}

/** Shows a desktop notification for each alert transition; clicking one opens the Alerts page. */
export function notifyAlerts({ watcher, notifications, enabled, openAlerts }: AlertNotifierOptions): () => void {
  const onTransition = (t: AlertTransition) => {
    if (enabled() && notifications.isSupported()) notifications.show(notificationFor(t), openAlerts);
  };
  watcher.on('transition', onTransition);
  return () => watcher.off('transition', onTransition);
}

import type { NotificationService } from '../../../stack/notifications/notification-service';
import type { HandlersFor } from '../../api/contract';
import type { notificationsMethods } from '../../api/notifications-contract';

export function notificationsHandlers(service: NotificationService): HandlersFor<typeof notificationsMethods> {
  return {
    'notifications.get': () => service.get(),
    'notifications.save': (form) => service.save(form),
    'notifications.test': (kind, severity) => service.test(kind, severity),
    'notifications.import': (text) => service.import(text),
    'notifications.routePreview': (labels) => service.routePreview(labels),
    'notifications.ruleLabels': async () => service.ruleLabels(),
  };
}

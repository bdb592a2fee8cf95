import { z } from 'zod';
import {
  notificationFormSchema,
  notificationImportResultSchema,
  notificationSaveResultSchema,
  notificationTestResultSchema,
  notificationViewSchema,
  receiverKindSchema,
  severitySchema,
} from '../../stack/notifications/notification-settings';

/**
 * Notifications' part of the API contract. Secrets never travel back in full: `get`, `save`
 * and `import` answer with masked values, and a masked value sent back unchanged keeps the
 * stored secret. `save` validates (400 with per-field issues), stores, and applies live.
 */
export const notificationsMethods = {
  'notifications.get': { args: z.tuple([]), result: notificationViewSchema },
  'notifications.save': { args: z.tuple([notificationFormSchema]), result: notificationSaveResultSchema },
  'notifications.test': { args: z.tuple([receiverKindSchema, severitySchema]), result: notificationTestResultSchema },
  'notifications.import': {
    args: z.tuple([z.string().min(1, 'The file is empty.').max(200_000, 'An alertmanager.yml is not that large (200 kB at most).')]),
    result: notificationImportResultSchema,
  },
} as const;

export const notificationsEvents = {} as const;

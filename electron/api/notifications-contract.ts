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
import { labelName } from './monitoring-contract';
import { routePreviewSchema } from './schemas/route-preview';

export const MAX_PREVIEW_LABELS = 30;
export const MAX_LABEL_VALUE = 1000;

export const labelValueSchema = z.string().max(MAX_LABEL_VALUE, `a label value has at most ${MAX_LABEL_VALUE} characters`);

/** An alert's labels, as the routing preview takes them: each name checked, so the error names the label. */
export const routeLabelsSchema = z.record(z.string(), labelValueSchema).superRefine((labels, ctx) => {
  const names = Object.keys(labels);
  if (names.length > MAX_PREVIEW_LABELS) ctx.addIssue({ code: 'custom', message: `at most ${MAX_PREVIEW_LABELS} labels` });
  for (const name of names) {
    const checked = labelName.safeParse(name);
    if (!checked.success) ctx.addIssue({ code: 'custom', path: [name], message: checked.error.issues[0]!.message });
  }
});

/** A label set to try in the preview: one of the console's own alert rules. */
const ruleLabelsSchema = z.object({ alert: z.string(), labels: z.record(z.string(), z.string()) });

/**
 * Notifications' part of the API contract. Secrets never travel back in full: `get`, `save`
 * and `import` answer with masked values, and a masked value sent back unchanged keeps the
 * stored secret. `save` validates (400 with per-field issues), stores, and applies live.
 * `routePreview` walks the routes of the saved configuration, whether Alertmanager runs or not.
 */
export const notificationsMethods = {
  'notifications.get': { args: z.tuple([]), result: notificationViewSchema },
  'notifications.save': { args: z.tuple([notificationFormSchema]), result: notificationSaveResultSchema },
  'notifications.test': { args: z.tuple([receiverKindSchema, severitySchema]), result: notificationTestResultSchema },
  'notifications.import': {
    args: z.tuple([z.string().min(1, 'The file is empty.').max(200_000, 'An alertmanager.yml is not that large (200 kB at most).')]),
    result: notificationImportResultSchema,
  },
  'notifications.routePreview': { args: z.tuple([routeLabelsSchema]), result: routePreviewSchema },
  'notifications.ruleLabels': { args: z.tuple([]), result: z.array(ruleLabelsSchema) },
} as const;

export const notificationsEvents = {} as const;

import { isMasked, maskSecret, RECEIVER_KINDS, SECRET_FIELDS, type NotificationForm, type NotificationSettings, type ReceiverKind } from './notification-settings';

/**
 * The receivers' secrets (webhook URLs, the SMTP password) as the form carries them: masked on
 * the way out to the renderer, put back from the stored or imported ones on the way in.
 */

type Fields = Record<string, unknown>;

/** One receiver's secret; '' when it has none. */
export const secretOf = (settings: NotificationForm, kind: ReceiverKind): string => String((settings.receivers[kind] as Fields)[SECRET_FIELDS[kind]] ?? '');

/** Every secret the settings hold: what must never show in a message. */
export const secretValues = (settings: NotificationSettings): string[] => RECEIVER_KINDS.map((k) => secretOf(settings, k)).filter(Boolean);

export function maskForm(settings: NotificationSettings): NotificationForm {
  const form = structuredClone(settings);
  for (const kind of RECEIVER_KINDS) (form.receivers[kind] as Fields)[SECRET_FIELDS[kind]] = maskSecret(secretOf(settings, kind));
  return form;
}

/** The form as sent, with each masked (unchanged) secret replaced by the one it stands for: the imported file's, else the stored one. */
export function withSecrets(form: NotificationForm, stored: NotificationSettings, imported: NotificationSettings | undefined): NotificationForm {
  const out = structuredClone(form);
  for (const kind of RECEIVER_KINDS) {
    if (!isMasked(secretOf(out, kind))) continue;
    (out.receivers[kind] as Fields)[SECRET_FIELDS[kind]] = (imported && secretOf(imported, kind)) || secretOf(stored, kind);
  }
  return out;
}

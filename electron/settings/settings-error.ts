import { ConsoleError } from '../../stack/console-error';

/** Settings that cannot be used (a bad value, an unreadable or newer file): the user's to fix. */
export class SettingsError extends ConsoleError {
  override name = 'SettingsError';
  constructor(message: string, issues?: { path: string; message: string }[]) {
    super('BAD_SETTINGS', message, 400, issues);
  }
}

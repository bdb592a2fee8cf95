import { isDeepStrictEqual } from 'node:util';
import type { z } from 'zod';
import { ConsoleError } from '../../stack/console-error';
import { SETTING_LEAVES, settingsSchema, type Settings, type SettingsInput } from '../api/schemas/settings';
import { applyEnvOverrides, readSettingsFile, saveSettings, withHostDefaults } from './settings-file';
import { migrateSettings, SETTINGS_SCHEMA_VERSION } from './settings-migration';
import type { HandlersFor } from '../api/contract';
import type { settingsExportSchema, settingsMethods, settingsViewSchema } from '../api/settings-contract';

export type SettingsView = z.infer<typeof settingsViewSchema>;
export type SettingsExport = z.infer<typeof settingsExportSchema>;

export interface SettingsServiceOptions {
  file: string;
  /** The settings the console was started with (file plus environment). */
  running: Settings;
  env?: NodeJS.ProcessEnv;
  /** Refuses valid settings that cannot be saved now (by throwing), before anything is written. */
  admit?: (next: Settings) => Promise<void>;
}

const withoutDesktop = ({ desktop: _desktop, ...rest }: Settings) => rest;

/**
 * Reads and writes the settings file for the settings form: validation with a message per field,
 * atomic saves, export, and import of a file from any earlier version (migrated).
 */
export class SettingsService {
  private readonly env: NodeJS.ProcessEnv;

  constructor(private readonly options: SettingsServiceOptions) {
    this.env = options.env ?? process.env;
  }

  /** The saved settings with the environment applied: what the console would run with. */
  effective(fileSettings: Settings): Settings {
    return settingsSchema.parse(applyEnvOverrides(fileSettings, this.env));
  }

  async get(): Promise<SettingsView> {
    const { raw } = await readSettingsFile(this.options.file);
    return this.view(this.validate(raw, 'The settings file'));
  }

  async update(next: SettingsInput): Promise<SettingsView> {
    const valid = this.validate(next, 'These settings');
    await this.options.admit?.(this.effective(valid));
    await saveSettings(this.options.file, valid);
    return this.view(valid);
  }

  async export(): Promise<SettingsExport> {
    const { settings } = await this.get();
    return { fileName: 'rx580-ops-settings.json', content: JSON.stringify({ schemaVersion: SETTINGS_SCHEMA_VERSION, ...settings }, null, 2) + '\n' };
  }

  /** Validates a settings file's text completely before anything is saved. */
  async import(content: string): Promise<SettingsView> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch (err) {
      throw new ConsoleError('BAD_SETTINGS_FILE', `That file is not JSON: ${(err as Error).message}`);
    }
    let migrated: Record<string, unknown>;
    try {
      migrated = migrateSettings(parsed);
    } catch (err) {
      throw new ConsoleError('BAD_SETTINGS_FILE', (err as Error).message);
    }
    return this.update(this.validate(migrated, 'The imported settings'));
  }

  private validate(input: unknown, what: string): Settings {
    const result = settingsSchema.safeParse(withHostDefaults(input));
    if (result.success) return result.data;
    const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    const list = issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ');
    throw new ConsoleError('INVALID_SETTINGS', `${what} have ${issues.length === 1 ? 'a problem' : `${issues.length} problems`}: ${list}`, 400, issues);
  }

  private view(settings: Settings): SettingsView {
    const effective = this.effective(settings);
    return {
      settings,
      overridden: SETTING_LEAVES
        .filter((l) => this.env[l.envName] !== undefined)
        .map((l) => ({ path: l.path.join('.'), variable: l.envName })),
      file: this.options.file,
      restartNeeded: !isDeepStrictEqual(withoutDesktop(effective), withoutDesktop(this.options.running)),
    };
  }
}

/**
 * The settings domain's handlers; `onSaved` gets the effective settings after every save and
 * applies what can take effect at once, so the view it answers with says what still waits.
 */
export function settingsHandlers(service: SettingsService, onSaved: (effective: Settings) => void | Promise<void>): HandlersFor<typeof settingsMethods> {
  const saved = async (view: SettingsView) => {
    await onSaved(service.effective(view.settings));
    return service.get();
  };
  return {
    'settings.get': () => service.get(),
    'settings.update': async (next) => saved(await service.update(next)),
    'settings.export': () => service.export(),
    'settings.import': async (content) => saved(await service.import(content)),
  };
}

import { z } from 'zod';
import { settingsInputSchema, settingsSchema } from './schemas/settings';

/** The settings form: read, save, export and import the settings file. */

export const settingsViewSchema = z.object({
  /** What the file says (defaults filled in), without environment overrides: what the form edits. */
  settings: settingsSchema,
  /** Settings an environment variable overrides while the console runs, with the variable's name. */
  overridden: z.array(z.object({ path: z.string(), variable: z.string() })),
  file: z.string(),
  /** True when saved settings differ from those the console runs with outside `desktop`, which
   *  applies at once: ports and images take effect when the console starts again. */
  restartNeeded: z.boolean(),
});

export const settingsExportSchema = z.object({ fileName: z.string(), content: z.string() });

export const settingsMethods = {
  'settings.get': { args: z.tuple([]), result: settingsViewSchema },
  'settings.update': { args: z.tuple([settingsInputSchema]), result: settingsViewSchema },
  'settings.export': { args: z.tuple([]), result: settingsExportSchema },
  'settings.import': { args: z.tuple([z.string().max(256 * 1024, 'a settings file is far smaller than 256 KB')]), result: settingsViewSchema },
} as const;

export const settingsEvents = {} as const;

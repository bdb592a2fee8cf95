import { z } from 'zod';

/** The app's own part of the API contract: what it is and how it runs. */

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  mode: z.enum(['desktop', 'web']),
  settingsFile: z.string(),
  project: z.string(),
});

export const appMethods = {
  'app.info': { args: z.tuple([]), result: appInfoSchema },
} as const;

export const appEvents = {} as const;

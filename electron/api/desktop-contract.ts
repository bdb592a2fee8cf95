import { z } from 'zod';
import { firstRunCheckSchema } from './schemas/first-run';

/** The shell around the console: first-run checks, and pages the main process asks the window to show. */

export const pageSchema = z.enum(['overview', 'alerts', 'logs', 'settings']);

export const desktopMethods = {
  'app.checks': { args: z.tuple([]), result: z.object({ checks: z.array(firstRunCheckSchema) }) },
} as const;

export const desktopEvents = {
  /** Sent when a notification or a menu item wants a page shown. */
  'app.navigate': z.object({ page: pageSchema }),
} as const;

import { z } from 'zod';

/** One first-run check (electron/first-run-checks.ts runs them): what was found and what to do. */
export const firstRunCheckSchema = z.object({
  /** Stable: `docker`, `models`, or `port:<setting>` such as `port:prometheus.port`. */
  id: z.string(),
  ok: z.boolean(),
  title: z.string(),
  /** What was found, in a sentence. */
  detail: z.string(),
  /** What to do about it; null when the check passed. */
  fix: z.string().nullable(),
});
export type FirstRunCheck = z.infer<typeof firstRunCheckSchema>;

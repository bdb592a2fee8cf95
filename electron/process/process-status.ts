import { z } from 'zod';

/** Shapes a supervised process reports; the API contract re-uses them rather than redefining them. */

export const processStateSchema = z.enum(['stopped', 'starting', 'running', 'backoff', 'failed']);

export const processExitSchema = z.object({
  code: z.number().nullable(),
  signal: z.string().nullable(),
  at: z.string(),
});

export const processStatusSchema = z.object({
  name: z.string(),
  enabled: z.boolean(),
  /** `starting` until the health probe answers, `backoff` while waiting to restart after a crash,
   *  `failed` once the restart cap is reached. */
  state: processStateSchema,
  healthy: z.boolean(),
  pid: z.number().nullable(),
  /** Restarts after crashes since the last start by the user. */
  restarts: z.number().int(),
  lastExit: processExitSchema.nullable(),
  nextRestartAt: z.string().nullable(),
  url: z.string().nullable(),
});

export const processLogLineSchema = z.object({
  /** Increasing per supervisor, so a reader can ask for what came after a line it has. */
  seq: z.number().int(),
  time: z.string(),
  stream: z.enum(['stdout', 'stderr', 'supervisor']),
  text: z.string(),
});

export type ProcessState = z.infer<typeof processStateSchema>;
export type ProcessExit = z.infer<typeof processExitSchema>;
export type ProcessStatus = z.infer<typeof processStatusSchema>;
export type ProcessLogLine = z.infer<typeof processLogLineSchema>;

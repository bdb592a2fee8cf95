import { z } from 'zod';
import { serviceNameSchema, stackProgressSchema, stackStatusSchema } from '../../stack/stack-status';

/** The stack's part of the API contract: lifecycle, status and the last lines of a container log. */

export const logsRequestSchema = z
  .object({ tail: z.number().int().min(1).max(5000).default(200) })
  .strict()
  .prefault({});

export const stackMethods = {
  'stack.status': { args: z.tuple([]), result: stackStatusSchema },
  'stack.up': { args: z.tuple([]), result: stackStatusSchema },
  'stack.down': { args: z.tuple([]), result: stackStatusSchema },
  'stack.removeData': { args: z.tuple([]), result: stackStatusSchema },
  'stack.logs': { args: z.tuple([serviceNameSchema, logsRequestSchema]), result: z.object({ lines: z.array(z.string()) }) },
} as const;

export const stackEvents = {
  'stack.status': stackStatusSchema,
  'stack.progress': stackProgressSchema,
} as const;

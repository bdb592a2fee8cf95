import { z } from 'zod';
import { serviceNameSchema, stackProgressSchema, stackStatusSchema } from '../../stack/stack-status';

/** The stack's part of the API contract: lifecycle, status and container logs (once or followed live). */

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
  /** Streams a container's log lines as `stack.logLine` events (the last `tail` first) until `stack.stopLogs`. */
  'stack.followLogs': { args: z.tuple([serviceNameSchema, logsRequestSchema]), result: z.object({ followId: z.string() }) },
  'stack.stopLogs': { args: z.tuple([z.string().min(1)]), result: z.object({ stopped: z.boolean() }) },
} as const;

export const stackEvents = {
  'stack.status': stackStatusSchema,
  'stack.progress': stackProgressSchema,
  'stack.logLine': z.object({ followId: z.string(), service: serviceNameSchema, line: z.string() }),
} as const;

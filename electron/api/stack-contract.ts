import { z } from 'zod';
import { stackProgressSchema, stackStatusSchema, workerNameSchema } from './schemas/stack-status';

/**
 * The stack's part of the API contract: lifecycle and status of the whole rig (the monitoring
 * services and the inference workers), and the inference service, or one of its workers, started
 * or stopped on its own.
 * Container logs are the Logs API's.
 */

export const stackMethods = {
  'stack.status': { args: z.tuple([]), result: stackStatusSchema },
  'stack.up': { args: z.tuple([]), result: stackStatusSchema },
  'stack.down': { args: z.tuple([]), result: stackStatusSchema },
  'stack.removeData': { args: z.tuple([]), result: stackStatusSchema },
  'inference.start': { args: z.tuple([]), result: stackStatusSchema },
  'inference.stop': { args: z.tuple([]), result: stackStatusSchema },
  /** One worker of this machine (by its card, or cpu): a stopped one keeps its container, out of Prometheus's targets, until started. */
  'inference.workerStart': { args: z.tuple([workerNameSchema]), result: stackStatusSchema },
  'inference.workerStop': { args: z.tuple([workerNameSchema]), result: stackStatusSchema },
} as const;

export const stackEvents = {
  'stack.status': stackStatusSchema,
  'stack.progress': stackProgressSchema,
} as const;

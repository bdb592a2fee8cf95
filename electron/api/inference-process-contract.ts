import { z } from 'zod';
import { processLogLineSchema, processStatusSchema } from '../process/process-status';
import { logsRequestSchema } from './logs-contract';

/** The inference service's process: started and stopped with the stack or on its own, its output kept. */

export const inferenceProcessMethods = {
  'inference.status': { args: z.tuple([]), result: processStatusSchema },
  'inference.start': { args: z.tuple([]), result: processStatusSchema },
  'inference.stop': { args: z.tuple([]), result: processStatusSchema },
  'inference.logs': { args: z.tuple([logsRequestSchema]), result: z.object({ lines: z.array(processLogLineSchema) }) },
} as const;

export const inferenceProcessEvents = {
  'inference.status': processStatusSchema,
  'inference.log': processLogLineSchema,
} as const;

import { z } from 'zod';
import {
  loadtestComparisonSchema,
  loadtestIdSchema,
  loadtestProgressSchema,
  loadtestResultSchema,
  loadtestSpecSchema,
  loadtestSummarySchema,
} from './schemas/loadtest';

/**
 * The load test's part of the API contract: start a run against the console's own inference
 * workers, cancel it, list the saved runs and read one, compared with a baseline when one is
 * named. One run at a time; it reports `loadtest.progress` at least once a second.
 */

export const loadtestMethods = {
  'loadtest.start': { args: z.tuple([loadtestSpecSchema]), result: z.object({ id: loadtestIdSchema }) },
  'loadtest.cancel': { args: z.tuple([loadtestIdSchema]), result: z.object({ id: loadtestIdSchema, cancelled: z.boolean() }) },
  'loadtest.list': { args: z.tuple([]), result: z.object({ runs: z.array(loadtestSummarySchema) }) },
  'loadtest.get': {
    args: z.tuple([loadtestIdSchema, loadtestIdSchema.optional()]),
    result: z.object({ result: loadtestResultSchema, comparison: loadtestComparisonSchema.nullable() }),
  },
} as const;

export const loadtestEvents = {
  'loadtest.progress': loadtestProgressSchema,
} as const;

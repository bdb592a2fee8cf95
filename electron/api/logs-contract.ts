import { z } from 'zod';

/**
 * The Logs page's part of the API contract: which log sources there are (each stack container;
 * other services join as one more source), their last lines, and live following. Followed
 * lines arrive as `logs.lines` events, batched, for as long as someone follows that source.
 */

export const logSourceIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'not a log source name');
export const followIdSchema = z.string().regex(/^f[0-9]{1,12}$/, 'not a follow id');

export const logsRequestSchema = z
  .object({ tail: z.number().int().min(1).max(5000).default(200) })
  .strict()
  .prefault({});

export const logSourceInfoSchema = z.object({ id: logSourceIdSchema, title: z.string() });

export const logsMethods = {
  'logs.sources': { args: z.tuple([]), result: z.array(logSourceInfoSchema) },
  'logs.tail': { args: z.tuple([logSourceIdSchema, logsRequestSchema]), result: z.object({ lines: z.array(z.string()) }) },
  'logs.follow': { args: z.tuple([logSourceIdSchema]), result: z.object({ followId: followIdSchema }) },
  'logs.unfollow': { args: z.tuple([followIdSchema]), result: z.object({ stopped: z.boolean() }) },
} as const;

export const logsEvents = {
  /** New lines of a followed source; `ended` when its stream stopped (container gone). */
  'logs.lines': z.object({ source: logSourceIdSchema, lines: z.array(z.string()), ended: z.boolean() }),
} as const;

export type LogSourceInfo = z.infer<typeof logSourceInfoSchema>;
export type LogLinesEvent = z.infer<typeof logsEvents['logs.lines']>;

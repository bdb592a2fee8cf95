import { z } from 'zod';
import { alertHistorySchema } from './schemas/alert-history';
import { gettableAlertSchema, gettableSilenceSchema, matcherSchema } from './schemas/alertmanager-api';
import {
  alertsResultSchema,
  instantResultSchema,
  labelListSchema,
  metadataSchema,
  rangeResultSchema,
  rulesResultSchema,
  seriesListSchema,
  targetsResultSchema,
} from './schemas/prometheus-api';

/**
 * The monitoring part of the API contract: Prometheus queries, rules, alerts, targets and the
 * names the PromQL editor completes; Alertmanager alerts and silences. The main process talks
 * to both services; the renderer only ever calls these methods.
 */

/** Prometheus refuses a range query with more points than this per series. */
export const MAX_POINTS_PER_SERIES = 11_000;
export const MAX_RANGE_SECONDS = 31 * 24 * 3600;
export const MIN_SILENCE_SECONDS = 60;
export const MAX_SILENCE_SECONDS = 30 * 24 * 3600;
/** The alert history's range: 1 minute (a band on the shortest chart) to 7 days. */
export const MIN_HISTORY_SECONDS = 60;
export const MAX_HISTORY_SECONDS = 7 * 24 * 3600;
/** Silences one bulk expiry takes: more than a page ever shows. */
export const MAX_BULK_SILENCES = 200;

const promql = z.string().trim().min(1, 'the query is empty').max(10_000, 'the query is longer than 10,000 characters');
const unixSeconds = z.number().finite().nonnegative();
/** Series selectors that narrow a label lookup, such as `api_requests_total` or `{job="inference"}`. */
const selectors = z.array(promql).max(20).default([]);

export const instantQuerySchema = z.object({ query: promql, time: unixSeconds.optional() }).strict();

export const rangeQuerySchema = z
  .object({ query: promql, start: unixSeconds, end: unixSeconds, step: z.number().finite().positive('step must be greater than 0') })
  .strict()
  .refine((q) => q.end > q.start, { message: 'end must be after start', path: ['end'] })
  .refine((q) => q.end - q.start <= MAX_RANGE_SECONDS, { message: 'the range is longer than 31 days', path: ['start'] })
  .refine((q) => (q.end - q.start) / q.step <= MAX_POINTS_PER_SERIES, {
    message: `the step is too small for this range: Prometheus refuses more than ${MAX_POINTS_PER_SERIES} points per series`,
    path: ['step'],
  });

/** `start`/`end` narrow it to series seen in that range (Prometheus's default is all it keeps). */
export const labelLookupSchema = z.object({ match: selectors, start: unixSeconds.optional(), end: unixSeconds.optional() }).strict().prefault({});
export const labelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'not a valid label name');

export const createSilenceSchema = z
  .object({
    matchers: z.array(matcherSchema).min(1, 'a silence needs at least one matcher').max(30),
    durationSeconds: z
      .number()
      .int()
      .min(MIN_SILENCE_SECONDS, 'a silence lasts at least one minute')
      .max(MAX_SILENCE_SECONDS, 'a silence lasts at most 30 days'),
    comment: z.string().trim().min(1, 'say why you silence it').max(500),
    createdBy: z.string().trim().min(1).max(100).default('RX580 Ops Console'),
  })
  .strict();

const silenceId = z.string().regex(/^[0-9a-fA-F-]{1,64}$/, 'not a silence id');

export const alertHistoryQuerySchema = z
  .object({ start: unixSeconds, end: unixSeconds })
  .strict()
  .refine((q) => q.end > q.start, { message: 'end must be after start', path: ['end'] })
  .refine((q) => q.end - q.start >= MIN_HISTORY_SECONDS, { message: 'the range is shorter than one minute', path: ['start'] })
  .refine((q) => q.end - q.start <= MAX_HISTORY_SECONDS, { message: 'the range is longer than 7 days', path: ['start'] });

export const expireSilencesSchema = z
  .array(silenceId)
  .min(1, 'give at least one silence id')
  .max(MAX_BULK_SILENCES, `at most ${MAX_BULK_SILENCES} silences at once`)
  .refine((ids) => new Set(ids).size === ids.length, 'a silence id is listed twice');

/** Each silence's outcome: one that fails (already gone, say) does not stop the others. */
const expireOutcomeSchema = z.object({ id: z.string(), expired: z.boolean(), error: z.string().nullable() });

export const monitoringMethods = {
  'prometheus.query': { args: z.tuple([instantQuerySchema]), result: instantResultSchema },
  'prometheus.queryRange': { args: z.tuple([rangeQuerySchema]), result: rangeResultSchema },
  'prometheus.rules': { args: z.tuple([]), result: rulesResultSchema },
  'prometheus.alerts': { args: z.tuple([]), result: alertsResultSchema.shape.alerts },
  'prometheus.targets': { args: z.tuple([]), result: targetsResultSchema },
  'prometheus.metricNames': { args: z.tuple([]), result: labelListSchema },
  'prometheus.labelNames': { args: z.tuple([labelLookupSchema]), result: labelListSchema },
  'prometheus.labelValues': { args: z.tuple([labelName, labelLookupSchema]), result: labelListSchema },
  'prometheus.series': { args: z.tuple([z.object({ match: z.array(promql).min(1, 'give at least one selector').max(20) }).strict()]), result: seriesListSchema },
  'prometheus.metadata': { args: z.tuple([]), result: metadataSchema },
  /** What fired and resolved over a range, from Prometheus's ALERTS series. */
  'prometheus.alertHistory': { args: z.tuple([alertHistoryQuerySchema]), result: alertHistorySchema },
  'alertmanager.alerts': { args: z.tuple([]), result: z.array(gettableAlertSchema) },
  'alertmanager.silences': { args: z.tuple([]), result: z.array(gettableSilenceSchema) },
  'alertmanager.createSilence': { args: z.tuple([createSilenceSchema]), result: z.object({ silenceID: z.string() }) },
  'alertmanager.expireSilence': { args: z.tuple([silenceId]), result: z.object({ expired: z.literal(true) }) },
  'alertmanager.expireSilences': { args: z.tuple([expireSilencesSchema]), result: z.object({ results: z.array(expireOutcomeSchema) }) },
} as const;

export const monitoringEvents = {} as const;

export type CreateSilenceInput = z.input<typeof createSilenceSchema>;

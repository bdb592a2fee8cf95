import { z } from 'zod';

/**
 * What fired and resolved over a range, derived from Prometheus's own `ALERTS` series
 * (electron/core/alert-history/): no storage of the console's. Times are Unix seconds, on the
 * grid of the query's step, so each is accurate within one step (`step`).
 */

export const firingPeriodSchema = z.object({
  /** The first sample seen firing: the alert started firing at most one step before it. */
  start: z.number(),
  /** One step after the last sample seen firing (it resolved at most one step before); null while it still fires at the range's end. */
  end: z.number().nullable(),
  /** From start to end, or to the range's end while it still fires. */
  durationSeconds: z.number().nonnegative(),
  /** It already fired at the range's first sample: the real start is earlier than `start`. */
  startedBeforeRange: z.boolean(),
});

export const alertHistoryEntrySchema = z.object({
  alertname: z.string(),
  severity: z.string().nullable(),
  /** The alert's labels, alertname and severity included: what Alertmanager knows it by, so a silence can match them. */
  labels: z.record(z.string(), z.string()),
  /** Oldest first. */
  periods: z.array(firingPeriodSchema),
  count: z.number().int().nonnegative(),
});

export const alertHistorySchema = z.object({
  /** The range actually sampled: the asked range aligned down to the step. */
  start: z.number(),
  end: z.number(),
  /** Seconds between samples: the evaluation interval, or coarser where the range would exceed Prometheus's points limit. */
  step: z.number().positive(),
  /** Seconds between rule evaluations; with a coarser step, a firing shorter than the step can fall between two samples. */
  evaluationSeconds: z.number().positive(),
  /** The series with the most recent period first. */
  entries: z.array(alertHistoryEntrySchema),
});

export type FiringPeriod = z.infer<typeof firingPeriodSchema>;
export type AlertHistoryEntry = z.infer<typeof alertHistoryEntrySchema>;
export type AlertHistory = z.infer<typeof alertHistorySchema>;

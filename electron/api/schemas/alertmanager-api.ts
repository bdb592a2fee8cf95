import { z } from 'zod';

/** What Alertmanager's HTTP API v2 answers and takes, as the console validates it (stack/alertmanager-client.ts). */

const labels = z.record(z.string(), z.string());

export const alertmanagerStatusSchema = z.object({
  cluster: z.object({ status: z.string() }).passthrough().optional(),
  config: z.object({ original: z.string() }),
  uptime: z.string(),
  versionInfo: z.object({ version: z.string() }).passthrough(),
});

export const gettableAlertSchema = z.object({
  labels,
  annotations: labels.default({}),
  startsAt: z.string(),
  endsAt: z.string(),
  updatedAt: z.string().optional(),
  fingerprint: z.string(),
  generatorURL: z.string().optional(),
  receivers: z.array(z.object({ name: z.string() })),
  status: z.object({
    state: z.enum(['unprocessed', 'active', 'suppressed']),
    silencedBy: z.array(z.string()),
    inhibitedBy: z.array(z.string()),
  }),
});

export const matcherSchema = z.object({
  name: z.string().min(1),
  value: z.string(),
  isRegex: z.boolean().default(false),
  isEqual: z.boolean().default(true),
});

export const gettableSilenceSchema = z.object({
  id: z.string(),
  matchers: z.array(matcherSchema),
  startsAt: z.string(),
  endsAt: z.string(),
  updatedAt: z.string().optional(),
  createdBy: z.string(),
  comment: z.string(),
  status: z.object({ state: z.enum(['expired', 'active', 'pending']) }),
});

/** What a caller posts: Alertmanager fills in the rest (endsAt missing = now + resolve_timeout). */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  generatorURL?: string;
}

export interface PostableSilence {
  matchers: z.input<typeof matcherSchema>[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

export type AlertmanagerStatus = z.infer<typeof alertmanagerStatusSchema>;
export type GettableAlert = z.infer<typeof gettableAlertSchema>;
export type GettableSilence = z.infer<typeof gettableSilenceSchema>;

import { z } from 'zod';

/** What the Prometheus HTTP API (v1) answers, as the console validates it (stack/prometheus-client.ts). */

const sampleValue = z.tuple([z.number(), z.string()]);
const vectorSample = z.object({ metric: z.record(z.string(), z.string()), value: sampleValue });
const matrixSeries = z.object({ metric: z.record(z.string(), z.string()), values: z.array(sampleValue) });

export const instantResultSchema = z.discriminatedUnion('resultType', [
  z.object({ resultType: z.literal('vector'), result: z.array(vectorSample) }),
  z.object({ resultType: z.literal('scalar'), result: sampleValue }),
  z.object({ resultType: z.literal('string'), result: sampleValue }),
  z.object({ resultType: z.literal('matrix'), result: z.array(matrixSeries) }),
]);
export const rangeResultSchema = z.object({ resultType: z.literal('matrix'), result: z.array(matrixSeries) });

const alertSchema = z.object({
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()),
  state: z.enum(['pending', 'firing', 'inactive']),
  activeAt: z.string().optional(),
  value: z.string(),
});

const ruleSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('alerting'),
    name: z.string(),
    query: z.string(),
    duration: z.number(),
    labels: z.record(z.string(), z.string()).default({}),
    annotations: z.record(z.string(), z.string()).default({}),
    alerts: z.array(alertSchema),
    health: z.string(),
    lastError: z.string().optional(),
    state: z.enum(['inactive', 'pending', 'firing']),
  }),
  z.object({ type: z.literal('recording'), name: z.string(), query: z.string(), health: z.string(), lastError: z.string().optional() }),
]);

export const rulesResultSchema = z.object({ groups: z.array(z.object({ name: z.string(), file: z.string(), rules: z.array(ruleSchema) })) });
export const alertsResultSchema = z.object({ alerts: z.array(alertSchema) });
export const targetsResultSchema = z.object({
  activeTargets: z.array(
    z.object({
      labels: z.record(z.string(), z.string()),
      scrapePool: z.string(),
      scrapeUrl: z.string(),
      health: z.enum(['up', 'down', 'unknown']),
      lastError: z.string(),
    }),
  ),
});

export const labelListSchema = z.array(z.string());
export const seriesListSchema = z.array(z.record(z.string(), z.string()));
export const metadataSchema = z.record(z.string(), z.array(z.object({ type: z.string(), help: z.string(), unit: z.string().default('') })));

export type InstantResult = z.infer<typeof instantResultSchema>;
export type RangeResult = z.infer<typeof rangeResultSchema>;
export type RulesResult = z.infer<typeof rulesResultSchema>;
export type PrometheusAlert = z.infer<typeof alertSchema>;
export type TargetsResult = z.infer<typeof targetsResultSchema>;
export type MetricMetadata = z.infer<typeof metadataSchema>;

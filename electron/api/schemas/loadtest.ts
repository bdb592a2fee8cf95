import { z } from 'zod';

/**
 * A load test of the console's own inference workers: the run spec a caller sends, the result a
 * run saves, and the progress it reports. The caps keep one run within what the rig and the
 * machine driving it can take, and bound its time.
 */

export const MAX_CONCURRENCY = 256;
export const MAX_RATE = 5000;
export const MAX_STEP_SECONDS = 300;
export const MAX_STEP_REQUESTS = 1_000_000;
export const MAX_WARMUP_SECONDS = 60;
export const MAX_STEPS = 10;
/** Every step's warm-up and duration together; a request-count step is cut at what is left of it. */
export const MAX_TOTAL_SECONDS = 900;

const whole = (what: string, min: number, max: number) =>
  z.number().int(`${what} must be a whole number`).min(min, `${what} must be at least ${min}`).max(max, `${what} must be at most ${max}`);

const stepList = <T extends z.ZodType>(item: T, what: string) =>
  z.array(item).min(1, `give at least one ${what}`).max(MAX_STEPS, `at most ${MAX_STEPS} steps`);

/** Values of one inline tensor: far beyond what a request body of the service's size limit holds. */
const MAX_TENSOR_VALUES = 1 << 22;

export const loadtestIdSchema = z.string().regex(/^[0-9]{8}-[0-9]{6}-[0-9a-f]{4}$/, 'not a load test id');

const tensorSchema = z
  .object({
    dims: z.array(z.number().int().min(0)).max(16),
    data: z.array(z.union([z.number(), z.string(), z.boolean()])).max(MAX_TENSOR_VALUES),
    type: z.string().optional(),
  })
  .strict();

/** Tensors by input name, as the service's /predict takes them: flat row-major data, `dims` [] for a scalar. */
export const loadtestTensorsSchema = z.record(z.string().min(1).max(256), tensorSchema);

/** What each request sends: the model's sample, tensors given here, or a file in the models folder. */
export const loadtestInputSchema = z.discriminatedUnion('kind', [
  /** A demo image for an image model (over JSON), else zeros of every input's shape with dynamic dims as 1. */
  z.object({ kind: z.literal('sample') }).strict(),
  z.object({ kind: z.literal('tensor'), inputs: loadtestTensorsSchema }).strict(),
  /** A PNG or JPEG, or a JSON file of tensors ({"inputs": {...}} or the inputs alone), relative to the models folder. */
  z.object({ kind: z.literal('file'), path: z.string().min(1).max(1024) }).strict(),
]);

const common = {
  model: z.string().min(1, 'name a loaded model').max(128),
  /** `all`: every running worker, connections spread round robin; or one worker's id from stack.status. */
  target: z.string().min(1).max(64).default('all'),
  /** Seconds per step; or `requests` per step instead. */
  duration: whole('duration', 1, MAX_STEP_SECONDS).optional(),
  requests: whole('requests', 1, MAX_STEP_REQUESTS).optional(),
  /** Seconds of the same load before each step, not measured. */
  warmup: whole('warmup', 0, MAX_WARMUP_SECONDS).default(2),
  input: loadtestInputSchema.default({ kind: 'sample' }),
  /** `json`: the service's POST /predict; `v2`: the Open Inference Protocol's /infer with binary tensors. */
  protocol: z.enum(['json', 'v2']).default('json'),
};

export const loadtestSpecSchema = z
  .discriminatedUnion('mode', [
    /** Closed model: a fixed number of connections, each sending its next request when answered. */
    z.object({ mode: z.literal('closed'), concurrency: stepList(whole('concurrency', 1, MAX_CONCURRENCY), 'concurrency'), ...common }).strict(),
    /** Open model: a fixed arrival rate in requests per second, whatever the answers take. */
    z.object({ mode: z.literal('open'), rate: stepList(whole('rate', 1, MAX_RATE), 'rate'), ...common }).strict(),
  ])
  .superRefine((spec, ctx) => {
    if (spec.duration !== undefined && spec.requests !== undefined) ctx.addIssue({ code: 'custom', path: ['requests'], message: 'give a duration or a request count per step, not both' });
    if (spec.duration === undefined && spec.requests === undefined) ctx.addIssue({ code: 'custom', path: ['duration'], message: 'give a duration (s) or a request count per step' });
    const loads = stepLoads(spec);
    const planned = loads.length * (spec.warmup + (spec.duration ?? 0));
    if (planned > MAX_TOTAL_SECONDS) {
      ctx.addIssue({ code: 'custom', path: ['duration'], message: `the run would take ${planned} s, beyond the cap of ${MAX_TOTAL_SECONDS} s: fewer or shorter steps` });
    }
    // Each connection sends at least one request: fewer requests than connections cannot be split.
    if (spec.mode === 'closed' && spec.requests !== undefined && Math.max(...loads) > spec.requests) {
      ctx.addIssue({ code: 'custom', path: ['requests'], message: `a step of concurrency ${Math.max(...loads)} needs at least as many requests` });
    }
  });

/** The load of each step: its concurrency (closed) or its rate (open). */
export function stepLoads(spec: { mode: 'closed'; concurrency: number[] } | { mode: 'open'; rate: number[] }): number[] {
  return spec.mode === 'closed' ? spec.concurrency : spec.rate;
}

export const latencyPercentilesSchema = z.object({ p50: z.number(), p90: z.number(), p99: z.number() });

/** Responses that were not 2xx, by status code; `timeout` and `connection` for requests no answer came to. */
export const errorCountsSchema = z.record(z.string(), z.number().int());

export const loadtestStepSchema = z.object({
  index: z.number().int(),
  /** The step's concurrency (closed) or rate in requests per second (open). */
  load: z.number().int(),
  durationS: z.number(),
  /** Every answer, whatever its status. */
  requests: z.number().int(),
  /** 2xx answers per second: what the workers delivered. */
  throughput: z.number(),
  /** Of 2xx answers only (a fast refusal is no latency); null when none came. */
  latencyMs: latencyPercentilesSchema.extend({ p95: z.number(), max: z.number(), mean: z.number() }).nullable(),
  errors: errorCountsSchema,
  /** Stopped before its duration or request count: cancelled, or at the total time cap. */
  cutShort: z.boolean(),
});

export const loadtestStatusSchema = z.enum(['running', 'completed', 'cancelled', 'failed']);

export const loadtestResultSchema = z.object({
  id: loadtestIdSchema,
  status: loadtestStatusSchema,
  /** Why a failed run failed, in a sentence. */
  error: z.string().nullable(),
  spec: loadtestSpecSchema,
  targets: z.array(z.object({ id: z.string(), url: z.string() })),
  /** What each request was: its path and body size. */
  request: z.object({ path: z.string(), bytes: z.number().int() }),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  steps: z.array(loadtestStepSchema),
  /** Index of the last step before p95 latency grows faster than throughput; null where it never does. */
  knee: z.number().int().nullable(),
});

export const loadtestSummarySchema = z.object({
  id: loadtestIdSchema,
  status: loadtestStatusSchema,
  model: z.string(),
  mode: z.enum(['closed', 'open']),
  target: z.string(),
  startedAt: z.string(),
  steps: z.number().int(),
  knee: z.number().int().nullable(),
  /** The highest step throughput, req/s. */
  peakThroughput: z.number(),
});

const delta = z.object({ run: z.number().nullable(), baseline: z.number().nullable(), deltaPct: z.number().nullable() });

export const loadtestComparisonSchema = z.object({
  baselineId: loadtestIdSchema,
  /** A step regresses when throughput drops by more than this share, or p95 rises by more (and by at least `p95MinRiseMs`). */
  thresholds: z.object({ throughputDropPct: z.number(), p95RisePct: z.number(), p95MinRiseMs: z.number() }),
  /** Each step of the run beside the baseline's step of the same load (null where it has none). */
  steps: z.array(z.object({ load: z.number().int(), throughput: delta, p95Ms: delta, regression: z.boolean() })),
  regression: z.boolean(),
});

export const loadtestProgressSchema = z.object({
  id: loadtestIdSchema,
  status: loadtestStatusSchema,
  step: z.number().int(),
  steps: z.number().int(),
  phase: z.enum(['warmup', 'measure']),
  load: z.number().int(),
  elapsedS: z.number(),
  requests: z.number().int(),
  throughput: z.number(),
  latencyMs: latencyPercentilesSchema.nullable(),
  errors: errorCountsSchema,
});

export type LoadtestSpecInput = z.input<typeof loadtestSpecSchema>;
export type LoadtestSpec = z.output<typeof loadtestSpecSchema>;
export type LoadtestStep = z.output<typeof loadtestStepSchema>;
export type LoadtestResult = z.output<typeof loadtestResultSchema>;
export type LoadtestSummary = z.output<typeof loadtestSummarySchema>;
export type LoadtestComparison = z.output<typeof loadtestComparisonSchema>;
export type LoadtestProgress = z.output<typeof loadtestProgressSchema>;

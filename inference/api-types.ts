import { z } from 'zod';
import { imageInputSchema } from './model-sidecar';

/**
 * The inference service's HTTP API as zod schemas: the one definition from which the server's
 * JSON-schema validation and OpenAPI document (api-schemas.ts), the typed client and the
 * console's contract all derive. Field names follow the seed's FastAPI server.
 */

export const PROVIDER_NAMES = ['webgpu', 'dml', 'cpu'] as const;

/** The service's health route: its readiness for the console, Docker's healthcheck and the client. */
export const HEALTH_PATH = '/health';

export const modelNameSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash or underscore, starting with a letter or digit');

export const errorBodySchema = z.object({
  detail: z.string().describe('What went wrong, written for a person.'),
  error_code: z.string().describe('Stable code for programs, e.g. MODEL_NOT_FOUND.'),
  timestamp: z.string(),
  runtime_detail: z.string().optional().describe("onnxruntime's own message, where it refused a model or a run: for bug reports; detail says what to change."),
});

/** A dimension the model leaves dynamic, as the Open Inference Protocol writes it. */
export const DYNAMIC_DIM = -1;

const shapeSchema = z.array(z.number().int().min(DYNAMIC_DIM)).describe('Size of each dim; -1 where the model leaves it dynamic.');
export const tensorInfoSchema = z.object({
  name: z.string(),
  type: z.string(),
  shape: shapeSchema,
  dim_names: z.array(z.string().nullable()).describe("Beside shape, per dim: the model's symbolic name of a dynamic dim (e.g. batch), else null."),
});

/** A shape as people read it: `[batch, 1, 28, 28]`, `?` for a dynamic dim the model does not name. */
export function shapeText(shape: readonly number[], dimNames: readonly (string | null)[]): string {
  return `[${shape.map((d, i) => (d === DYNAMIC_DIM ? (dimNames[i] ?? '?') : String(d))).join(', ')}]`;
}
export const providerRefusalSchema = z.object({ provider: z.string(), reason: z.string() });

export const batchingInfoSchema = z.object({
  enabled: z.boolean(),
  max_batch_size: z.number().int().describe('Rows (dim 0, summed over requests) joined into one run; 1 when off.'),
  max_queue_delay_ms: z.number().describe('Longest a request waits for others to fill its batch; 0 when off.'),
  max_concurrent_runs: z.number().int().describe('Runs of the model at once, batched or not; further requests wait their turn.'),
  note: z.string().optional().describe("Why the service's batching setting does not apply to this model."),
});

export const modelInfoSchema = z.object({
  name: z.string(),
  framework: z.literal('onnx'),
  path: z.string().describe('File, relative to the models directory.'),
  memory_mb: z.number().describe('Size of the model file.'),
  device: z.string().describe('Execution provider the model runs on (cpu, webgpu, dml).'),
  provider: z.string(),
  refused_providers: z.array(providerRefusalSchema).describe('Providers tried first, and why each was refused.'),
  note: z.string().optional().describe('Where the model runs instead of the provider tried first, and why.'),
  vram_used_mb: z
    .number()
    .nullable()
    .describe("VRAM the load took: amdgpu's used VRAM after it minus before (other loads at the same moment count too); null on cpu or without amdgpu readings."),
  loaded_at: z.string(),
  input_shapes: z.record(z.string(), shapeSchema),
  output_shapes: z.record(z.string(), shapeSchema),
  inputs: z.array(tensorInfoSchema),
  outputs: z.array(tensorInfoSchema),
  inference_count: z.number().int(),
  batching: batchingInfoSchema.describe("The batching in effect: the service's maxBatchSize and maxQueueDelayMs, or the sidecar's max_batch_size and max_queue_delay_ms."),
  description: z.string().optional(),
  labels: z.array(z.string()).optional(),
  image: imageInputSchema.nullable(),
});

export const modelListSchema = z.object({ models: z.array(modelInfoSchema), total: z.number().int() });

export const modelFilesSchema = z.object({
  models_dir: z.string(),
  files: z.array(z.object({ name: z.string(), path: z.string(), size_bytes: z.number().int(), has_sidecar: z.boolean(), loaded: z.boolean() })),
});

export const gpuReadingSchema = z.object({
  card: z.string(),
  vram_used_bytes: z.number().optional(),
  vram_total_bytes: z.number().optional(),
  busy_percent: z.number().optional(),
  temperature_celsius: z.number().optional(),
  power_watts: z.number().optional(),
});

export const healthSchema = z.object({
  status: z.enum(['healthy', 'degraded', 'unhealthy']),
  version: z.string(),
  models_loaded: z.number().int(),
  memory: z.object({ used_mb: z.number(), available_mb: z.number(), total_mb: z.number() }),
  uptime_seconds: z.number(),
  timestamp: z.string(),
  providers: z.object({ order: z.array(z.string()), refused: z.array(providerRefusalSchema) }),
  models: z.array(z.object({ name: z.string(), provider: z.string(), refused_providers: z.array(providerRefusalSchema) })),
  gpu: z.array(gpuReadingSchema),
});

export const loadRequestSchema = z
  .object({
    path: z.string().min(1).max(1024).describe('File in the models directory (relative, or absolute inside it).'),
    model_name: modelNameSchema.optional(),
    // The seed's clients send `cuda`: accepted, and refused with a sentence that says what to use instead.
    device: z
      .enum(['auto', ...PROVIDER_NAMES, 'cuda'])
      .default('auto')
      .describe('auto tries the configured provider order and falls back to cpu; a provider named here that this machine cannot run is refused (409).'),
    optimization_level: z.number().int().min(0).max(2).default(2),
    force: z.boolean().default(false).describe('Load on a GPU provider even where the VRAM estimate says the model will not fit (otherwise 507).'),
  })
  .strict();

export const unloadResultSchema = z.object({ model_name: z.string(), unloaded: z.boolean() });

export const tensorJsonSchema = z.object({
  dims: z.array(z.number().int().min(0)).describe('[] for a scalar.'),
  data: z.array(z.union([z.number(), z.string(), z.boolean()])).describe('Flat, row-major. int64/uint64 beyond 2^53 as decimal strings; bool as true/false.'),
  type: z.string().optional(),
});

export const predictRequestSchema = z
  .object({
    model_name: modelNameSchema,
    inputs: z
      .union([z.record(z.string(), z.unknown()), z.array(z.unknown()).min(1)])
      .describe('Per input name: {dims, data}, a nested array or a single value (a scalar), or a base64 PNG/JPEG (key "image"). A bare nested array feeds the only input.'),
    top_k: z.number().int().min(1).max(100).default(5),
    return_metadata: z.boolean().default(false),
    outputs: z.array(z.string().min(1)).min(1).optional().describe('Only these outputs, by name; every output when left out.'),
  })
  .strict();

export const predictQuerySchema = z
  .object({
    model_name: modelNameSchema.optional(),
    top_k: z.number().int().min(1).max(100).optional(),
    /** Shape of a raw tensor body, e.g. `1,1,28,28`; empty (`dims=`) for a scalar. */
    dims: z.string().max(320).regex(/^(\d{1,9}(,\d{1,9})*)?$/, 'dims must be numbers separated by commas, like 1,1,28,28').optional(),
    /** Which input a raw tensor body feeds, where the model has more than one. */
    input: z.string().min(1).max(256).optional(),
    /** Only these outputs, comma-separated. */
    outputs: z.string().min(1).max(4096).optional(),
  })
  .strict();

export const outputTensorSchema = z.object({
  dims: z.array(z.number().int()),
  type: z.string(),
  data: z
    .union([z.array(z.number()), z.array(z.string()), z.array(z.boolean())])
    .describe('Numbers; strings for string outputs, and for int64/uint64 outputs holding a value beyond 2^53 (then every value, in decimal); true/false for bool.'),
});
export const labelScoreSchema = z.object({ label: z.string(), index: z.number().int(), score: z.number() });

export const predictResultSchema = z.object({
  model_name: z.string(),
  outputs: z.record(z.string(), outputTensorSchema),
  predictions: z.array(z.array(labelScoreSchema)).optional().describe('Per batch row, the top-k labels with scores (classifiers only).'),
  latency_ms: z.number().describe('Time in the service: decoding, preprocessing and inference.'),
  inference_ms: z.number().describe('Time onnxruntime ran the model.'),
  provider: z.string(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});

export const serviceInfoSchema = z.object({ name: z.string(), version: z.string(), docs: z.string() });

export type ModelInfo = z.infer<typeof modelInfoSchema>;
export type ModelList = z.infer<typeof modelListSchema>;
export type ModelFiles = z.infer<typeof modelFilesSchema>;
export type Health = z.infer<typeof healthSchema>;
export type LoadRequest = z.input<typeof loadRequestSchema>;
export type PredictRequest = z.input<typeof predictRequestSchema>;
export type PredictResult = z.infer<typeof predictResultSchema>;
export type ErrorBody = z.infer<typeof errorBodySchema>;

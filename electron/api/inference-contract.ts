import { z } from 'zod';
import {
  healthSchema,
  modelFilesSchema,
  modelInfoSchema,
  modelListSchema,
  modelNameSchema,
  predictRequestSchema,
  predictResultSchema,
  unloadResultSchema,
  loadRequestSchema,
  type tensorInfoSchema,
  type tensorJsonSchema,
} from '../../inference/api-types';

/** Every execution provider the service knows, in its order (the Settings form offers these). */
export { PROVIDER_NAMES } from '../../inference/api-types';
/** How the renderer writes and reads a model's shapes, as the service reports them. */
export { DYNAMIC_DIM, shapeText } from '../../inference/api-types';

/** A model input or output as the service describes it: element type, shape (-1 dynamic) and dim names. */
export type TensorInfo = z.infer<typeof tensorInfoSchema>;
/** One input tensor as the service takes it: flat row-major data, `dims` [] for a scalar. */
export type TensorJson = z.infer<typeof tensorJsonSchema>;

/**
 * The inference service's part of the API contract. The main process calls the service (on
 * 127.0.0.1 at settings.inference.port) through the typed client; the renderer never does.
 */

/** What the Predictions page sends: an image (base64 PNG/JPEG) or tensors as JSON, and the outputs to answer. */
export const predictRunSchema = z
  .object({
    model_name: modelNameSchema,
    input: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('image'), base64: z.string().min(1) }).strict(),
      z.object({ kind: z.literal('tensor'), inputs: predictRequestSchema.shape.inputs }).strict(),
    ]),
    top_k: z.number().int().min(1).max(100).default(5),
    outputs: predictRequestSchema.shape.outputs,
  })
  .strict();

export type PredictRun = z.input<typeof predictRunSchema>;

/** Whether the service answers, and its health when it does: not running is a state, not an error. */
export const inferenceStatusSchema = z.object({
  url: z.string(),
  reachable: z.boolean(),
  message: z.string().nullable(),
  health: healthSchema.nullable(),
});

export const inferenceMethods = {
  'inference.health': { args: z.tuple([]), result: inferenceStatusSchema },
  'models.list': { args: z.tuple([]), result: modelListSchema },
  'models.available': { args: z.tuple([]), result: modelFilesSchema },
  'models.load': { args: z.tuple([loadRequestSchema]), result: modelInfoSchema },
  'models.unload': { args: z.tuple([modelNameSchema]), result: unloadResultSchema },
  'predict.run': { args: z.tuple([predictRunSchema]), result: predictResultSchema },
} as const;

export const inferenceEvents = {} as const;

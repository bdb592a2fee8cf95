import { z } from 'zod';

/** The one other unit mean and std may be given in: 0..255 pixel values. */
export const PIXEL_SCALE = 255;

/**
 * Mean and std apply to pixels scaled to 0..1. Values above 1 are almost always the 0..255 figures
 * model cards print (123.675 for ImageNet's red mean): used as they are, they silently ruin every
 * prediction, so they are refused unless the sidecar says so with `scale: 255`.
 */
function checkPixelUnits(spec: { mean: number[]; std: number[]; scale?: number }, ctx: z.RefinementCtx): void {
  const limit = spec.scale ?? 1;
  for (const key of ['mean', 'std'] as const) {
    const values = spec[key];
    if (!values.some((v) => v > limit)) continue;
    const message =
      spec.scale === undefined
        ? `[${values.join(', ')}] is above 1, but mean and std apply to pixels scaled to 0..1; divide them by ${PIXEL_SCALE}, or declare "scale": ${PIXEL_SCALE} to have the service do it`
        : `[${values.join(', ')}] is above ${PIXEL_SCALE}, beyond the 0..${PIXEL_SCALE} pixel values that "scale": ${PIXEL_SCALE} declares`;
    ctx.addIssue({ code: 'custom', path: [key], message });
  }
}

/**
 * The optional JSON beside a model (`digits.onnx` -> `digits.json`): how to turn an image into
 * its input tensor and what its output classes are called. Without one, a model takes raw
 * tensors and answers raw tensors.
 */
export const imageInputSchema = z
  .object({
    width: z.number().int().min(1).max(4096),
    height: z.number().int().min(1).max(4096),
    channels: z.union([z.literal(1), z.literal(3)]).default(3),
    layout: z.enum(['NCHW', 'NHWC']).default('NCHW'),
    mean: z
      .array(z.number())
      .min(1)
      .max(3)
      .default([0])
      .describe('Per channel, subtracted from pixels scaled to 0..1: (x - mean) / std. Values above 1 are refused unless scale is 255.'),
    std: z.array(z.number().positive()).min(1).max(3).default([1]).describe('Per channel, in the units of mean.'),
    scale: z
      .literal(PIXEL_SCALE)
      .optional()
      .describe('255: mean and std are given in 0..255 pixel values, as model cards often print them; the service divides them by 255 at load, and reports them divided.'),
  })
  .strict()
  .superRefine(checkPixelUnits);

/** Rows (dim 0, summed over the requests joined) in one run of a model; 1 is no batching. */
export const maxBatchSizeSchema = z.number().int().min(1).max(1024);
/** How long the oldest request of a batch waits for others to join it, in milliseconds. */
export const maxQueueDelayMsSchema = z.number().min(0).max(1000);
/** session.run calls of one model at once (Triton's instance count); the rest wait their turn. */
export const maxConcurrentRunsSchema = z.number().int().min(1).max(64);

export const modelSidecarSchema = z
  .object({
    description: z.string().max(500).optional(),
    /** Name of the input an image feeds; the model's first input when left out. */
    input: z.string().optional(),
    image: imageInputSchema.optional(),
    /** Output class names, in the order of the first output's last dimension. */
    labels: z.array(z.string()).min(1).optional(),
    /** This model's batching, over the service's maxBatchSize (1 turns it off for this model). */
    max_batch_size: maxBatchSizeSchema.optional(),
    /** This model's wait for a batch to fill, over the service's maxQueueDelayMs. */
    max_queue_delay_ms: maxQueueDelayMsSchema.optional(),
    /** This model's runs at once, over the service's maxConcurrentRuns. */
    max_concurrent_runs: maxConcurrentRunsSchema.optional(),
  })
  .strict();

export type ImageInputSpec = z.infer<typeof imageInputSchema>;
export type ModelSidecar = z.infer<typeof modelSidecarSchema>;
export type ModelSidecarInput = z.input<typeof modelSidecarSchema>;

export function sidecarPathFor(modelPath: string): string {
  return modelPath.replace(/\.onnx$/i, '.json');
}

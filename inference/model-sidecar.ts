import { z } from 'zod';

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
    /** Per channel, applied after scaling pixels to 0..1: (x - mean) / std. */
    mean: z.array(z.number()).min(1).max(3).default([0]),
    std: z.array(z.number().positive()).min(1).max(3).default([1]),
  })
  .strict();

export const modelSidecarSchema = z
  .object({
    description: z.string().max(500).optional(),
    /** Name of the input an image feeds; the model's first input when left out. */
    input: z.string().optional(),
    image: imageInputSchema.optional(),
    /** Output class names, in the order of the first output's last dimension. */
    labels: z.array(z.string()).min(1).optional(),
  })
  .strict();

export type ImageInputSpec = z.infer<typeof imageInputSchema>;
export type ModelSidecar = z.infer<typeof modelSidecarSchema>;
export type ModelSidecarInput = z.input<typeof modelSidecarSchema>;

export function sidecarPathFor(modelPath: string): string {
  return modelPath.replace(/\.onnx$/i, '.json');
}

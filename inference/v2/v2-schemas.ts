import { z } from 'zod';

/**
 * The Open Inference Protocol's (KServe v2) REST objects, as its specification writes them
 * (`specification/protocol/inference_rest.md` of kserve/open-inference-protocol), with the binary
 * tensor data extension's parameters. Field names are the protocol's.
 */

const parameters = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

/** Nested lists, or a flat list in row-major order: both are the protocol's $tensor_data. */
const tensorData = z.array(z.unknown());

export const requestInputSchema = z.object({
  name: z.string().min(1),
  /** Each dimension an integer representable as an unsigned 64-bit value. */
  shape: z.array(z.number().int().min(0)),
  datatype: z.string().min(1),
  parameters: parameters.optional(),
  /** Left out when the tensor comes as binary data (`parameters.binary_data_size`). */
  data: tensorData.optional(),
});

export const requestOutputSchema = z.object({
  name: z.string().min(1),
  parameters: parameters.optional(),
});

export const inferenceRequestSchema = z.object({
  id: z.string().optional(),
  parameters: parameters.optional(),
  inputs: z.array(requestInputSchema).min(1),
  outputs: z.array(requestOutputSchema).optional(),
});

export type InferenceRequest = z.output<typeof inferenceRequestSchema>;
export type RequestInput = z.output<typeof requestInputSchema>;

export interface ResponseOutput {
  name: string;
  shape: number[];
  datatype: string;
  parameters?: { binary_data_size: number };
  data?: unknown[];
}

export interface InferenceResponse {
  model_name: string;
  id?: string;
  outputs: ResponseOutput[];
}

export interface MetadataTensor {
  name: string;
  datatype: string;
  /** Variable-size dimensions are -1. */
  shape: number[];
}

export interface ModelMetadataResponse {
  name: string;
  platform: string;
  inputs: MetadataTensor[];
  outputs: MetadataTensor[];
}

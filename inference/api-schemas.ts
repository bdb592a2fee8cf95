import { z } from 'zod';
import {
  errorBodySchema,
  healthSchema,
  loadRequestSchema,
  modelFilesSchema,
  modelInfoSchema,
  modelListSchema,
  modelNameSchema,
  predictQuerySchema,
  predictRequestSchema,
  predictResultSchema,
  serviceInfoSchema,
  unloadResultSchema,
} from './api-types';

/**
 * Fastify route schemas, derived from the zod definitions in api-types.ts: fastify validates
 * requests with them, serialises answers with them, and @fastify/swagger turns them into the
 * OpenAPI document at /openapi.json.
 */

const json = (schema: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { target: 'draft-7', io }) as Record<string, unknown>;
  return rest;
};
const request = (schema: z.ZodType) => json(schema, 'input');
const answer = (schema: z.ZodType) => json(schema, 'output');

const error = answer(errorBodySchema);
const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, error]));
const nameParams = request(z.object({ name: modelNameSchema }));

export const routeSchemas = {
  root: { summary: 'Service info', response: { 200: answer(serviceInfoSchema) } },
  health: {
    summary: 'Health, memory, uptime, GPU readings, and per model the execution provider and why GPU providers were refused',
    response: { 200: answer(healthSchema) },
  },
  listModels: { summary: 'Loaded models', response: { 200: answer(modelListSchema) } },
  modelFiles: {
    summary: 'The .onnx files in the models directory, loadable with POST /models/load',
    response: { 200: answer(modelFilesSchema), ...errors(500) },
  },
  getModel: { summary: 'One loaded model', params: nameParams, response: { 200: answer(modelInfoSchema), ...errors(400, 404) } },
  loadModel: {
    summary: 'Load a model from the models directory',
    body: request(loadRequestSchema),
    response: { 201: answer(modelInfoSchema), ...errors(400, 403, 404, 409, 422, 507) },
  },
  unloadModel: {
    summary: 'Unload a model (waits for its running predictions)',
    params: nameParams,
    response: { 200: answer(unloadResultSchema), ...errors(400, 404) },
  },
  predict: {
    summary: 'Run a model on a tensor (JSON, or raw little-endian bytes with ?model_name=&dims=) or an image (base64 in JSON, or PNG/JPEG bytes with ?model_name=)',
    querystring: request(predictQuerySchema),
    body: {
      content: {
        'application/json': { schema: request(predictRequestSchema) },
        'image/png': { schema: {} },
        'image/jpeg': { schema: {} },
        'application/octet-stream': { schema: {} },
      },
    },
    response: { 200: answer(predictResultSchema), ...errors(400, 404, 413, 415, 503) },
  },
};

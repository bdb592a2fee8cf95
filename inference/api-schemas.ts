/**
 * JSON schemas of the service's HTTP API: fastify validates requests against them and
 * @fastify/swagger turns them into the OpenAPI document at /openapi.json. Field names follow
 * the seed's FastAPI server so its users' scripts keep working.
 */

export const errorSchema = {
  $id: 'Error',
  type: 'object',
  required: ['detail', 'error_code', 'timestamp'],
  properties: {
    detail: { type: 'string', description: 'What went wrong, written for a person.' },
    error_code: { type: 'string', description: 'Stable code for programs, e.g. MODEL_NOT_FOUND.' },
    timestamp: { type: 'string', format: 'date-time' },
  },
} as const;

const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, { $ref: 'Error#' }]));

const shape = { type: 'array', items: { anyOf: [{ type: 'integer' }, { type: 'string' }] } } as const;
const tensorInfo = {
  type: 'object',
  properties: { name: { type: 'string' }, type: { type: 'string' }, shape },
} as const;
const refusal = {
  type: 'object',
  properties: { provider: { type: 'string' }, reason: { type: 'string' } },
} as const;

export const modelSchema = {
  $id: 'Model',
  type: 'object',
  properties: {
    name: { type: 'string' },
    framework: { type: 'string', enum: ['onnx'] },
    path: { type: 'string', description: 'File, relative to the models directory.' },
    memory_mb: { type: 'number', description: 'Size of the model file.' },
    device: { type: 'string', description: 'Execution provider the model runs on (cpu, webgpu, dml).' },
    provider: { type: 'string' },
    refused_providers: { type: 'array', items: refusal, description: 'Providers tried first, and why each was refused.' },
    loaded_at: { type: 'string', format: 'date-time' },
    input_shapes: { type: 'object', additionalProperties: shape },
    output_shapes: { type: 'object', additionalProperties: shape },
    inputs: { type: 'array', items: tensorInfo },
    outputs: { type: 'array', items: tensorInfo },
    inference_count: { type: 'integer' },
    description: { type: 'string' },
    labels: { type: 'array', items: { type: 'string' } },
    image: {
      type: 'object',
      nullable: true,
      properties: {
        width: { type: 'integer' },
        height: { type: 'integer' },
        channels: { type: 'integer' },
        layout: { type: 'string' },
        mean: { type: 'array', items: { type: 'number' } },
        std: { type: 'array', items: { type: 'number' } },
      },
    },
  },
} as const;

const modelName = { type: 'string', minLength: 1, maxLength: 128 } as const;
const nameParams = { type: 'object', required: ['name'], properties: { name: modelName } } as const;

export const routeSchemas = {
  root: {
    summary: 'Service info',
    response: { 200: { type: 'object', properties: { name: { type: 'string' }, version: { type: 'string' }, docs: { type: 'string' } } } },
  },
  health: {
    summary: 'Health, memory, uptime, and per model the execution provider and why GPU providers were refused',
    response: {
      200: {
        type: 'object',
        properties: {
          status: { type: 'string', enum: ['healthy', 'degraded', 'unhealthy'] },
          version: { type: 'string' },
          models_loaded: { type: 'integer' },
          memory: { type: 'object', properties: { used_mb: { type: 'number' }, available_mb: { type: 'number' }, total_mb: { type: 'number' } } },
          uptime_seconds: { type: 'number' },
          timestamp: { type: 'string', format: 'date-time' },
          providers: {
            type: 'object',
            properties: { order: { type: 'array', items: { type: 'string' } }, refused: { type: 'array', items: refusal } },
          },
          models: {
            type: 'array',
            items: { type: 'object', properties: { name: { type: 'string' }, provider: { type: 'string' }, refused_providers: { type: 'array', items: refusal } } },
          },
          gpu: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                card: { type: 'string' },
                vram_used_bytes: { type: 'number' },
                vram_total_bytes: { type: 'number' },
                busy_percent: { type: 'number' },
                temperature_celsius: { type: 'number' },
                power_watts: { type: 'number' },
              },
            },
          },
        },
      },
    },
  },
  listModels: {
    summary: 'Loaded models',
    response: { 200: { type: 'object', properties: { models: { type: 'array', items: { $ref: 'Model#' } }, total: { type: 'integer' } } } },
  },
  modelFiles: {
    summary: 'The .onnx files in the models directory, loadable with POST /models/load',
    response: {
      200: {
        type: 'object',
        properties: {
          models_dir: { type: 'string' },
          files: {
            type: 'array',
            items: {
              type: 'object',
              properties: { name: { type: 'string' }, path: { type: 'string' }, size_bytes: { type: 'integer' }, has_sidecar: { type: 'boolean' }, loaded: { type: 'boolean' } },
            },
          },
        },
      },
      ...errors(500),
    },
  },
  getModel: { summary: 'One loaded model', params: nameParams, response: { 200: { $ref: 'Model#' }, ...errors(400, 404) } },
  loadModel: {
    summary: 'Load a model from the models directory',
    body: {
      type: 'object',
      required: ['path'],
      additionalProperties: false,
      properties: {
        path: { type: 'string', minLength: 1, maxLength: 1024, description: 'File in the models directory (relative, or absolute inside it).' },
        model_name: modelName,
        device: { type: 'string', enum: ['auto', 'cpu', 'webgpu', 'dml', 'cuda'], default: 'auto', description: 'auto tries the configured provider order.' },
        optimization_level: { type: 'integer', minimum: 0, maximum: 2, default: 2 },
      },
    },
    response: { 201: { $ref: 'Model#' }, ...errors(400, 403, 404, 409, 422) },
  },
  unloadModel: {
    summary: 'Unload a model (waits for its running predictions)',
    params: nameParams,
    response: { 200: { type: 'object', properties: { model_name: { type: 'string' }, unloaded: { type: 'boolean' } } }, ...errors(400, 404) },
  },
  predict: {
    summary: 'Run a model on a tensor (JSON) or an image (base64 in JSON, or PNG/JPEG bytes with ?model_name=)',
    querystring: {
      type: 'object',
      additionalProperties: false,
      properties: { model_name: modelName, top_k: { type: 'integer', minimum: 1, maximum: 100 } },
    },
    body: {
      content: {
        'application/json': {
          schema: {
            type: 'object',
            required: ['model_name', 'inputs'],
            additionalProperties: false,
            properties: {
              model_name: modelName,
              inputs: {
                anyOf: [{ type: 'object', minProperties: 1 }, { type: 'array', minItems: 1 }],
                description: 'Per input name: {dims, data} or a nested array, or a base64 PNG/JPEG (key "image"). A bare nested array feeds the only input.',
              },
              top_k: { type: 'integer', minimum: 1, maximum: 100, default: 5 },
              return_metadata: { type: 'boolean', default: false },
            },
          },
        },
        'image/png': { schema: {} },
        'image/jpeg': { schema: {} },
      },
    },
    response: {
      200: {
        type: 'object',
        properties: {
          model_name: { type: 'string' },
          outputs: {
            type: 'object',
            additionalProperties: {
              type: 'object',
              properties: { dims: { type: 'array', items: { type: 'integer' } }, type: { type: 'string' }, data: { type: 'array', items: { type: 'number' } } },
            },
          },
          predictions: {
            type: 'array',
            description: 'Per batch row, the top-k labels with scores (classifiers only).',
            items: {
              type: 'array',
              items: { type: 'object', properties: { label: { type: 'string' }, index: { type: 'integer' }, score: { type: 'number' } } },
            },
          },
          latency_ms: { type: 'number' },
          inference_ms: { type: 'number' },
          provider: { type: 'string' },
          metadata: { type: 'object', additionalProperties: true },
        },
      },
      ...errors(400, 404, 413, 415, 503),
    },
  },
} as const;

import swagger from '@fastify/swagger';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { freemem, totalmem } from 'node:os';
import { SERVICE_VERSION } from './service-version';
import type { z } from 'zod';
import { routeSchemas } from './api-schemas';
import { HEALTH_PATH, type loadRequestSchema, type predictQuerySchema, type predictRequestSchema } from './api-types';
import type { ProviderName } from './execution-providers';
import { AmdGpuTelemetry } from './gpu-telemetry';
import { accessHook, type ApiAccess } from './api-access';
import { errorBody, InferenceError, stripAnsi } from './inference-errors';
import { InferenceMetrics, UNMATCHED_ENDPOINT } from './metrics';
import { modelJson } from './model-json';
import { ModelRegistry } from './model-registry';
import { ModelRunner } from './model-runner';
import type { BatchingSettings } from './service-settings';
import { VramGuard } from './vram-guard';
import { isV2Url, V2_PREFIX, type V2ErrorBody } from './v2/v2-error';
import { openInferenceRoutes } from './v2/v2-routes';
import { listAvailableModels } from './models-dir';
import { buildFeeds, outputsToJson, rawTensorFeeds, selectOutputs, topK, type PredictInputs } from './predict-io';
import { basename } from 'node:path';

export interface InferenceAppOptions {
  modelsDir: string;
  providers: readonly ProviderName[];
  /** Predictions running at once; one more is answered 503 with Retry-After. */
  maxConcurrent: number;
  /** Largest request body, in bytes (413 beyond). */
  bodyLimit: number;
  /** Batching for models whose sidecar sets none; off when left out. */
  batching?: Partial<BatchingSettings>;
  /** Root of sysfs, for the AMD GPU telemetry (tests point it at fixture trees). */
  sysRoot?: string;
  /** Where lines about loads, unloads and internal errors go (stdout by default). */
  log?: (line: string) => void;
  /** API keys, rate limit and TLS (loadApiAccess); an open HTTP API when left out. */
  access?: ApiAccess;
}

export interface InferenceApp {
  app: FastifyInstance;
  registry: ModelRegistry;
  metrics: InferenceMetrics;
  gpu: AmdGpuTelemetry;
}

/** Fastify's `/models/:name` as the seed's and OpenAPI's `/models/{name}`. */
export const routeTemplate = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/** auto: the configured order, cpu last (undefined); a named provider: that one alone, no fallback. */
function providerOrderFor(device: string): readonly ProviderName[] | undefined {
  if (device === 'auto') return undefined;
  if (device === 'cuda') throw new InferenceError('PROVIDER_UNAVAILABLE', 'CUDA is not available in this service (an RX 580 is reached through webgpu); use "auto".', 400);
  return [device as ProviderName];
}

const GRAPH_OPTIMIZATION = ['disabled', 'basic', 'all'] as const;

/** The inference service's HTTP API, built but not listening (tests use inject or listen on 127.0.0.1). */
export async function createInferenceApp(options: InferenceAppOptions): Promise<InferenceApp> {
  const gpu = new AmdGpuTelemetry(options.sysRoot);
  const metrics = new InferenceMetrics(gpu);
  const write = options.log ?? ((line: string) => process.stdout.write(`inference: ${line}\n`));
  // Model files and onnxruntime's messages end up in lines: no terminal colours in a log file.
  const log = (line: string) => write(stripAnsi(line));
  const registry = new ModelRegistry(
    options.modelsDir,
    options.providers,
    {
      onLoaded: (model) => {
        metrics.modelsLoaded.inc({ status: 'success' });
        log(`loaded ${model.name} (${basename(model.file)}) on ${model.provider}${model.refused.map((r) => `; ${r.provider} refused: ${r.reason}`).join('')}`);
      },
      onLoadFailed: (request, err) => {
        metrics.modelsLoaded.inc({ status: 'failed' });
        log(`could not load ${request.path}: ${(err as Error).message}`);
      },
    },
    { vram: new VramGuard(gpu), batching: options.batching },
  );
  const startedAt = Date.now();
  const runner = new ModelRunner(metrics, options.maxConcurrent);

  const app = Fastify({
    logger: false,
    https: options.access?.tls ?? null,
    bodyLimit: options.bodyLimit,
    // Unknown fields are an error, not silently dropped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
    return503OnClosing: true,
    routerOptions: { maxParamLength: 200 },
    // Bad URLs and overlong path parameters are refused by the router itself: same JSON errors.
    frameworkErrors: (err, request, reply) => {
      const status = err.statusCode ?? 400;
      // These come before routing, so the /v2 plugin's error handler never sees them.
      const body = isV2Url(request.url) ? ({ error: err.message } satisfies V2ErrorBody) : errorBody(status === 414 ? 'URI_TOO_LONG' : 'BAD_URL', err.message);
      void (reply as unknown as FastifyReply).code(status).send(body);
    },
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'RX580 Ops inference service', version: SERVICE_VERSION, description: 'ONNX models on onnxruntime-node; the seed FastAPI server\'s paths and fields.' },
    },
  });

  // JSON, PNG/JPEG bytes and raw tensor bytes only: anything else is a 415, not a string handed to a handler.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));
  app.addContentTypeParser(['image/png', 'image/jpeg', 'application/octet-stream'], { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.addHook('onResponse', async (request, reply) => {
    const url = request.routeOptions.url;
    const endpoint = url && !reply.request.is404 ? routeTemplate(url) : UNMATCHED_ENDPOINT;
    const method = request.method;
    metrics.apiRequests.inc({ endpoint, method, status: String(reply.statusCode) });
    metrics.apiDuration.observe({ endpoint, method }, reply.elapsedTime / 1000);
  });
  metrics.watchConnections(app.server);
  // Before every route and the 404 handler: an unauthenticated caller learns nothing of the API.
  const guard = options.access && accessHook(options.access, metrics);
  if (guard) app.addHook('onRequest', guard);

  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send(errorBody('NOT_FOUND', `There is no ${request.method} ${request.url.split('?')[0]} in this API; see /openapi.json.`));
  });
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof InferenceError) {
      if (err.retryAfter) void reply.header('retry-after', String(err.retryAfter));
      return reply.code(err.status).send(errorBody(err.code, err.message, err.runtimeDetail));
    }
    if (err.validation) {
      const where = err.validationContext ?? 'request';
      const detail = err.validation
        .map((v) => {
          const extra = (v.params as { additionalProperty?: string }).additionalProperty;
          return `${where}${v.instancePath || ''} ${v.message ?? 'is invalid'}${extra ? ` ("${extra}")` : ''}`;
        })
        .join('; ');
      return reply.code(400).send(errorBody('INVALID_REQUEST', detail));
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code =
        err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? 'BODY_TOO_LARGE'
          : err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
            ? 'UNSUPPORTED_MEDIA_TYPE'
            : err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError
              ? 'INVALID_JSON'
              : `HTTP_${status}`;
      const detail = code === 'BODY_TOO_LARGE' ? `The request body is larger than ${options.bodyLimit} bytes.` : err.message;
      return reply.code(status).send(errorBody(code, detail));
    }
    process.stderr.write(`inference: internal error on ${request.method} ${request.routeOptions.url ?? 'unmatched'}: ${stripAnsi(err.stack ?? err.message)}\n`);
    return reply.code(500).send(errorBody('INTERNAL', 'The inference service failed unexpectedly; its log has the details.'));
  });

  app.get('/', { schema: routeSchemas.root }, async () => ({ name: 'rx580-ops inference', version: SERVICE_VERSION, docs: '/openapi.json' }));

  app.get(HEALTH_PATH, { schema: routeSchemas.health }, async () => ({
    status: 'healthy',
    version: SERVICE_VERSION,
    models_loaded: registry.list().length,
    memory: { used_mb: Math.round(process.memoryUsage.rss() / 2 ** 20), available_mb: Math.round(freemem() / 2 ** 20), total_mb: Math.round(totalmem() / 2 ** 20) },
    uptime_seconds: (Date.now() - startedAt) / 1000,
    timestamp: new Date().toISOString(),
    providers: { order: [...options.providers], refused: registry.providers.refusals() },
    models: registry.list().map((m) => ({ name: m.name, provider: m.provider, refused_providers: m.refused })),
    gpu: (await gpu.read()).map((r) => ({
      card: r.card,
      vram_used_bytes: r.vramUsedBytes,
      vram_total_bytes: r.vramTotalBytes,
      busy_percent: r.busyPercent,
      temperature_celsius: r.temperatureCelsius,
      power_watts: r.powerWatts,
    })),
  }));

  app.get('/metrics', async (_request, reply) => {
    const text = await metrics.render();
    return reply.type(metrics.registry.contentType).send(text);
  });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get('/models', { schema: routeSchemas.listModels }, async () => {
    const models = registry.list().map(modelJson);
    return { models, total: models.length };
  });

  app.get('/model-files', { schema: routeSchemas.modelFiles }, async () => {
    const loaded = new Set(registry.list().map((m) => basename(m.file)));
    const files = await listAvailableModels(options.modelsDir);
    return { models_dir: options.modelsDir, files: files.map((f) => ({ ...f, loaded: loaded.has(f.path) })) };
  });

  app.get<{ Params: { name: string } }>('/models/:name', { schema: routeSchemas.getModel }, async (request) => modelJson(registry.get(request.params.name)));

  app.post<{ Body: z.output<typeof loadRequestSchema> }>(
    '/models/load',
    { schema: routeSchemas.loadModel },
    async (request, reply) => {
      const { path, model_name, device, optimization_level, force } = request.body;
      const model = await registry.load({
        path,
        modelName: model_name,
        providerOrder: providerOrderFor(device),
        graphOptimizationLevel: GRAPH_OPTIMIZATION[optimization_level],
        force,
      });
      return reply.code(201).send(modelJson(model));
    },
  );

  app.delete<{ Params: { name: string } }>('/models/:name', { schema: routeSchemas.unloadModel }, async (request) => {
    const model = await registry.unload(request.params.name);
    log(`unloaded ${model.name}`);
    return { model_name: model.name, unloaded: true };
  });

  type PredictBody = z.output<typeof predictRequestSchema>;
  type PredictQuery = z.output<typeof predictQuerySchema>;
  app.post<{ Body: PredictBody | Buffer; Querystring: PredictQuery }>(
    '/predict',
    { schema: routeSchemas.predict, onRequest: runner.admit },
    async (request: FastifyRequest<{ Body: PredictBody | Buffer; Querystring: PredictQuery }>, reply: FastifyReply) => {
      const started = performance.now();
      const raw = Buffer.isBuffer(request.body) ? request.body : null;
      const rawTensor = raw !== null && request.headers['content-type']?.startsWith('application/octet-stream') === true;
      const body = raw
        ? { model_name: request.query.model_name, inputs: { image: raw }, top_k: request.query.top_k ?? 5, return_metadata: false, outputs: request.query.outputs?.split(',') }
        : (request.body as PredictBody);
      if (!body.model_name) throw new InferenceError('INVALID_REQUEST', `A${rawTensor ? ' raw tensor' : 'n image'} body needs the model in the query: /predict?model_name=NAME.`, 400);
      return registry.use(body.model_name, async (model) => {
        const feeds = rawTensor ? rawTensorFeeds(model, request.query.input, request.query.dims, raw!) : await buildFeeds(model, body.inputs as PredictInputs);
        const { results, inferenceMs } = await runner.run(model, feeds, selectOutputs(model, body.outputs));
        const outputs = outputsToJson(results);
        const predictions = topK(model, outputs, body.top_k);
        return reply.send({
          model_name: model.name,
          outputs,
          ...(predictions ? { predictions } : {}),
          latency_ms: performance.now() - started,
          inference_ms: inferenceMs,
          provider: model.provider,
          ...(body.return_metadata ? { metadata: { inputs: Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, { dims: t.dims, type: t.type }])), inference_count: model.inferenceCount } } : {}),
        });
      });
    },
  );

  await app.register(openInferenceRoutes, { prefix: V2_PREFIX, registry, runner, version: SERVICE_VERSION });

  return { app, registry, metrics, gpu };
}

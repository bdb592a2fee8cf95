import type { FastifyError, FastifyPluginAsync, FastifyReply } from 'fastify';
import { InferenceError, stripAnsi } from '../inference-errors';
import type { ModelRunner } from '../model-runner';
import type { LoadedModel, ModelRegistry } from '../model-registry';
import { selectOutputs } from '../predict-io';
import { elementType } from '../tensors/element-types';
import { BinaryCursor, HEADER_LENGTH, splitBinaryBody } from './binary-body';
import { InferenceHeaders } from './inference-header';
import { V2Error, type V2ErrorBody } from './v2-error';
import type { InferenceResponse, ModelMetadataResponse } from './v2-schemas';
import { requestTensor, responseOutput } from './v2-tensors';

export interface OpenInferenceOptions {
  registry: ModelRegistry;
  runner: ModelRunner;
  version: string;
}

/** Triton's name for an ONNX Runtime model, which v2 clients know. */
const PLATFORM = 'onnxruntime_onnx';
export const V2_EXTENSIONS = ['binary_tensor_data'];

function metadata(model: LoadedModel): ModelMetadataResponse {
  const tensors = (infos: LoadedModel['inputs']) => infos.map((t) => ({ name: t.name, datatype: elementType(t.type)?.v2 ?? t.type.toUpperCase(), shape: t.shape }));
  return { name: model.name, platform: PLATFORM, inputs: tensors(model.inputs), outputs: tensors(model.outputs) };
}

const send = (reply: FastifyReply, status: number, message: string) => reply.code(status).send({ error: message } satisfies V2ErrorBody);

/**
 * The Open Inference Protocol (KServe v2) beside the seed's API: health, server and model
 * metadata, model readiness, and inference with the binary tensor data extension. Its errors are
 * the protocol's `{"error": "..."}` with the service's own status codes.
 */
export const openInferenceRoutes: FastifyPluginAsync<OpenInferenceOptions> = async (v2, { registry, runner, version }) => {
  // Binary requests carry JSON and then tensor bytes under either content type: read raw, split here.
  v2.removeAllContentTypeParsers();
  v2.addContentTypeParser(['application/json', 'application/octet-stream'], { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  v2.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof V2Error) return send(reply, err.status, err.message);
    if (err instanceof InferenceError) {
      if (err.retryAfter) void reply.header('retry-after', String(err.retryAfter));
      return send(reply, err.status, err.message);
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) return send(reply, status, stripAnsi(err.message));
    process.stderr.write(`inference: internal error on ${request.method} ${request.url.split('?')[0]}: ${err.stack ?? err.message}\n`);
    return send(reply, 500, 'The inference service failed unexpectedly; its log has the details.');
  });
  v2.setNotFoundHandler((request, reply) => send(reply, 404, `There is no ${request.method} ${request.url.split('?')[0]} in the Open Inference Protocol of this service.`));

  v2.get('/', async () => ({ name: 'rx580-ops inference', version, extensions: V2_EXTENSIONS }));
  v2.get('/health/live', async () => ({ live: true }));
  // Every loaded model is ready for inference: a load answers only once its session is open.
  v2.get('/health/ready', async () => ({ ready: true }));
  v2.get<{ Params: { name: string } }>('/models/:name', async (request) => metadata(registry.get(request.params.name)));
  v2.get<{ Params: { name: string } }>('/models/:name/ready', async (request) => ({ name: registry.get(request.params.name).name, ready: true }));

  const inferenceHeaders = new InferenceHeaders();
  v2.post<{ Params: { name: string }; Body: Buffer }>('/models/:name/infer', { onRequest: runner.admit }, async (request, reply) => {
    if (!Buffer.isBuffer(request.body)) throw new V2Error('The request needs a body: the inference request JSON.');
    const split = splitBinaryBody(request.body, request.headers[HEADER_LENGTH] as string | undefined);
    const req = inferenceHeaders.parse(split.json);
    return registry.use(request.params.name, async (model) => {
      const cursor = new BinaryCursor(split.binary);
      // No prototype: an input named "constructor" or "__proto__" is unknown, not "given twice".
      const feeds: Record<string, ReturnType<typeof requestTensor>> = Object.create(null);
      for (const input of req.inputs) {
        if (feeds[input.name]) throw new V2Error(`Input "${input.name}" is given twice.`);
        feeds[input.name] = requestTensor(model, input, cursor);
      }
      cursor.finish();
      const missing = model.inputs.filter((i) => !feeds[i.name]);
      if (missing.length > 0) throw new V2Error(`Model "${model.name}" needs input${missing.length > 1 ? 's' : ''} ${missing.map((i) => `"${i.name}"`).join(', ')} as well.`);
      const wanted = req.outputs ?? model.outputs.map((o) => ({ name: o.name, parameters: undefined }));
      const { results } = await runner.run(model, feeds, selectOutputs(model, wanted.map((o) => o.name)));
      const allBinary = req.parameters?.binary_data_output === true;
      const parts = wanted.map((o) => responseOutput(o.name, results[o.name]!, (o.parameters?.binary_data as boolean | undefined) ?? allBinary));
      const response: InferenceResponse = { model_name: model.name, ...(req.id !== undefined ? { id: req.id } : {}), outputs: parts.map((p) => p.output) };
      const binary = parts.flatMap((p) => (p.bytes ? [p.bytes] : []));
      if (binary.length === 0) return reply.send(response);
      const json = Buffer.from(JSON.stringify(response));
      return reply.header(HEADER_LENGTH, String(json.length)).type('application/octet-stream').send(Buffer.concat([json, ...binary]));
    });
  });
};

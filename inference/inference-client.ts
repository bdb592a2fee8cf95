import type { z } from 'zod';
import {
  errorBodySchema,
  HEALTH_PATH,
  healthSchema,
  modelFilesSchema,
  modelInfoSchema,
  modelListSchema,
  predictResultSchema,
  unloadResultSchema,
  type Health,
  type LoadRequest,
  type ModelFiles,
  type ModelInfo,
  type ModelList,
  type PredictRequest,
  type PredictResult,
} from './api-types';
import { InferenceError } from './inference-errors';
import { requestJson } from './json-http';

export interface InferenceClientOptions {
  timeoutMs?: number;
  /** Sent as `Authorization: Bearer <key>` to a service that has API keys. */
  apiKey?: string;
}

/**
 * Typed client of the inference service, used by the console's main process. Every answer is
 * validated against the API's schemas; the service's errors come back as InferenceError (which the
 * console relays as its own error) with its own message, code and status, and an unreachable service as a 503
 * that says what to do.
 */
const HEALTH_TIMEOUT_MS = 5_000;

export class InferenceClient {
  private readonly timeoutMs: number;
  private readonly headers: Record<string, string>;

  constructor(
    readonly baseUrl: string,
    options: InferenceClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.headers = options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {};
  }

  /** A health answer slower than a few seconds is no answer: the caller is told so, not kept waiting. */
  health(): Promise<Health> {
    return this.request('GET', HEALTH_PATH, healthSchema, undefined, Math.min(this.timeoutMs, HEALTH_TIMEOUT_MS));
  }

  models(): Promise<ModelList> {
    return this.request('GET', '/models', modelListSchema);
  }

  model(name: string): Promise<ModelInfo> {
    return this.request('GET', `/models/${encodeURIComponent(name)}`, modelInfoSchema);
  }

  modelFiles(): Promise<ModelFiles> {
    return this.request('GET', '/model-files', modelFilesSchema);
  }

  load(request: LoadRequest): Promise<ModelInfo> {
    return this.request('POST', '/models/load', modelInfoSchema, request);
  }

  unload(name: string) {
    return this.request('DELETE', `/models/${encodeURIComponent(name)}`, unloadResultSchema);
  }

  predict(request: PredictRequest): Promise<PredictResult> {
    return this.request('POST', '/predict', predictResultSchema, request);
  }

  private async request<S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown, timeoutMs = this.timeoutMs): Promise<z.infer<S>> {
    const res = await requestJson(this.baseUrl + path, {
      method,
      body,
      headers: this.headers,
      timeoutMs,
      unreachable: (cause) =>
        new InferenceError(
          'INFERENCE_UNREACHABLE',
          `The inference service at ${this.baseUrl} is not answering (${cause}). Start the rig (Start stack, or rx580-ops up), or check the setting inference.port.`,
          503,
        ),
    });
    if (!res.ok) {
      const error = errorBodySchema.safeParse(res.json);
      if (error.success) {
        const err = new InferenceError(error.data.error_code, error.data.detail, res.status, error.data.runtime_detail);
        const retry = Number(res.headers.get('retry-after'));
        if (Number.isFinite(retry) && retry > 0) err.retryAfter = retry;
        throw err;
      }
      throw new InferenceError('INFERENCE_BAD_ANSWER', `The inference service answered ${method} ${path} with HTTP ${res.status} and no error description.`, 502);
    }
    const parsed = schema.safeParse(res.json);
    if (!parsed.success) {
      throw new InferenceError('INFERENCE_BAD_ANSWER', `The inference service's answer to ${method} ${path} is not what this console expects (a different version?).`, 502);
    }
    return parsed.data;
  }
}

import type { z } from 'zod';
import type { errorBodySchema } from './api-types';

/**
 * An error the inference service answers with: its status, a stable code and a sentence for the
 * user, sent as the seed's `{detail, error_code, timestamp}` JSON. The same class comes back out
 * of the typed client, so the console shows the service's own message and status.
 */
export class InferenceError extends Error {
  override name = 'InferenceError';
  /** Seconds a client should wait before retrying (503 answers). */
  retryAfter?: number;
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
  ) {
    super(message);
  }
}

export type ErrorBody = z.output<typeof errorBodySchema>;

export function errorBody(code: string, detail: string): ErrorBody {
  return { detail, error_code: code, timestamp: new Date().toISOString() };
}

/** onnxruntime's messages start with a source path and a C++ signature; keep the sentence. */
export function cleanOrtMessage(message: string): string {
  const lastFalse = message.lastIndexOf(' was false. ');
  const tail = lastFalse >= 0 ? message.slice(lastFalse + ' was false. '.length) : message;
  return tail.replace(/^\/\S+:\d+\s+(\S+::)*[^\s]*\s*/, '').replace(/\s+/g, ' ').trim() || message;
}

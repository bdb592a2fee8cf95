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
    /** onnxruntime's own text behind the sentence, sent as `runtime_detail`. */
    readonly runtimeDetail?: string,
  ) {
    super(message);
  }
}

export type ErrorBody = z.output<typeof errorBodySchema>;

export function errorBody(code: string, detail: string, runtimeDetail?: string): ErrorBody {
  return { detail, error_code: code, timestamp: new Date().toISOString(), ...(runtimeDetail ? { runtime_detail: runtimeDetail } : {}) };
}

// ESC [ … letter: the colour and cursor sequences a terminal logger writes.
const ANSI_SEQUENCE = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** Text without ANSI escape sequences: the service's log is read in files and the console, not a terminal. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_SEQUENCE, '');
}

/** onnxruntime's own message as `runtime_detail`: uncoloured, on one line. */
export function runtimeDetailOf(err: unknown): string {
  return stripAnsi(String((err as Error)?.message ?? err)).replace(/\s+/g, ' ').trim();
}

/** onnxruntime's messages start with a source path and a C++ signature; keep the sentence. */
export function cleanOrtMessage(raw: string): string {
  const message = stripAnsi(raw);
  const lastFalse = message.lastIndexOf(' was false. ');
  const tail = lastFalse >= 0 ? message.slice(lastFalse + ' was false. '.length) : message;
  return tail.replace(/^\/\S+:\d+\s+(\S+::)*[^\s]*\s*/, '').replace(/\s+/g, ' ').trim() || message;
}

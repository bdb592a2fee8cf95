/**
 * The one skeleton of the console's small typed HTTP clients (Prometheus, Alertmanager, the
 * inference service) and of its readiness probes: send with a timeout, turn a transport failure
 * into the caller's own "not answering" error, and hand back the status with the body read as
 * JSON where it is JSON. Each client keeps only what its API says differently: its envelope,
 * its error body, its schemas. Here, in the inference service's folder, because its client uses it
 * and that folder imports nothing of the console's.
 */

export interface JsonAnswer {
  status: number;
  ok: boolean;
  headers: Headers;
  text: string;
  /** The body parsed as JSON; undefined when it is empty or not JSON. */
  json: unknown;
}

export interface JsonRequest {
  method?: string;
  /** A value sent as JSON, or a form (URLSearchParams) sent as one. */
  body?: unknown;
  /** Sent as they are (an Authorization header, say). */
  headers?: Record<string, string>;
  timeoutMs: number;
  /** Builds the error thrown when nothing answers, from the cause (ECONNREFUSED, TimeoutError, …). */
  unreachable: (cause: string) => Error;
}

/** What kept a request from being answered, in a word: the socket's code or the abort's name. */
export function transportCause(err: unknown): string {
  return (err as { cause?: { code?: string } })?.cause?.code ?? (err as Error)?.name ?? 'no answer';
}

export async function requestJson(url: string | URL, request: JsonRequest): Promise<JsonAnswer> {
  const { method = 'GET', body, headers, timeoutMs } = request;
  const form = body instanceof URLSearchParams;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      ...(body === undefined ? {} : form ? { body } : { body: JSON.stringify(body) }),
      headers: { ...(body === undefined || form ? {} : { 'content-type': 'application/json' }), ...headers },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw request.unreachable(transportCause(err));
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, ok: res.ok, headers: res.headers, text, json };
}

/** A readiness probe: true when the URL answers 2xx within the timeout, false on anything else. */
export async function answersReady(url: string, timeoutMs = 1000): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

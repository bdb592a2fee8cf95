import { call } from './test-service';

/** One malformed request: `body` goes as JSON unless it is a string or bytes. */
export interface FuzzRequest {
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export type FuzzAnswer = Awaited<ReturnType<typeof call>>;

/** Requests in flight at once: enough to overlap, well under the service's admission limit. */
const BATCH = 16;

/**
 * Sends `total` requests over loopback, case i % cases.length for request i, BATCH at a time.
 * Answers the ones that were not a 4xx whose body `isErrorBody` accepts, and each status's count.
 */
export async function sendFuzz(
  service: { url: string },
  cases: readonly (() => FuzzRequest)[],
  total: number,
  isErrorBody: (answer: FuzzAnswer) => boolean,
): Promise<{ failures: string[]; statuses: Map<number, number> }> {
  const failures: string[] = [];
  const statuses = new Map<number, number>();
  for (let sent = 0; sent < total; sent += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, total - sent) }, (_, i) => {
      const which = (sent + i) % cases.length;
      const req = cases[which]!();
      return call(service, req.method, req.path, req.body, req.headers).then((res) => ({ which, req, res }));
    });
    for (const { which, req, res } of await Promise.all(batch)) {
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status < 400 || res.status >= 500 || !isErrorBody(res)) failures.push(`case ${which}: ${req.method} ${req.path.slice(0, 120)} -> ${res.status} ${res.text.slice(0, 200)}`);
    }
  }
  return { failures, statuses };
}

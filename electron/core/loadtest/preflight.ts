import { request as httpRequest } from 'node:http';
import { ConsoleError } from '../../../stack/console-error';
import type { LoadRequest } from './request-body';
import { specErrors, type LoadTarget } from './spec-checks';

const PREFLIGHT_TIMEOUT_MS = 30_000;

/** One request on its own connection, closed after: a run leaves no keep-alive socket behind. */
function sendOnce(url: string, req: LoadRequest): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const r = httpRequest(new URL(req.path, url), { method: 'POST', headers: req.headers, agent: false, timeout: PREFLIGHT_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    r.on('timeout', () => r.destroy(new Error('no answer within 30 s')));
    r.on('error', reject);
    r.end(req.body);
  });
}

/** The service's sentence from its error body: the seed API's `detail`, the v2 protocol's `error`. */
function serviceMessage(text: string): string {
  try {
    const json = JSON.parse(text) as { detail?: unknown; error?: unknown };
    const message = json.detail ?? json.error;
    if (typeof message === 'string') return message;
  } catch {
    // Not JSON: the text itself says it.
  }
  return text.slice(0, 200);
}

/**
 * Sends the run's request once to each target before any load: a body the service refuses would
 * otherwise make a run of nothing but 4xx answers, so it is refused here with the service's reason.
 */
export async function preflight(targets: LoadTarget[], req: LoadRequest): Promise<void> {
  for (const t of targets) {
    const res = await sendOnce(t.url, req).catch((err: Error) => {
      throw new ConsoleError('INFERENCE_UNREACHABLE', `The load test was not started: ${t.id} at ${t.url} is not answering (${err.message}).`, 503);
    });
    if (res.status >= 200 && res.status < 300) continue;
    const reason = serviceMessage(res.text);
    if (res.status >= 400 && res.status < 500) throw specErrors([{ path: 'input', message: `${t.id} refused the request (${res.status}): ${reason}` }]);
    throw new ConsoleError('LOADTEST_PREFLIGHT_FAILED', `The load test was not started: ${t.id} answered a trial request with ${res.status}: ${reason}`, 502);
  }
}

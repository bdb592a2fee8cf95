import type { onRequestHookHandler } from 'fastify';
import { HEALTH_PATH } from './api-types';
import { ApiKeys } from './api-keys';
import { errorBody } from './inference-errors';
import { isLoopbackAddress } from './listen-addresses';
import type { InferenceMetrics } from './metrics';
import { RateLimiter } from './rate-limit';
import { accessSettingsOf, serviceEnvName, serviceSettingsFromEnv, type AccessSettings } from './service-settings';
import { loadTlsFiles, type TlsMaterial } from './tls-files';
import { isV2Url } from './v2/v2-error';

/**
 * Who may call the API and how often: API keys (bearer), a rate limit per key, and TLS, from the
 * access settings. Loaded and checked before the service listens, so a bad setting stops the
 * start with a sentence naming its variable.
 */
export interface ApiAccess {
  keys: ApiKeys | null;
  limiter: RateLimiter | null;
  tls: TlsMaterial | null;
}

const DEFAULTS = accessSettingsOf(serviceSettingsFromEnv({}));

export async function loadApiAccess(settings: Partial<AccessSettings> = {}): Promise<ApiAccess> {
  const s = { ...DEFAULTS, ...settings };
  const certVar = serviceEnvName('tlsCertFile');
  const keyVar = serviceEnvName('tlsKeyFile');
  const keysVar = serviceEnvName('apiKeysFile');
  if ((s.tlsCertFile === '') !== (s.tlsKeyFile === '')) {
    const [set, unset] = s.tlsCertFile ? [certVar, keyVar] : [keyVar, certVar];
    throw new Error(`${set} is set but ${unset} is not: set both (HTTPS) or neither (HTTP)`);
  }
  if (s.requireApiKey && s.apiKeysFile === '') {
    throw new Error(`${serviceEnvName('requireApiKey')} says this API is reachable beyond loopback, but ${keysVar} is empty: refusing to serve it open; give a file of API keys, one per line`);
  }
  return {
    keys: s.apiKeysFile ? await ApiKeys.load(s.apiKeysFile, keysVar) : null,
    limiter: s.rateLimit > 0 ? new RateLimiter(s.rateLimit, s.rateLimitBurst) : null,
    tls: s.tlsCertFile ? await loadTlsFiles(s.tlsCertFile, s.tlsKeyFile, { cert: certVar, key: keyVar }) : null,
  };
}

/** One line for the start-up log: what guards the API (never a key). */
export function describeAccess(access: ApiAccess): string {
  const keys = access.keys ? `${access.keys.count} API key${access.keys.count === 1 ? '' : 's'}` : 'no API keys';
  const limit = access.limiter ? `, ${access.limiter.perSecond} requests/s per ${access.keys ? 'key' : 'client address'} (burst ${access.limiter.burst})` : '';
  return `${keys}${limit}`;
}

// RFC 6750's challenges: what was wrong, in the header a client library reads.
const REALM = 'Bearer realm="rx580-ops inference"';
const REFUSALS = {
  missing: { challenge: REALM, detail: 'This API needs an API key: send "Authorization: Bearer <key>".' },
  malformed: { challenge: `${REALM}, error="invalid_request"`, detail: 'The Authorization header is not "Bearer <key>" with a key of letters, digits and - . _ ~ + /.' },
  invalid: { challenge: `${REALM}, error="invalid_token"`, detail: 'The API key is not one this service accepts.' },
} as const;

/** Monitoring must never be refused for another request's burst: a 429 would read as the worker down. */
const NOT_RATE_LIMITED = new Set([HEALTH_PATH, '/metrics']);

/**
 * The hook every request passes before its route: 401 without a listed key, 429 beyond the key's
 * rate. /health answers loopback peers without a key: Docker's healthcheck runs inside the
 * container and has none, and a loopback peer there is the container itself (the published port
 * reaches it from the bridge's address, not loopback). Null when there is nothing to check.
 */
export function accessHook(access: ApiAccess, metrics: InferenceMetrics): onRequestHookHandler | null {
  const { keys, limiter } = access;
  if (!keys && !limiter) return null;
  // Buckets are per key index: the key itself is kept nowhere, and nothing is built per request.
  const callers = Array.from({ length: keys?.count ?? 0 }, (_, i) => `key#${i}`);
  const sendError = (url: string, reply: Parameters<onRequestHookHandler>[1], status: number, code: string, detail: string) =>
    reply.code(status).send(isV2Url(url) ? { error: detail } : errorBody(code, detail));

  return (request, reply, done) => {
    const route = request.routeOptions.url;
    let caller: string | undefined;
    if (keys && !(route === HEALTH_PATH && isLoopbackAddress(request.socket.remoteAddress))) {
      const reason = refusalOf(request.headers.authorization, keys);
      if (typeof reason === 'string') {
        metrics.authFailures.inc({ reason });
        void reply.header('www-authenticate', REFUSALS[reason].challenge);
        return void sendError(request.url, reply, 401, 'UNAUTHORIZED', REFUSALS[reason].detail);
      }
      caller = callers[reason]!;
    }
    if (limiter && !(route !== undefined && NOT_RATE_LIMITED.has(route))) {
      const wait = limiter.take(caller ?? request.ip);
      if (wait > 0) {
        metrics.rateLimited.inc();
        void reply.header('retry-after', String(wait));
        const detail = `More than ${limiter.perSecond} requests per second (burst ${limiter.burst}) from this ${keys ? 'API key' : 'client'}; retry in ${wait} s.`;
        return void sendError(request.url, reply, 429, 'RATE_LIMITED', detail);
      }
    }
    done();
  };
}

/** The matching key's index, or why the header is refused. */
function refusalOf(header: string | undefined, keys: ApiKeys): number | keyof typeof REFUSALS {
  if (header === undefined || header.trim() === '') return 'missing';
  const space = header.indexOf(' ');
  if (space < 0 || header.slice(0, space).toLowerCase() !== 'bearer') return 'malformed';
  const token = header.slice(space + 1).trim();
  if (!ApiKeys.wellFormed(token)) return 'malformed';
  const index = keys.match(token);
  return index < 0 ? 'invalid' : index;
}

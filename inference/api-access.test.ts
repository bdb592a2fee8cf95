import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadApiAccess } from './api-access';
import { InferenceClient } from './inference-client';
import { InferenceError } from './inference-errors';
import { serviceSettingsFromEnv } from './service-settings';
import { call, startTestService, type TestService } from './testing/test-service';

const newKey = () => randomBytes(32).toString('base64url');
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const digits = { model_name: 'digits', inputs: { image: { dims: [1, 1, 28, 28], data: new Array<number>(784).fill(0) } } };

function metricValue(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.split(' ')[1]) : Number.NaN;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rx580-access-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function keysFile(...keys: string[]): Promise<string> {
  const file = join(dir, `keys-${randomBytes(4).toString('hex')}.txt`);
  await writeFile(file, `# test keys\n${keys.join('\n')}\n`);
  return file;
}

describe('API keys over HTTP', () => {
  const [keyA, keyB] = [newKey(), newKey()];
  const lines: string[] = [];
  let svc: TestService;

  beforeAll(async () => {
    svc = await startTestService({ access: { apiKeysFile: await keysFile(keyA, keyB) }, load: ['digits.onnx'], log: (line) => lines.push(line) });
  });
  afterAll(() => svc?.stop());

  it('answers 401 with a Bearer challenge and a JSON error without a key, with a malformed one and with a wrong one', async () => {
    const cases = [
      [{}, 'Bearer realm="rx580-ops inference"', /needs an API key/],
      [{ authorization: `Basic ${Buffer.from(`u:${keyA}`).toString('base64')}` }, 'Bearer realm="rx580-ops inference", error="invalid_request"', /is not "Bearer <key>"/],
      [{ authorization: 'Bearer not a key' }, 'Bearer realm="rx580-ops inference", error="invalid_request"', /is not "Bearer <key>"/],
      [bearer(newKey()), 'Bearer realm="rx580-ops inference", error="invalid_token"', /not one this service accepts/],
      [bearer(keyA.slice(1)), 'Bearer realm="rx580-ops inference", error="invalid_token"', /not one this service accepts/],
    ] as const;
    for (const [headers, challenge, detail] of cases) {
      for (const [method, path, body] of [['GET', '/models'], ['POST', '/predict', digits], ['GET', '/metrics'], ['GET', '/openapi.json'], ['GET', '/no/such/route']] as const) {
        const res = await call(svc, method, path, body, headers);
        expect(res.status, `${method} ${path}`).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe(challenge);
        expect(res.json).toMatchObject({ error_code: 'UNAUTHORIZED', detail: expect.stringMatching(detail), timestamp: expect.any(String) });
      }
    }
    // The Open Inference Protocol's routes answer with its own error body.
    const v2 = await call(svc, 'GET', '/v2/models/digits');
    expect(v2.status).toBe(401);
    expect(v2.json).toEqual({ error: expect.stringMatching(/needs an API key/) });
  });

  it('serves every listed key, and counts refusals by reason', async () => {
    for (const key of [keyA, keyB]) {
      expect((await call(svc, 'GET', '/models', undefined, bearer(key))).json.total).toBe(1);
      const predict = await call(svc, 'POST', '/predict', digits, bearer(key));
      expect(predict.status).toBe(200);
      expect(predict.json.predictions[0]).toHaveLength(5);
    }
    expect((await call(svc, 'GET', '/models', undefined, { authorization: `bearer  ${keyA}` })).status).toBe(200);
    const metrics = await call(svc, 'GET', '/metrics', undefined, bearer(keyB));
    expect(metrics.status).toBe(200);
    expect(metricValue(metrics.text, 'api_auth_failures_total{reason="missing"}')).toBe(6);
    expect(metricValue(metrics.text, 'api_auth_failures_total{reason="malformed"}')).toBe(10);
    expect(metricValue(metrics.text, 'api_auth_failures_total{reason="invalid"}')).toBe(10);
    expect(metrics.text).toContain('api_requests_total{endpoint="/models",method="GET",status="401"}');
  });

  it('answers /health to a loopback peer without a key, for the container healthcheck', async () => {
    const health = await call(svc, 'GET', '/health');
    expect(health.status).toBe(200);
    expect(health.json.status).toBe('healthy');
  });

  it('gives the typed client its key, and relays the refusal as the service said it', async () => {
    expect((await new InferenceClient(svc.url, { apiKey: keyA }).models()).total).toBe(1);
    const refused = await new InferenceClient(svc.url, { apiKey: newKey() }).models().catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(InferenceError);
    expect(refused).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
  });

  it('logs how many keys guard it, and never a key', () => {
    const log = lines.join('\n');
    expect(log).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+; .*; 2 API keys$/m);
    expect(log).not.toContain(keyA);
    expect(log).not.toContain(keyB);
  });
});

describe('rate limit per key', () => {
  it('answers a burst beyond the limit 429 with Retry-After, limits no other key, and never starves /metrics', async () => {
    const [keyA, keyB] = [newKey(), newKey()];
    const svc = await startTestService({ access: { apiKeysFile: await keysFile(keyA, keyB), rateLimit: 0.1, rateLimitBurst: 3 } });
    try {
      const burst = await Promise.all(Array.from({ length: 6 }, () => call(svc, 'GET', '/models', undefined, bearer(keyA))));
      expect(burst.map((r) => r.status).sort()).toEqual([200, 200, 200, 429, 429, 429]);
      const limited = burst.find((r) => r.status === 429)!;
      // One request per ten seconds: the next token is ten seconds away (slow enough that no load refills one mid-test).
      expect(limited.headers.get('retry-after')).toBe('10');
      expect(limited.json).toMatchObject({ error_code: 'RATE_LIMITED', detail: expect.stringMatching(/More than 0\.1 requests per second \(burst 3\) from this API key; retry in 10 s/) });
      expect((await call(svc, 'GET', '/models', undefined, bearer(keyB))).status).toBe(200);
      for (let i = 0; i < 5; i++) expect((await call(svc, 'GET', '/metrics', undefined, bearer(keyA))).status).toBe(200);
      const metrics = await call(svc, 'GET', '/metrics', undefined, bearer(keyA));
      expect(metricValue(metrics.text, 'api_rate_limited_total')).toBe(3);
      // A wrong key is refused before it could spend anyone's tokens.
      expect((await call(svc, 'GET', '/models', undefined, bearer(newKey()))).status).toBe(401);
    } finally {
      await svc.stop();
    }
  });

  it('without keys, limits each client address', async () => {
    const svc = await startTestService({ access: { rateLimit: 0.1, rateLimitBurst: 1 } });
    try {
      expect((await call(svc, 'GET', '/models')).status).toBe(200);
      const second = await call(svc, 'GET', '/models');
      expect(second.status).toBe(429);
      expect(second.json.detail).toMatch(/from this client; retry in 10 s/);
      expect((await call(svc, 'GET', '/health')).status).toBe(200);
    } finally {
      await svc.stop();
    }
  });
});

describe('access settings', () => {
  it('refuses to start an API published beyond loopback without API keys, naming the variables', async () => {
    await expect(startTestService({ access: { requireApiKey: true } })).rejects.toThrow(
      'RX580_OPS_INFERENCE_REQUIRE_API_KEY says this API is reachable beyond loopback, but RX580_OPS_INFERENCE_API_KEYS_FILE is empty: refusing to serve it open; give a file of API keys, one per line',
    );
    const svc = await startTestService({ access: { requireApiKey: true, apiKeysFile: await keysFile(newKey()) } });
    await svc.stop();
  });

  it('refuses half a TLS pair, and a keys file that is missing or holds no key', async () => {
    await expect(loadApiAccess({ tlsCertFile: '/etc/cert.pem' })).rejects.toThrow(
      'RX580_OPS_INFERENCE_TLS_CERT_FILE is set but RX580_OPS_INFERENCE_TLS_KEY_FILE is not: set both (HTTPS) or neither (HTTP)',
    );
    await expect(loadApiAccess({ tlsKeyFile: '/etc/key.pem' })).rejects.toThrow(/^RX580_OPS_INFERENCE_TLS_KEY_FILE is set but RX580_OPS_INFERENCE_TLS_CERT_FILE is not/);
    await expect(loadApiAccess({ apiKeysFile: join(dir, 'none.txt') })).rejects.toThrow(/^RX580_OPS_INFERENCE_API_KEYS_FILE=.*none\.txt cannot be read: ENOENT$/);
    await expect(loadApiAccess({ apiKeysFile: await keysFile() })).rejects.toThrow(/holds no API key/);
  });

  it('reads the access settings from their variables, and refuses values out of range', () => {
    const s = serviceSettingsFromEnv({
      RX580_OPS_INFERENCE_API_KEYS_FILE: '/run/secrets/keys',
      RX580_OPS_INFERENCE_REQUIRE_API_KEY: 'true',
      RX580_OPS_INFERENCE_RATE_LIMIT: '2.5',
      RX580_OPS_INFERENCE_RATE_LIMIT_BURST: '10',
      RX580_OPS_INFERENCE_TLS_CERT_FILE: '/run/secrets/cert.pem',
      RX580_OPS_INFERENCE_TLS_KEY_FILE: '/run/secrets/key.pem',
    });
    expect(s).toMatchObject({ apiKeysFile: '/run/secrets/keys', requireApiKey: true, rateLimit: 2.5, rateLimitBurst: 10, tlsCertFile: '/run/secrets/cert.pem', tlsKeyFile: '/run/secrets/key.pem' });
    expect(serviceSettingsFromEnv({})).toMatchObject({ apiKeysFile: '', requireApiKey: false, rateLimit: 0, tlsCertFile: '', tlsKeyFile: '' });
    expect(() => serviceSettingsFromEnv({ RX580_OPS_INFERENCE_RATE_LIMIT: '-1' })).toThrow(/rateLimit: /);
    expect(() => serviceSettingsFromEnv({ RX580_OPS_INFERENCE_RATE_LIMIT_BURST: '0' })).toThrow(/rateLimitBurst: /);
    expect(() => serviceSettingsFromEnv({ RX580_OPS_INFERENCE_REQUIRE_API_KEY: 'maybe' })).toThrow('RX580_OPS_INFERENCE_REQUIRE_API_KEY=maybe is not true or false');
  });
});

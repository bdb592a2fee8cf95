import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../../inference/testing/test-service';
import { generateApiKey } from './api-key';
import { ensureConsoleCa, issueServerCertificate, saveIssuedCertificate } from './console-ca';

/** A GET over node:https trusting `ca` alone; resolves with the status and body, or rejects with the TLS error. */
function get(url: string, ca: string | undefined, headers: Record<string, string> = {}): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, headers }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the inference service over TLS with a certificate from the console CA', () => {
  const key = generateApiKey();
  let dir: string;
  let ca: string;
  let svc: TestService;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rx580-tls-service-'));
    const consoleCa = await ensureConsoleCa(join(dir, 'ca'));
    ca = consoleCa.certPem;
    const files = { cert: join(dir, 'worker', 'cert.pem'), key: join(dir, 'worker', 'key.pem'), keys: join(dir, 'worker', 'api-keys') };
    await saveIssuedCertificate(await issueServerCertificate(consoleCa, { hosts: ['127.0.0.1'] }), files.cert, files.key);
    await writeFile(files.keys, `${key}\n`, { mode: 0o600 });
    svc = await startTestService({ access: { tlsCertFile: files.cert, tlsKeyFile: files.key, apiKeysFile: files.keys, requireApiKey: true } });
  });
  afterAll(async () => {
    await svc?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves HTTPS to a client that trusts the CA and sends the key', async () => {
    expect(svc.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const models = await get(`${svc.url}/models`, ca, { authorization: `Bearer ${key}` });
    expect(models.status).toBe(200);
    expect(models.json).toEqual({ models: [], total: 0 });
    expect((await get(`${svc.url}/models`, ca)).status).toBe(401);
    // The container's healthcheck: loopback, no key.
    expect((await get(`${svc.url}/health`, ca)).json.status).toBe('healthy');
  });

  it('is refused by a client that does not trust the CA, and answers no plain HTTP', async () => {
    await expect(get(`${svc.url}/health`, undefined)).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    const stranger = await ensureConsoleCa(join(dir, 'stranger-ca'));
    await expect(get(`${svc.url}/health`, stranger.certPem)).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    await expect(fetch(svc.url.replace('https:', 'http:') + '/health')).rejects.toThrow();
  });

  it('refuses to start with a certificate that has expired', async () => {
    const consoleCa = await ensureConsoleCa(join(dir, 'ca'));
    const old = await issueServerCertificate(consoleCa, { hosts: ['127.0.0.1'], validityDays: 1, now: new Date(Date.now() - 2 * 86_400_000) });
    const files = { cert: join(dir, 'old', 'cert.pem'), key: join(dir, 'old', 'key.pem') };
    await saveIssuedCertificate(old, files.cert, files.key);
    await expect(startTestService({ access: { tlsCertFile: files.cert, tlsKeyFile: files.key } })).rejects.toThrow(
      /^RX580_OPS_INFERENCE_TLS_CERT_FILE=.*old\/cert\.pem is valid from .* to .*, not now: issue a new one$/,
    );
  });
});


import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTlsFiles } from './tls-files';

const NAMES = { cert: 'CERT_FILE', key: 'KEY_FILE' };

/** A self-signed P-256 certificate and its key, made by openssl as a user might. */
function selfSigned(dir: string, name: string) {
  const [cert, key] = [join(dir, `${name}.pem`), join(dir, `${name}-key.pem`)];
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=127.0.0.1', '-days', '2', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { cert, key };
}

describe('TLS files', () => {
  let dir: string;
  let a: { cert: string; key: string };
  let b: { cert: string; key: string };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rx580-tls-'));
    [a, b] = [selfSigned(dir, 'a'), selfSigned(dir, 'b')];
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('loads a certificate with its own key', async () => {
    const pair = await loadTlsFiles(a.cert, a.key, NAMES);
    expect(pair.cert).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(pair.key).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('refuses another certificate\'s key, files that are not PEM, a missing file and a certificate not valid now', async () => {
    await expect(loadTlsFiles(a.cert, b.key, NAMES)).rejects.toThrow(`KEY_FILE=${b.key} is not the private key of CERT_FILE=${a.cert}`);
    await writeFile(join(dir, 'junk.pem'), 'not a pem file');
    await expect(loadTlsFiles(join(dir, 'junk.pem'), a.key, NAMES)).rejects.toThrow(`CERT_FILE=${join(dir, 'junk.pem')} is not a PEM certificate`);
    await expect(loadTlsFiles(a.cert, join(dir, 'junk.pem'), NAMES)).rejects.toThrow(/^KEY_FILE=.*junk\.pem is not a PEM private key/);
    await expect(loadTlsFiles(join(dir, 'none.pem'), a.key, NAMES)).rejects.toThrow(`CERT_FILE=${join(dir, 'none.pem')} cannot be read: ENOENT`);
    await expect(loadTlsFiles(a.cert, a.key, NAMES, new Date(Date.now() + 3 * 86_400_000))).rejects.toThrow(/^CERT_FILE=.*a\.pem is valid from .* to .*, not now: issue a new one$/);
  });
});

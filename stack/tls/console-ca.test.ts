import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CA_CERT_FILE, CA_KEY_FILE, ensureConsoleCa, issueServerCertificate, saveIssuedCertificate, SERVER_VALIDITY_DAYS } from './console-ca';

const DAY_MS = 86_400_000;
const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe("the console's CA", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rx580-ca-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('is made once, its key readable by the owner alone, and the same CA after', async () => {
    const caDir = join(dir, 'ca');
    const ca = await ensureConsoleCa(caDir);
    expect(await mode(join(caDir, CA_KEY_FILE))).toBe(0o600);
    expect(await mode(join(caDir, CA_CERT_FILE))).toBe(0o644);
    expect(await mode(caDir)).toBe(0o700);
    const cert = new X509Certificate(await readFile(join(caDir, CA_CERT_FILE)));
    expect(cert.ca).toBe(true);
    expect(cert.publicKey.asymmetricKeyDetails).toEqual({ namedCurve: 'prime256v1' });
    expect(cert.subject).toBe('CN=RX580 Ops console CA\nO=rx580-ops');
    const again = await ensureConsoleCa(caDir);
    expect(again.certPem).toBe(ca.certPem);
    expect(again.cert.serialNumber).toBe(ca.cert.serialNumber);
  });

  it('issues a P-256 server certificate for IP addresses and DNS names that openssl verifies against it', async () => {
    const caDir = join(dir, 'ca');
    const ca = await ensureConsoleCa(caDir);
    const issued = await issueServerCertificate(ca, { hosts: ['127.0.0.1', 'inference-card0', '::1', '127.0.0.1'] });
    const cert = new X509Certificate(issued.certPem);
    expect(cert.ca).toBe(false);
    expect(cert.subjectAltName).toBe('IP Address:127.0.0.1, DNS:inference-card0, IP Address:0:0:0:0:0:0:0:1');
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(cert.publicKey.asymmetricKeyDetails).toEqual({ namedCurve: 'prime256v1' });
    expect(cert.checkIssued(new X509Certificate(ca.certPem))).toBe(true);
    const days = (new Date(cert.validTo).getTime() - Date.now()) / DAY_MS;
    expect(days).toBeGreaterThan(SERVER_VALIDITY_DAYS - 1);
    expect(days).toBeLessThanOrEqual(SERVER_VALIDITY_DAYS);
    expect(issued.notAfter.getTime()).toBeCloseTo(Date.now() + SERVER_VALIDITY_DAYS * DAY_MS, -5);

    await saveIssuedCertificate(issued, join(dir, 'server', 'cert.pem'), join(dir, 'server', 'key.pem'));
    expect(await mode(join(dir, 'server', 'key.pem'))).toBe(0o600);
    const verified = execFileSync('openssl', ['verify', '-x509_strict', '-purpose', 'sslserver', '-CAfile', join(caDir, CA_CERT_FILE), join(dir, 'server', 'cert.pem')], { encoding: 'utf8' });
    expect(verified.trim()).toBe(`${join(dir, 'server', 'cert.pem')}: OK`);
    // Another CA's certificate is not verified by this one.
    const other = await issueServerCertificate(await ensureConsoleCa(join(dir, 'other-ca')), { hosts: ['127.0.0.1'] });
    await writeFile(join(dir, 'other.pem'), other.certPem);
    expect(() => execFileSync('openssl', ['verify', '-CAfile', join(caDir, CA_CERT_FILE), join(dir, 'other.pem')], { stdio: 'pipe' })).toThrow(/unable to get local issuer certificate/);
  });

  it('refuses what it cannot issue: no host, a host that is no name, a validity out of range or beyond the CA', async () => {
    const ca = await ensureConsoleCa(join(dir, 'ca'));
    await expect(issueServerCertificate(ca, { hosts: [' '] })).rejects.toThrow('A server certificate needs at least one IP address or DNS name');
    await expect(issueServerCertificate(ca, { hosts: ['not a host'] })).rejects.toThrow('"not a host" is neither an IP address nor a DNS name');
    await expect(issueServerCertificate(ca, { hosts: ['localhost'], validityDays: 0 })).rejects.toThrow(`A server certificate's validity is 1 to ${SERVER_VALIDITY_DAYS} days, not 0`);
    await expect(issueServerCertificate(ca, { hosts: ['localhost'], now: new Date(Date.now() + 3649 * DAY_MS) })).rejects.toThrow(/The console's CA expires on .*, before this certificate would/);
  });

  it('refuses a CA folder that is half there, damaged, mismatched or expired, instead of replacing it', async () => {
    const [a, b] = [join(dir, 'a'), join(dir, 'b')];
    await ensureConsoleCa(a);
    await ensureConsoleCa(b);
    await expect(ensureConsoleCa(a, new Date(Date.now() + 3651 * DAY_MS))).rejects.toThrow(/The console's CA certificate .*ca\.pem expired on /);
    await writeFile(join(a, CA_KEY_FILE), await readFile(join(b, CA_KEY_FILE)));
    await expect(ensureConsoleCa(a)).rejects.toThrow(`The console's CA key ${join(a, CA_KEY_FILE)} is not the key of ${join(a, CA_CERT_FILE)}`);
    await writeFile(join(a, CA_KEY_FILE), 'garbage');
    await expect(ensureConsoleCa(a)).rejects.toThrow(`The console's CA key ${join(a, CA_KEY_FILE)} is not an ECDSA P-256 private key in PEM`);
    await rm(join(a, CA_KEY_FILE));
    await expect(ensureConsoleCa(a)).rejects.toThrow(`The console's CA in ${a} is incomplete: ${join(a, CA_KEY_FILE)} is missing.`);
    await writeFile(join(b, CA_CERT_FILE), 'garbage');
    await expect(ensureConsoleCa(b)).rejects.toThrow(`The console's CA certificate ${join(b, CA_CERT_FILE)} is not a PEM certificate`);
  });
});

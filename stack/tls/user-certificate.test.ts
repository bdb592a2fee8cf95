import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleCa, issueServerCertificate, saveIssuedCertificate } from './console-ca';
import { loadUserCertificate } from './user-certificate';

const NAMES = { cert: 'inference.tlsCertFile', key: 'inference.tlsKeyFile' };
const DAY_MS = 86_400_000;

describe("a user's own certificate", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rx580-user-cert-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** A certificate from some other CA, as a user brings one, written to files. */
  async function userFiles(name: string, hosts: string[], now?: Date) {
    const ca = await ensureConsoleCa(join(dir, 'their-ca'), now && new Date(now.getTime() - DAY_MS));
    const issued = await issueServerCertificate(ca, { hosts, validityDays: 30, now });
    const files = { cert: join(dir, `${name}.pem`), key: join(dir, `${name}-key.pem`) };
    await saveIssuedCertificate(issued, files.cert, files.key);
    return files;
  }

  it('is taken when it matches its key, is valid now and names every host Prometheus scrapes', async () => {
    const f = await userFiles('good', ['192.168.1.20', 'rig.lan']);
    const pair = await loadUserCertificate(f.cert, f.key, ['192.168.1.20', 'rig.lan'], NAMES);
    expect(pair.cert).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });

  it('is refused, with the settings named, when it lacks a host, is expired, or comes with another key', async () => {
    const f = await userFiles('one-host', ['192.168.1.20']);
    await expect(loadUserCertificate(f.cert, f.key, ['192.168.1.20', '10.0.0.5', 'rig.lan'], NAMES)).rejects.toThrow(
      `inference.tlsCertFile=${f.cert} does not name 10.0.0.5, rig.lan, which Prometheus scrapes; it names IP Address:192.168.1.20`,
    );
    const old = await userFiles('old', ['192.168.1.20'], new Date(Date.now() - 400 * DAY_MS));
    await expect(loadUserCertificate(old.cert, old.key, ['192.168.1.20'], NAMES)).rejects.toThrow(/^inference\.tlsCertFile=.*old\.pem is valid from .* to .*, not now: issue a new one$/);
    await writeFile(f.key, (await issueServerCertificate(await ensureConsoleCa(join(dir, 'their-ca')), { hosts: ['x.lan'] })).keyPem);
    await expect(loadUserCertificate(f.cert, f.key, ['192.168.1.20'], NAMES)).rejects.toThrow(`inference.tlsKeyFile=${f.key} is not the private key of inference.tlsCertFile=${f.cert}`);
  });
});

import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredRig } from '../../electron/api/schemas/rigs';
import { aesGcmFileCipher } from '../notifications/secret-store';
import { CA_CERT_FILE } from '../tls/console-ca';
import { rigAccess } from './rig-access';
import { RigRegistry } from './rig-registry';

const rig = (name: string, address: string) => ({ name, address }) as StoredRig;

describe("the rigs' access (API keys, certificates, the CA)", () => {
  let dir: string;
  let access: ReturnType<typeof rigAccess>;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rx580-rig-access-'));
    const registry = new RigRegistry({ dir, cipher: aesGcmFileCipher(join(dir, 'secrets.key')), workerPorts: [8000] });
    access = rigAccess(registry, join(dir, 'ca'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('makes one CA when its first users ask at once: every certificate issued is signed by the CA Prometheus is given', async () => {
    // Two rigs starting together and Prometheus's sync, on a console that has no CA yet.
    const [a, ca, b] = await Promise.all([access.tls(rig('rig-a', '10.0.0.2')), access.caCert(), access.tls(rig('rig-b', '10.0.0.3'))]);
    expect(await readFile(join(dir, 'ca', CA_CERT_FILE), 'utf8')).toBe(ca);
    const issuer = new X509Certificate(ca);
    for (const tls of [a, b]) expect(new X509Certificate(tls.cert).checkIssued(issuer)).toBe(true);
    expect(await access.caCert()).toBe(ca);
  });

  it('keeps a rig its key and certificate, and gives another rig its own', async () => {
    const a = rig('rig-a', '10.0.0.2');
    const [key, tls] = [await access.apiKey(a), await access.tls(a)];
    expect(await access.apiKey(a)).toBe(key);
    expect(await access.tls(a)).toEqual(tls);
    expect(await access.apiKey(rig('rig-b', '10.0.0.3'))).not.toBe(key);
    expect(new X509Certificate(tls.cert).subjectAltName).toBe('IP Address:10.0.0.2');
    // A rig whose address changed is given a certificate for its new one.
    expect(new X509Certificate((await access.tls(rig('rig-a', '10.0.0.9'))).cert).subjectAltName).toBe('IP Address:10.0.0.9');
  });
});

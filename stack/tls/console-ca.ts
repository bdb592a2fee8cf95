import * as x509 from '@peculiar/x509';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { CERT_MODE, KEY_MODE, writePemFile } from './pem-files';

/**
 * The console's own small certificate authority: one ECDSA P-256 key and self-signed certificate
 * made once and kept in a folder, which then issues the inference workers' server certificates
 * for the addresses and names Prometheus scrapes them at. Prometheus trusts the CA's certificate
 * (`tls_config.ca_file`), so a worker's certificate can be reissued without touching it.
 *
 * @peculiar/x509 builds the certificates (node:crypto parses X.509 but cannot make one) over
 * WebCrypto, so no key ever leaves node:crypto's own implementation.
 */

// The global WebCrypto (Node ≥ 19): one type for it whether DOM's lib or Node's is in scope.
const crypto = globalThis.crypto;
type CryptoKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;
const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { ...EC, hash: 'SHA-256' } as const;
const DAY_MS = 24 * 60 * 60 * 1000;

export const CA_CERT_FILE = 'ca.pem';
export const CA_KEY_FILE = 'ca-key.pem';
/** Long enough to outlive the rig's hardware; renewing it means re-trusting it everywhere. */
export const CA_VALIDITY_DAYS = 3650;
/** What browsers accept as a server certificate's longest life; the console reissues well before. */
export const SERVER_VALIDITY_DAYS = 397;
/** Clocks of the scraper and the console may differ a little. */
const BACKDATE_MS = 5 * 60 * 1000;

export interface ConsoleCa {
  /** The certificate Prometheus trusts (`tls_config.ca_file`). */
  certPem: string;
  cert: x509.X509Certificate;
  key: CryptoKey;
}

export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
  notAfter: Date;
}

/** A positive 128-bit serial: random, as RFC 5280 advises, and never read as negative (Go refuses those). */
const serial = () => {
  const bytes = randomBytes(16);
  bytes[0]! &= 0x7f;
  return bytes.toString('hex');
};

const keyPem = async (key: CryptoKey) => x509.PemConverter.encode(await crypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');

async function readIfThere(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`The console's CA file ${path} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/**
 * The CA kept in `dir`, made there the first time (key 0600). A half-present or damaged CA is an
 * error, never silently replaced: a new CA would untrust every certificate already issued.
 */
export async function ensureConsoleCa(dir: string, now = new Date()): Promise<ConsoleCa> {
  const certPath = join(dir, CA_CERT_FILE);
  const keyPath = join(dir, CA_KEY_FILE);
  const [certPem, keyText] = await Promise.all([readIfThere(certPath), readIfThere(keyPath)]);
  if (certPem !== null && keyText !== null) return loadCa(certPem, keyText, certPath, keyPath, now);
  if (certPem !== null || keyText !== null) {
    throw new Error(`The console's CA in ${dir} is incomplete: ${certPem === null ? certPath : keyPath} is missing. Restore it, or remove ${dir} to make a new CA (then every issued certificate must be reissued).`);
  }
  const keys = await crypto.subtle.generateKey(EC, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serial(),
      name: [{ CN: ['RX580 Ops console CA'] }, { O: ['rx580-ops'] }],
      notBefore: new Date(now.getTime() - BACKDATE_MS),
      notAfter: new Date(now.getTime() + CA_VALIDITY_DAYS * DAY_MS),
      signingAlgorithm: SIGNING,
      keys,
      extensions: [
        // It signs server certificates only, never another CA.
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  // The key first: a certificate without its key on disk would read as a damaged CA.
  await writePemFile(keyPath, await keyPem(keys.privateKey), KEY_MODE);
  await writePemFile(certPath, cert.toString('pem'), CERT_MODE);
  return { certPem: cert.toString('pem'), cert, key: keys.privateKey };
}

async function loadCa(certPem: string, keyText: string, certPath: string, keyPath: string, now: Date): Promise<ConsoleCa> {
  let cert: x509.X509Certificate;
  let key: CryptoKey;
  try {
    cert = new x509.X509Certificate(certPem);
  } catch {
    throw new Error(`The console's CA certificate ${certPath} is not a PEM certificate`);
  }
  try {
    key = await crypto.subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(keyText), EC, true, ['sign']);
  } catch {
    throw new Error(`The console's CA key ${keyPath} is not an ECDSA P-256 private key in PEM`);
  }
  if (now > cert.notAfter) throw new Error(`The console's CA certificate ${certPath} expired on ${cert.notAfter.toISOString()}: remove ${certPath} and ${keyPath} to make a new CA.`);
  // The key must be the certificate's: a probe signed by one is verified by the other.
  const probe = randomBytes(32);
  const signature = await crypto.subtle.sign(SIGNING, key, probe);
  if (!(await crypto.subtle.verify(SIGNING, await cert.publicKey.export(crypto), signature, probe))) {
    throw new Error(`The console's CA key ${keyPath} is not the key of ${certPath}`);
  }
  return { certPem, cert, key };
}

export interface ServerCertificateRequest {
  /** IP addresses and DNS names the server is reached at: each becomes a subject alternative name. */
  hosts: string[];
  validityDays?: number;
  now?: Date;
}

/** A server certificate and its new key (ECDSA P-256), signed by the CA, for every host named. */
export async function issueServerCertificate(ca: ConsoleCa, request: ServerCertificateRequest): Promise<IssuedCertificate> {
  const hosts = [...new Set(request.hosts.map((h) => h.trim()).filter(Boolean))];
  if (hosts.length === 0) throw new Error('A server certificate needs at least one IP address or DNS name');
  for (const host of hosts) {
    if (!isIP(host) && !/^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i.test(host)) {
      throw new Error(`"${host}" is neither an IP address nor a DNS name`);
    }
  }
  const days = request.validityDays ?? SERVER_VALIDITY_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > SERVER_VALIDITY_DAYS) throw new Error(`A server certificate's validity is 1 to ${SERVER_VALIDITY_DAYS} days, not ${days}`);
  const now = request.now ?? new Date();
  const notAfter = new Date(now.getTime() + days * DAY_MS);
  if (notAfter > ca.cert.notAfter) throw new Error(`The console's CA expires on ${ca.cert.notAfter.toISOString()}, before this certificate would: make a new CA`);
  const keys = await crypto.subtle.generateKey(EC, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serial(),
      subject: [{ CN: [hosts[0]!] }],
      issuer: ca.cert.subjectName,
      notBefore: new Date(now.getTime() - BACKDATE_MS),
      notAfter,
      signingAlgorithm: SIGNING,
      publicKey: keys.publicKey,
      signingKey: ca.key,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension(hosts.map((h) => ({ type: isIP(h) ? ('ip' as const) : ('dns' as const), value: h }))),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
        await x509.AuthorityKeyIdentifierExtension.create(ca.cert, false, crypto),
      ],
    },
    crypto,
  );
  return { certPem: cert.toString('pem'), keyPem: await keyPem(keys.privateKey), notAfter };
}

/** Writes an issued certificate and its key (0600) where the worker reads them. */
export async function saveIssuedCertificate(issued: IssuedCertificate, certPath: string, keyPath: string): Promise<void> {
  await writePemFile(keyPath, issued.keyPem, KEY_MODE);
  await writePemFile(certPath, issued.certPem, CERT_MODE);
}

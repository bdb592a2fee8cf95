import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createSecureContext } from 'node:tls';

/** What node:https needs to serve TLS. */
export interface TlsMaterial {
  cert: string;
  key: string;
}

/** Names of the two settings, as the user set them (environment variables), for errors. */
export interface TlsSettingNames {
  cert: string;
  key: string;
}

async function readPem(file: string, setting: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`${setting}=${file} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/**
 * The certificate and key to serve HTTPS with, checked before listening: both parse, the key is
 * the certificate's, and the certificate is valid now. A bad pair is refused at start with what
 * is wrong, not found by the first client's handshake failure.
 */
export async function loadTlsFiles(certFile: string, keyFile: string, names: TlsSettingNames, now = new Date()): Promise<TlsMaterial> {
  const [cert, key] = await Promise.all([readPem(certFile, names.cert), readPem(keyFile, names.key)]);
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch {
    throw new Error(`${names.cert}=${certFile} is not a PEM certificate`);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    throw new Error(`${names.key}=${keyFile} is not a PEM private key (an encrypted key is not supported)`);
  }
  if (!x509.checkPrivateKey(privateKey)) throw new Error(`${names.key}=${keyFile} is not the private key of ${names.cert}=${certFile}`);
  if (now < new Date(x509.validFrom) || now > new Date(x509.validTo)) {
    throw new Error(`${names.cert}=${certFile} is valid from ${x509.validFrom} to ${x509.validTo}, not now: issue a new one`);
  }
  // What node:https itself would refuse (an unsupported key type, say), refused here with the files named.
  try {
    createSecureContext({ cert, key });
  } catch (err) {
    throw new Error(`${names.cert}=${certFile} and ${names.key}=${keyFile} cannot serve TLS: ${(err as Error).message}`);
  }
  return { cert, key };
}

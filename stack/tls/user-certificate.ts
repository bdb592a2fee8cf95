import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { loadTlsFiles, type TlsMaterial, type TlsSettingNames } from '../../inference/tls-files';

/**
 * A certificate and key the user brings instead of the console's CA issuing them: the same checks
 * the worker makes at start (both parse, the key is the certificate's, valid now), plus that it
 * names every host Prometheus scrapes the worker at, since Prometheus checks that too. Caught here,
 * the error names the user's settings instead of showing up as a worker that never starts or a
 * target that is down.
 */
export async function loadUserCertificate(certFile: string, keyFile: string, hosts: string[], names: TlsSettingNames, now = new Date()): Promise<TlsMaterial> {
  const pair = await loadTlsFiles(certFile, keyFile, names, now);
  const cert = new X509Certificate(pair.cert);
  const unnamed = hosts.filter((h) => (isIP(h) ? cert.checkIP(h) : cert.checkHost(h)) === undefined);
  if (unnamed.length > 0) {
    throw new Error(`${names.cert}=${certFile} does not name ${unnamed.join(', ')}, which Prometheus scrapes; it names ${cert.subjectAltName ?? cert.subject}`);
  }
  return pair;
}

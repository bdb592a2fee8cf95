import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** PEM files of a test CA, the engine's server certificate (for the rig's address) and a client's. */
export interface RigTlsFiles {
  dir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

async function issue(dir: string, name: string, subject: string, extensions: string): Promise<void> {
  const key = join(dir, `${name}-key.pem`);
  await run('openssl', ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', join(dir, `${name}.csr`), '-subj', subject]);
  await writeFile(join(dir, `${name}.ext`), extensions);
  await run('openssl', ['x509', '-req', '-in', join(dir, `${name}.csr`), '-CA', join(dir, 'ca.pem'), '-CAkey', join(dir, 'ca-key.pem'), '-CAcreateserial', '-days', '2', '-out', join(dir, `${name}.pem`), '-extfile', join(dir, `${name}.ext`)]);
}

/**
 * A CA of the test's own, as a Docker engine's owner sets one up for `--tlsverify` (Docker's
 * "Protect the Docker daemon socket" steps, with openssl): a server certificate naming the
 * rig's address, and a client certificate the console presents.
 */
export async function makeRigTls(dir: string, address: string): Promise<RigTlsFiles> {
  await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'ca-key.pem'), '-out', join(dir, 'ca.pem'), '-days', '2', '-subj', '/CN=rx580 test rig CA']);
  await issue(dir, 'server', '/CN=rig', `subjectAltName=IP:${address}\nextendedKeyUsage=serverAuth\n`);
  await issue(dir, 'client', '/CN=console', 'extendedKeyUsage=clientAuth\n');
  return { dir, ca: join(dir, 'ca.pem'), serverCert: join(dir, 'server.pem'), serverKey: join(dir, 'server-key.pem'), clientCert: join(dir, 'client.pem'), clientKey: join(dir, 'client-key.pem') };
}

/** The client's side as PEM text: what the console is given for a tcp:// rig. */
export async function clientTls(files: RigTlsFiles): Promise<{ ca: string; cert: string; key: string }> {
  const [ca, cert, key] = await Promise.all([files.ca, files.clientCert, files.clientKey].map((f) => readFile(f, 'utf8')));
  return { ca: ca!, cert: cert!, key: key! };
}

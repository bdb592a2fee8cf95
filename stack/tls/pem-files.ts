import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Private keys: the owner alone reads them. */
export const KEY_MODE = 0o600;
/** Certificates are public; Prometheus in its container reads them as another user. */
export const CERT_MODE = 0o644;

/**
 * Writes a PEM file whole or not at all (a temporary file renamed over it), with its mode set
 * even when the file existed before with a looser one. The folder is created owner-only.
 */
export async function writePemFile(path: string, pem: string, mode: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, pem, { mode });
  await chmod(temporary, mode);
  await rename(temporary, path);
}

import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const GRAFANA_ADMIN_USER = 'admin';
const FILE = 'grafana-admin-password';

/**
 * The Grafana admin password: generated at first start (the seed shipped admin/admin) and kept in
 * a file only the console's user can read. Grafana applies it only when its database is new,
 * so it lives exactly as long as the stack's data.
 */
export async function grafanaAdminPassword(secretsDir: string): Promise<string> {
  const file = join(secretsDir, FILE);
  try {
    const existing = (await readFile(file, 'utf8')).trim();
    if (existing) return existing;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const password = randomBytes(18).toString('base64url');
  await mkdir(secretsDir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, password + '\n', { mode: 0o600 });
  await rename(tmp, file);
  return password;
}

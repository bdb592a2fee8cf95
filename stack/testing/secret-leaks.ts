import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** True when a user other than the owner (and root) can read the file: o+r on it and o+x on every directory above. */
export async function readableByOthers(file: string): Promise<boolean> {
  if (((await stat(file)).mode & 0o004) === 0) return false;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (((await stat(dir)).mode & 0o001) === 0) return false;
    if (dirname(dir) === dir) return true;
  }
}

async function* walk(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

/** Files under `dir` holding any of the secrets: every one, and those other users can read. */
export async function filesWithSecrets(dir: string, secrets: string[]): Promise<{ all: string[]; readableByOthers: string[] }> {
  const all: string[] = [];
  const open: string[] = [];
  for await (const file of walk(dir)) {
    const text = await readFile(file, 'latin1');
    if (!secrets.some((s) => text.includes(s))) continue;
    all.push(file);
    if (await readableByOthers(file)) open.push(file);
  }
  return { all, readableByOthers: open };
}

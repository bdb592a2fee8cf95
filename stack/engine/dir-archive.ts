import { readdir, readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { pack } from 'tar-stream';

export interface PackOptions {
  /** A folder the entries go under inside the archive. */
  prefix?: string;
  /** Leaves out an entry (a file or a folder with all it holds) by its name. */
  skip?: (name: string) => boolean;
}

async function entries(dir: string, rel: string, skip: (name: string) => boolean): Promise<{ rel: string; dir: boolean }[]> {
  const out: { rel: string; dir: boolean }[] = [];
  for (const d of await readdir(join(dir, rel), { withFileTypes: true })) {
    if (skip(d.name)) continue;
    const path = rel ? posix.join(rel, d.name) : d.name;
    if (d.isDirectory()) out.push({ rel: path, dir: true }, ...(await entries(dir, path, skip)));
    else if (d.isFile()) out.push({ rel: path, dir: false });
  }
  return out;
}

/**
 * A folder's files as a tar for an engine's archive API (a container's filesystem, a volume
 * through a carrier): owned by root and readable by all, as the bind-mounted folder they replace
 * was, since each service reads its config as its own user.
 */
export async function packDirectory(dir: string, o: PackOptions = {}): Promise<Buffer> {
  const tar = pack();
  const name = (rel: string) => (o.prefix ? posix.join(o.prefix, rel) : rel);
  if (o.prefix) tar.entry({ name: o.prefix, type: 'directory', mode: 0o755 });
  for (const e of await entries(dir, '', o.skip ?? (() => false))) {
    if (e.dir) tar.entry({ name: name(e.rel), type: 'directory', mode: 0o755 });
    else tar.entry({ name: name(e.rel), mode: 0o644 }, await readFile(join(dir, e.rel)));
  }
  tar.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of tar) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { extract, type Header } from 'tar-stream';
import { afterEach, describe, expect, it } from 'vitest';
import { packDirectory } from './dir-archive';

async function entriesOf(archive: Buffer): Promise<Record<string, { type: Header['type']; mode: number | undefined; content: string }>> {
  const out: Record<string, { type: Header['type']; mode: number | undefined; content: string }> = {};
  const reader = extract();
  const done = new Promise<void>((resolve, reject) => {
    reader.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c) => chunks.push(c as Buffer));
      stream.on('end', () => {
        out[header.name] = { type: header.type, mode: header.mode, content: Buffer.concat(chunks).toString('utf8') };
        next();
      });
    });
    reader.on('finish', resolve);
    reader.on('error', reject);
  });
  Readable.from(archive).pipe(reader);
  await done;
  return out;
}

describe('packDirectory', () => {
  let dir = '';
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('packs files and folders (empty ones too) readable by all, under a prefix, leaving out what skip names', async () => {
    dir = await mkdtemp(join(tmpdir(), 'rx580-pack-'));
    await mkdir(join(dir, 'alerts'));
    await mkdir(join(dir, 'targets'));
    await mkdir(join(dir, '.staging'));
    await writeFile(join(dir, 'prometheus.yml'), 'global: {}\n', { mode: 0o600 });
    await writeFile(join(dir, 'alerts', 'api.yml'), 'groups: []\n');
    await writeFile(join(dir, '.staging', 'prometheus.yml'), 'half\n');
    const entries = await entriesOf(await packDirectory(dir, { prefix: 'conf', skip: (name) => name.startsWith('.') }));
    expect(Object.keys(entries).sort()).toEqual(['conf', 'conf/alerts', 'conf/alerts/api.yml', 'conf/prometheus.yml', 'conf/targets']);
    expect(entries['conf/prometheus.yml']).toEqual({ type: 'file', mode: 0o644, content: 'global: {}\n' });
    expect(entries['conf/targets']).toMatchObject({ type: 'directory', mode: 0o755 });
  });
});

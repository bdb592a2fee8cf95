import { statSync } from 'node:fs';
import { open, rename, stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';

const FOLLOW_POLL_MS = 250;

/** Moves a log larger than `maxBytes` to `<file>.1`, replacing the one kept from before. */
export async function rotate(file: string, maxBytes: number): Promise<void> {
  const size = await stat(file).then((s) => s.size, () => 0);
  if (size > maxBytes) await rename(file, `${file}.1`);
}

/** The last `count` lines, read backwards in chunks so a large log is not read whole. */
export async function lastLines(file: string, count: number): Promise<string[]> {
  if (count <= 0) return [];
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  try {
    const chunks: Buffer[] = [];
    let position = (await handle.stat()).size;
    let newlines = 0;
    while (position > 0 && newlines <= count) {
      const length = Math.min(64 * 1024, position);
      position -= length;
      const chunk = Buffer.alloc(length);
      await handle.read(chunk, 0, length, position);
      chunks.unshift(chunk);
      for (const byte of chunk) if (byte === 0x0a) newlines++;
    }
    const lines = Buffer.concat(chunks).toString('utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    // Reading stopped mid-file: the first line is cut.
    if (position > 0) lines.shift();
    return lines.slice(-count).map((l) => l.replace(/\r$/, ''));
  } finally {
    await handle.close();
  }
}

/** Polls the file for appended lines; a smaller size or a new inode (rotation) reads from the top. */
export function followFile(file: string, onLine: (line: string) => void): () => void {
  const initial = statSync(file, { throwIfNoEntry: false });
  let position = initial?.size ?? 0;
  let inode = initial?.ino ?? null;
  let decoder = new StringDecoder('utf8');
  let partial = '';
  let busy = false;
  let stopped = false;
  const restart = () => {
    position = 0;
    decoder = new StringDecoder('utf8');
    partial = '';
  };
  const poll = async () => {
    const info = await stat(file).catch(() => null);
    if (!info) {
      restart();
      inode = null;
      return;
    }
    if ((inode !== null && info.ino !== inode) || info.size < position) restart();
    inode = info.ino;
    if (info.size <= position) return;
    const handle = await open(file, 'r');
    try {
      const chunk = Buffer.alloc(info.size - position);
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
      position += bytesRead;
      const lines = (partial + decoder.write(chunk.subarray(0, bytesRead))).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (!stopped) onLine(line.replace(/\r$/, ''));
    } finally {
      await handle.close();
    }
  };
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    poll()
      .catch(() => undefined) // a file read mid-rotation: the next poll sees the new one
      .finally(() => (busy = false));
  }, FOLLOW_POLL_MS);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}

import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { isAlive } from './process-signals';

/** What a started process leaves behind so that a later console can find and adopt it. */
export interface PidRecord {
  pid: number;
  script: string;
  args: string[];
  startedAt: string;
}

/** The JSON file holding a detached process's record; missing or unreadable means no process. */
export class PidFile {
  constructor(private readonly path: string) {}

  async read(): Promise<PidRecord | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    try {
      const record = JSON.parse(text) as Partial<PidRecord>;
      if (Number.isInteger(record.pid) && (record.pid as number) > 0) return record as PidRecord;
    } catch {
      // Falls through: an unreadable pid file says nothing about a process.
    }
    await this.remove();
    return null;
  }

  // Temp file plus rename: a reader (another console) never sees half a pid file.
  async write(record: PidRecord): Promise<void> {
    const temp = `${this.path}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(record)}\n`);
    await rename(temp, this.path);
  }

  remove(): Promise<void> {
    return rm(this.path, { force: true });
  }
}

/**
 * Whether a recorded pid is still our process: false when it is dead or, on Linux, runs another
 * program (the system reuses pids); null when a live pid cannot be checked (no /proc).
 */
export async function isOurProcess(pid: number, script: string): Promise<boolean | null> {
  if (!isAlive(pid)) return false;
  if (process.platform !== 'linux') return null;
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').includes(script);
  } catch {
    return false;
  }
}

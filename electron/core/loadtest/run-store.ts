import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConsoleError } from '../../../stack/console-error';
import { loadtestResultSchema, type LoadtestResult, type LoadtestSummary } from '../../api/schemas/loadtest';

/** A run's id: when it started (sortable, readable in a file list) and a few random hex digits. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

export function summaryOf(r: LoadtestResult): LoadtestSummary {
  return {
    id: r.id,
    status: r.status,
    model: r.spec.model,
    mode: r.spec.mode,
    target: r.spec.target,
    startedAt: r.startedAt,
    steps: r.steps.length,
    knee: r.knee,
    peakThroughput: Math.max(0, ...r.steps.map((s) => s.throughput)),
  };
}

/** Finished runs as JSON files, `<dataDir>/<project>/loadtests/<id>.json`: one file a run, readable without the console. */
export class RunStore {
  constructor(readonly dir: string) {}

  fileOf(id: string): string {
    return join(this.dir, `${id}.json`);
  }

  /** Written whole, then renamed into place: a reader never sees half a file. */
  async save(result: LoadtestResult): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const tmp = `${this.fileOf(result.id)}.tmp`;
    await writeFile(tmp, JSON.stringify(result, null, 2) + '\n');
    await rename(tmp, this.fileOf(result.id));
  }

  async get(id: string): Promise<LoadtestResult> {
    const text = await readFile(this.fileOf(id), 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') throw new ConsoleError('LOADTEST_NOT_FOUND', `There is no load test ${id} (saved runs are in ${this.dir}).`, 404);
      throw err;
    });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = loadtestResultSchema.safeParse(json);
    if (!parsed.success) throw new ConsoleError('LOADTEST_UNREADABLE', `The saved load test ${this.fileOf(id)} is not a result this console can read.`, 422);
    return parsed.data;
  }

  /** Newest first; a file that is not a readable result is left out rather than failing the list. */
  async list(): Promise<LoadtestSummary[]> {
    const names = await readdir(this.dir).catch(() => []);
    const ids = names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -'.json'.length));
    const results = await Promise.all(ids.map((id) => this.get(id).catch(() => null)));
    return results
      .filter((r): r is LoadtestResult => r !== null)
      .map(summaryOf)
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }
}

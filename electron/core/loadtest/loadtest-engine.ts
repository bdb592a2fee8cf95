import { join } from 'node:path';
import { InferenceClient } from '../../../inference/inference-client';
import { resolveModelsDir } from '../../../inference/models-dir';
import { ConsoleError, userMessage } from '../../../stack/console-error';
import type { LoadtestComparison, LoadtestProgress, LoadtestResult, LoadtestSummary } from '../../api/schemas/loadtest';
import type { Settings } from '../../api/schemas/settings';
import type { StackStatus } from '../../api/schemas/stack-status';
import { compareRuns } from './compare-runs';
import { LoadTestRun } from './loadtest-run';
import { preflight } from './preflight';
import { buildRequest } from './request-body';
import { newRunId, RunStore, summaryOf } from './run-store';
import { checkSpec } from './spec-checks';

export interface LoadTestEngineOptions {
  settings: Settings;
  /** The rig's services: the inference workers a run may target. */
  status: () => Promise<StackStatus>;
}

interface Active {
  run: LoadTestRun;
  /** Resolves once the result is saved (or saving it failed, which the result then says). */
  saved: Promise<LoadtestResult>;
}

/**
 * The console's load tests: one run at a time against its own inference workers, checked before
 * anything starts, reported as it goes, saved when it ends. The API handlers and the CLI both
 * drive this one engine.
 */
export class LoadTestEngine {
  readonly store: RunStore;
  private active: Active | null = null;
  /** True while a start is being checked: a second start then is refused too, not raced. */
  private starting = false;
  private readonly listeners = new Set<(p: LoadtestProgress) => void>();

  constructor(private readonly options: LoadTestEngineOptions) {
    const { dataDir, project } = options.settings;
    this.store = new RunStore(join(dataDir, project, 'loadtests'));
  }

  onProgress(listener: (p: LoadtestProgress) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Checks the spec against the rig, the model and one trial request, then starts the run and returns its id. */
  async start(spec: unknown): Promise<{ id: string }> {
    if (this.starting || this.active) {
      const which = this.active ? `Load test ${this.active.run.result.id} is running` : 'A load test is starting';
      throw new ConsoleError('LOADTEST_BUSY', `${which}: one run at a time. Cancel it or wait until it ends.`, 409);
    }
    this.starting = true;
    try {
      const checked = await checkSpec(spec, { status: this.options.status, models: (url) => new InferenceClient(url).models() });
      const request = await buildRequest(checked.spec, checked.model, resolveModelsDir(this.options.settings.inference.modelsDir));
      await preflight(checked.targets, request);
      const run = new LoadTestRun({ ...checked, id: newRunId(), request }, (p) => this.emit(p));
      this.active = { run, saved: run.finished.then((result) => this.finish(run, result)) };
      return { id: run.result.id };
    } finally {
      this.starting = false;
    }
  }

  /** Stops a running test at once and resolves once its result is saved; false for a run already over. */
  async cancel(id: string): Promise<{ id: string; cancelled: boolean }> {
    const active = this.active;
    if (active?.run.result.id !== id) {
      await this.store.get(id);
      return { id, cancelled: false };
    }
    active.run.cancel();
    await active.saved;
    return { id, cancelled: true };
  }

  /** The run's final result, once saved: what the CLI waits for. */
  async finished(id: string): Promise<LoadtestResult> {
    const active = this.active;
    return active?.run.result.id === id ? active.saved : this.store.get(id);
  }

  async list(): Promise<{ runs: LoadtestSummary[] }> {
    const saved = await this.store.list();
    const running = this.active ? [summaryOf(this.active.run.result)] : [];
    // A run being saved is on disk and still active for a moment: listed once.
    return { runs: [...running, ...saved.filter((s) => s.id !== running[0]?.id)] };
  }

  /** A run (the one under way as far as it got), compared with a baseline when one is named. */
  async get(id: string, baselineId?: string): Promise<{ result: LoadtestResult; comparison: LoadtestComparison | null }> {
    const active = this.active?.run.result.id === id ? this.active.run.result : null;
    const result = active ? structuredClone(active) : await this.store.get(id);
    return { result, comparison: baselineId ? compareRuns(result, await this.store.get(baselineId)) : null };
  }

  /** Stops a running test (the console is closing): nothing of it stays open. */
  close(): void {
    this.active?.run.cancel();
  }

  private async finish(run: LoadTestRun, result: LoadtestResult): Promise<LoadtestResult> {
    await this.store.save(result).catch((err: unknown) => {
      result.status = 'failed';
      result.error = `The result could not be saved to ${this.store.fileOf(result.id)}: ${userMessage(err)}`;
    });
    this.active = null;
    this.emit(run.lastProgress());
    return result;
  }

  private emit(p: LoadtestProgress): void {
    for (const l of this.listeners) l(p);
  }
}

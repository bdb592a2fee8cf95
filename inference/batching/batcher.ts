import type { LoadedModel } from '../model-registry';
import { batchPlace, joinFeeds, splitResults, type Feeds, type Results } from './batch-join';

export interface ModelRun {
  results: Results;
  /** How long the session.run that answered took (a batch's, for each of its requests). */
  inferenceMs: number;
}

/** One session.run, its failure already the answer a request gets (so the same batched or not). */
export type RunSession = (model: LoadedModel, feeds: Feeds, fetches: string[]) => Promise<ModelRun>;

export interface BatchObserver {
  /** Rows of a session.run whose results went to its requests. */
  batch(model: string, rows: number): void;
  /** Seconds a request waited from arriving to its run starting. */
  queued(model: string, seconds: number): void;
}

interface Waiting {
  feeds: Feeds;
  rows: number;
  since: number;
  resolve(run: ModelRun): void;
  reject(err: unknown): void;
}

interface Queue {
  model: LoadedModel;
  key: string;
  fetches: string[];
  waiting: Waiting[];
  rows: number;
  timer: NodeJS.Timeout;
  /** Waited long enough, or full: it runs at the model's next free slot. */
  due: boolean;
}

/**
 * Triton's dynamic batcher for onnxruntime sessions: concurrent requests to a model that can join
 * (batch-join.ts) wait in a queue, which is due to become one session.run when its rows reach the
 * model's max batch size or its oldest request has waited max_queue_delay_ms. It runs when the
 * model has a free run slot (run-slots.ts); until then a queue not yet full keeps taking rows, so
 * a busy model runs bigger batches. A request too big for a batch, or that cannot join one, runs
 * alone at the next free slot.
 */
export class Batcher {
  /** Per model, per batch key, the queue that is filling (keyed by the loaded model, so a reload starts afresh). */
  private readonly queues = new WeakMap<LoadedModel, Map<string, Queue>>();

  constructor(
    private readonly runSession: RunSession,
    private readonly observe: BatchObserver,
  ) {}

  run(model: LoadedModel, feeds: Feeds, fetches: string[]): Promise<ModelRun> {
    const { key, rows } = batchPlace(model.inputs, feeds, fetches);
    return new Promise((resolve, reject) => {
      const waiting: Waiting = { feeds, rows, since: performance.now(), resolve, reject };
      if (key === null || rows >= model.batching.maxBatchSize) void model.slots.use(() => this.dispatch(model, fetches, [waiting]));
      else this.enqueue(model, key, fetches, waiting);
    });
  }

  private enqueue(model: LoadedModel, key: string, fetches: string[], waiting: Waiting): void {
    let queues = this.queues.get(model);
    if (!queues) this.queues.set(model, (queues = new Map()));
    let queue = queues.get(key);
    // Rows are never split across runs: a request that would overfill the queue starts the next one.
    if (queue && queue.rows + waiting.rows > model.batching.maxBatchSize) {
      this.close(queue);
      queue = undefined;
    }
    if (!queue) {
      const fresh: Queue = { model, key, fetches, waiting: [], rows: 0, timer: setTimeout(() => this.due(fresh), model.batching.maxQueueDelayMs), due: false };
      queues.set(key, (queue = fresh));
    }
    queue.waiting.push(waiting);
    queue.rows += waiting.rows;
    if (queue.rows >= model.batching.maxBatchSize) this.close(queue);
  }

  /** Full: no more rows join it; it runs at the next free slot. */
  private close(queue: Queue): void {
    this.detach(queue);
    this.due(queue);
  }

  private due(queue: Queue): void {
    clearTimeout(queue.timer);
    if (queue.due) return;
    queue.due = true;
    void queue.model.slots.use(() => {
      this.detach(queue);
      return this.dispatch(queue.model, queue.fetches, queue.waiting);
    });
  }

  /** Requests from now on start the next queue. */
  private detach(queue: Queue): void {
    const queues = this.queues.get(queue.model);
    if (queues?.get(queue.key) === queue) queues.delete(queue.key);
  }

  /** Runs in the slot it was given. */
  private async dispatch(model: LoadedModel, fetches: string[], waiting: Waiting[]): Promise<void> {
    const started = performance.now();
    for (const w of waiting) this.observe.queued(model.name, (started - w.since) / 1000);
    const runs = waiting.length > 1 ? await this.joined(model, fetches, waiting) : null;
    if (runs) waiting.forEach((w, i) => w.resolve(runs[i]!));
    // Alone, each request gets the answer (or the error) it gets unbatched; one after another, in the one slot.
    else for (const w of waiting) await this.alone(model, fetches, w);
  }

  /** One run for all, cut per request; null where it failed or cannot be cut, for each to run alone. */
  private async joined(model: LoadedModel, fetches: string[], waiting: Waiting[]): Promise<ModelRun[] | null> {
    let run: ModelRun;
    try {
      run = await this.runSession(model, joinFeeds(waiting.map((w) => w.feeds)), fetches);
    } catch {
      return null;
    }
    const parts = splitResults(run.results, waiting.map((w) => w.rows));
    if (!parts) return null;
    this.observe.batch(model.name, waiting.reduce((rows, w) => rows + w.rows, 0));
    return parts.map((results) => ({ results, inferenceMs: run.inferenceMs }));
  }

  private async alone(model: LoadedModel, fetches: string[], waiting: Waiting): Promise<void> {
    try {
      const run = await this.runSession(model, waiting.feeds, fetches);
      this.observe.batch(model.name, waiting.rows);
      waiting.resolve(run);
    } catch (err) {
      waiting.reject(err);
    }
  }
}

import { createRequire } from 'node:module';
import { sep } from 'node:path';
import { Worker } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import type { Feeds, Results } from '../batching/batch-join';

/** What runs a model: onnxruntime's own session, or the threads below (both answer run and release). */
export interface ModelSession {
  run(feeds: Feeds, fetches: string[]): Promise<Results>;
  release(): Promise<void>;
}

/** A tensor as it crosses between threads: structured-clone friendly. */
interface PlainTensor {
  type: ort.Tensor.Type;
  dims: readonly number[];
  data: ort.Tensor['data'];
}

/** In the packaged app, the unpacked copy (electron-builder.yml's asarUnpack): a thread's require has no asar support to rely on. */
const ORT_ENTRY = createRequire(import.meta.url).resolve('onnxruntime-node').replace(`app.asar${sep}`, `app.asar.unpacked${sep}`);

/**
 * Each thread's whole program, plain CommonJS given onnxruntime's resolved path, so it runs the
 * same from the sources, the bundle, the image and the packaged app with no file of its own.
 */
const THREAD_PROGRAM = `
const { parentPort, workerData } = require('node:worker_threads');
const ort = require(workerData.ort);
const message = (err) => String((err && err.message) || err);
ort.InferenceSession.create(workerData.model, workerData.options).then((session) => {
  parentPort.postMessage({ ready: true });
  parentPort.on('message', async (m) => {
    if (m.release) {
      await session.release().catch(() => {});
      parentPort.postMessage({ released: true });
      return;
    }
    try {
      const feeds = {};
      for (const [name, t] of Object.entries(m.feeds)) feeds[name] = new ort.Tensor(t.type, t.data, t.dims);
      const results = await session.run(feeds, m.fetches);
      const out = {};
      for (const [name, t] of Object.entries(results)) out[name] = { type: t.type, dims: t.dims, data: t.data };
      parentPort.postMessage({ id: m.id, results: out });
    } catch (err) {
      parentPort.postMessage({ id: m.id, error: message(err) });
    }
  });
}, (err) => parentPort.postMessage({ ready: false, error: message(err) }));
`;

/** A view's own bytes: cloning a view clones its whole buffer (a pooled slab, a request body). */
function own(data: ort.Tensor['data']): ort.Tensor['data'] {
  if (Array.isArray(data)) return data;
  const view = data as ArrayBufferView;
  return view.byteOffset === 0 && view.byteLength === view.buffer.byteLength ? data : ((data as Float32Array).slice() as ort.Tensor['data']);
}

interface Pending {
  resolve(results: Results): void;
  reject(err: Error): void;
}

/** One thread with its own session of the model. */
class SessionThread {
  readonly pending = new Map<number, Pending>();
  private ended: Error | null = null;
  private nextId = 0;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: { id: number; results?: Record<string, PlainTensor>; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve(Object.fromEntries(Object.entries(m.results!).map(([name, t]) => [name, new ort.Tensor(t.type, t.data as Float32Array, t.dims)])));
    });
    const end = (err: Error) => {
      this.ended = err;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    worker.on('error', end);
    worker.on('exit', (code) => end(new Error(`the model's run thread ended (exit code ${code})`)));
  }

  static open(model: Uint8Array, options: ort.InferenceSession.SessionOptions): Promise<SessionThread> {
    const worker = new Worker(THREAD_PROGRAM, { eval: true, workerData: { ort: ORT_ENTRY, model, options } });
    return new Promise((resolve, reject) => {
      worker.once('message', (m: { ready: boolean; error?: string }) => {
        if (m.ready) resolve(new SessionThread(worker));
        else void worker.terminate().finally(() => reject(new Error(m.error)));
      });
      worker.once('error', reject);
    });
  }

  run(feeds: Feeds, fetches: string[]): Promise<Results> {
    if (this.ended) return Promise.reject(this.ended);
    const id = this.nextId++;
    const plain = Object.fromEntries(Object.entries(feeds).map(([name, t]): [string, PlainTensor] => [name, { type: t.type, dims: t.dims, data: own(t.data) }]));
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, feeds: plain, fetches });
    });
  }

  async release(): Promise<void> {
    if (!this.ended) {
      await new Promise<void>((resolve) => {
        this.worker.once('message', () => resolve());
        this.worker.once('exit', () => resolve());
        this.worker.postMessage({ release: true });
      });
    }
    await this.worker.terminate();
  }
}

/**
 * A model's runs off the event loop. onnxruntime-node runs a session on the thread that calls it,
 * so on the main thread every run stops HTTP parsing, image decoding's callbacks and every other
 * request for its whole length (measured: a 14 ms run, 14 ms of event loop delay). Here each of
 * `count` threads holds its own session of the model, and a run goes to an idle one: the main
 * thread reads the next requests while the threads run. The model's run slots keep at most
 * `count` runs in flight, so a thread is free whenever a slot is.
 */
export class SessionThreads implements ModelSession {
  private constructor(private readonly threads: SessionThread[]) {}

  static async open(model: Uint8Array, options: ort.InferenceSession.SessionOptions, count: number): Promise<SessionThreads> {
    const opened = await Promise.allSettled(Array.from({ length: count }, () => SessionThread.open(model, options)));
    const threads = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const failed = opened.find((o) => o.status === 'rejected');
    if (failed) {
      await Promise.all(threads.map((t) => t.release()));
      throw failed.reason;
    }
    return new SessionThreads(threads);
  }

  run(feeds: Feeds, fetches: string[]): Promise<Results> {
    const thread = this.threads.reduce((least, t) => (t.pending.size < least.pending.size ? t : least));
    return thread.run(feeds, fetches);
  }

  async release(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.release()));
  }
}

/** Runs that hold the event loop less than this stay on the main thread: a thread's round trip (0.1-0.3 ms) would cost more. */
export const MOVE_AFTER_MS = 1;
/** The runs judged: each of them must have held the loop MOVE_AFTER_MS or more. */
const JUDGED_RUNS = 8;

/**
 * How long a main-thread run holds the event loop, not how long its promise took (which a busy
 * loop stretches for a light model too): onnxruntime-node runs the session in a setImmediate
 * callback, so callbacks queued just before and just after it bracket the run itself.
 */
async function timeBlocking<T>(run: () => Promise<T>): Promise<{ result: T; blockedMs: number }> {
  const before = new Promise<number>((resolve) => setImmediate(() => resolve(performance.now())));
  const running = run();
  const after = new Promise<number>((resolve) => setImmediate(() => resolve(performance.now())));
  // All three awaited at once: a failing run is handled from the start, never an unhandled rejection.
  const [start, result, end] = await Promise.all([before, running, after]);
  return { result, blockedMs: end - start };
}

/**
 * A cpu model's session: on the main thread while its runs are light, on threads of its own
 * (SessionThreads) for good once each of its last JUDGED_RUNS runs held the event loop
 * MOVE_AFTER_MS or more. The main-thread session is released once its last run ends; threads that
 * cannot open leave the model where it was.
 */
export class AdaptiveSession implements ModelSession {
  private threads: SessionThreads | null = null;
  private moving: Promise<void> | null = null;
  private readonly recent: number[] = [];
  private mainRuns = 0;
  private mainReleased = false;
  /** Dropped once used: it holds the model's file bytes, which the threads no longer need. */
  private openThreads: (() => Promise<SessionThreads>) | null;

  constructor(
    private readonly main: ModelSession,
    openThreads: () => Promise<SessionThreads>,
  ) {
    this.openThreads = openThreads;
  }

  get onThreads(): boolean {
    return this.threads !== null;
  }

  async run(feeds: Feeds, fetches: string[]): Promise<Results> {
    if (this.threads) return this.threads.run(feeds, fetches);
    this.mainRuns++;
    try {
      const { result, blockedMs } = await timeBlocking(() => this.main.run(feeds, fetches));
      this.judge(blockedMs);
      return result;
    } finally {
      this.mainRuns--;
      this.releaseMainWhenMoved();
    }
  }

  async release(): Promise<void> {
    await this.moving;
    await this.threads?.release();
    if (!this.mainReleased) {
      this.mainReleased = true;
      await this.main.release();
    }
  }

  private judge(ms: number): void {
    this.recent.push(ms);
    if (this.recent.length > JUDGED_RUNS) this.recent.shift();
    if (!this.openThreads || this.recent.length < JUDGED_RUNS || Math.min(...this.recent) < MOVE_AFTER_MS) return;
    const open = this.openThreads;
    this.openThreads = null;
    this.moving = open().then(
      (threads) => {
        this.threads = threads;
        this.releaseMainWhenMoved();
      },
      () => undefined,
    );
  }

  private releaseMainWhenMoved(): void {
    if (!this.threads || this.mainRuns > 0 || this.mainReleased) return;
    this.mainReleased = true;
    void this.main.release();
  }
}

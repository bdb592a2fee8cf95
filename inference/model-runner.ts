import { Batcher, type ModelRun } from './batching/batcher';
import type { Feeds } from './batching/batch-join';
import { InferenceError } from './inference-errors';
import type { InferenceMetrics } from './metrics';
import type { LoadedModel } from './model-registry';
import { runFailure } from './run-errors';

const RETRY_AFTER_SECONDS = 1;

/** One session.run, timed, its failure turned into the sentence the request is answered with. */
async function runSession(model: LoadedModel, feeds: Feeds, fetches: string[]): Promise<ModelRun> {
  const started = performance.now();
  try {
    const results = await model.session.run(feeds, fetches);
    return { results, inferenceMs: performance.now() - started };
  } catch (err) {
    throw runFailure(err, model.inputs, feeds);
  }
}

/**
 * What every inference route shares, the seed's /predict and the Open Inference Protocol's
 * /infer alike: the limit on predictions at once, and one run of a model (joined with others
 * where the model is served with batching) with its metrics and its failures turned into sentences.
 */
export class ModelRunner {
  private inFlight = 0;
  private readonly batcher: Batcher;

  constructor(
    private readonly metrics: InferenceMetrics,
    private readonly maxConcurrent: number,
  ) {
    this.batcher = new Batcher(runSession, {
      batch: (model, rows) => metrics.batchSize.observe({ model }, rows),
      queued: (model, seconds) => metrics.queueDuration.observe({ model }, seconds),
    });
  }

  /**
   * An onRequest hook: counted from the first byte, before the body is read and parsed, so a
   * flood of large bodies is refused at once (503 with Retry-After) rather than buffered without bound.
   * The refusal closes its connection, as HTTP/1.1 asks of a server that answers before reading the
   * body: the unread rest must not be taken for the connection's next request.
   */
  readonly admit = async (_request: unknown, reply: { header(name: string, value: string): unknown; raw: { once(event: 'close', listener: () => void): unknown } }): Promise<void> => {
    if (this.inFlight >= this.maxConcurrent) {
      reply.header('connection', 'close');
      const err = new InferenceError('TOO_MANY_REQUESTS', `${this.maxConcurrent} predictions are already running; retry in ${RETRY_AFTER_SECONDS} s.`, 503);
      err.retryAfter = RETRY_AFTER_SECONDS;
      throw err;
    }
    this.inFlight++;
    reply.raw.once('close', () => this.inFlight--);
  };

  /** Runs the model on the feeds, answering only the outputs `fetches` names. */
  async run(model: LoadedModel, feeds: Feeds, fetches: string[]): Promise<ModelRun> {
    const run = await (model.batching.maxBatchSize > 1 ? this.batcher.run(model, feeds, fetches) : model.slots.use(() => runSession(model, feeds, fetches))).catch((err: unknown) => {
      this.metrics.predictionFailures.inc({ model: model.name });
      throw err;
    });
    // Per request, as before batching: a batch's run time counts once for each request it answered.
    this.metrics.inferenceDuration.observe({ model: model.name }, run.inferenceMs / 1000);
    this.metrics.predictions.inc({ model: model.name });
    model.inferenceCount++;
    return run;
  }
}

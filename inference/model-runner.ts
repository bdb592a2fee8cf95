import type * as ort from 'onnxruntime-node';
import { InferenceError } from './inference-errors';
import type { InferenceMetrics } from './metrics';
import type { LoadedModel } from './model-registry';
import { runFailure } from './run-errors';

const RETRY_AFTER_SECONDS = 1;

export interface ModelRun {
  results: ort.InferenceSession.OnnxValueMapType;
  inferenceMs: number;
}

/**
 * What every inference route shares, the seed's /predict and the Open Inference Protocol's
 * /infer alike: the limit on predictions at once, and one run of a model with its metrics and
 * its failures turned into sentences.
 */
export class ModelRunner {
  private inFlight = 0;

  constructor(
    private readonly metrics: InferenceMetrics,
    private readonly maxConcurrent: number,
  ) {}

  /**
   * An onRequest hook: counted from the first byte, before the body is read and parsed, so a
   * flood of large bodies is refused at once (503 with Retry-After) rather than buffered without bound.
   */
  readonly admit = async (_request: unknown, reply: { raw: { once(event: 'close', listener: () => void): unknown } }): Promise<void> => {
    if (this.inFlight >= this.maxConcurrent) {
      const err = new InferenceError('TOO_MANY_REQUESTS', `${this.maxConcurrent} predictions are already running; retry in ${RETRY_AFTER_SECONDS} s.`, 503);
      err.retryAfter = RETRY_AFTER_SECONDS;
      throw err;
    }
    this.inFlight++;
    reply.raw.once('close', () => this.inFlight--);
  };

  /** Runs the model on the feeds (only the outputs `fetches` names, when given). */
  async run(model: LoadedModel, feeds: Record<string, ort.Tensor>, fetches?: string[]): Promise<ModelRun> {
    const started = performance.now();
    let results: ort.InferenceSession.OnnxValueMapType;
    try {
      results = fetches ? await model.session.run(feeds, fetches) : await model.session.run(feeds);
    } catch (err) {
      throw runFailure(err, model.inputs, feeds);
    }
    const inferenceMs = performance.now() - started;
    this.metrics.inferenceDuration.observe({ model: model.name }, inferenceMs / 1000);
    this.metrics.predictions.inc({ model: model.name });
    model.inferenceCount++;
    return { results, inferenceMs };
  }
}

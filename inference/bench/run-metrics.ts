import { INFERENCE_METRICS } from '../metric-names';

/** What the service measured of a model's requests between two scrapes. */
export interface RunMetrics {
  /** Mean session.run per request (a batch's run counts for each request it answered). */
  runMs: number;
  /** Mean rows per session.run. */
  batchSize: number;
  /** Mean wait from arrival to the run starting (0 unbatched: the queue is the batcher's). */
  queueMs: number;
}

interface Totals {
  sums: number[];
  counts: number[];
  since(before: Totals): RunMetrics;
}

const HISTOGRAMS = [INFERENCE_METRICS.inferenceDuration.name, INFERENCE_METRICS.batchSize.name, INFERENCE_METRICS.queueDuration.name];

/** Each model's histogram sums and counts from the service's /metrics. */
export async function runMetrics(url: string, models: string[]): Promise<Totals[]> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (name: string, model: string) => {
    const m = new RegExp(`^${name}\\{model="${model}"\\} (\\S+)$`, 'm').exec(text);
    return m ? Number(m[1]) : 0;
  };
  return models.map((model) => {
    const sums = HISTOGRAMS.map((h) => value(`${h}_sum`, model));
    const counts = HISTOGRAMS.map((h) => value(`${h}_count`, model));
    return {
      sums,
      counts,
      since(before) {
        const mean = (i: number) => (sums[i]! - before.sums[i]!) / Math.max(1, counts[i]! - before.counts[i]!);
        return { runMs: mean(0) * 1000, batchSize: mean(1), queueMs: mean(2) * 1000 };
      },
    };
  });
}

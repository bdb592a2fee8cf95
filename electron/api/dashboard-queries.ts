import { INFERENCE_METRICS } from '../../inference/metric-names';
import { scoped } from './dashboards/scope';

/**
 * The PromQL of the seed's "API Overview" dashboard and the console's extra panels, written once:
 * the Grafana dashboard and the console's Metrics page both draw from here. Corrected as the
 * seed's defects demand: sums before ratios, `sum by (le)` before `histogram_quantile`. Every
 * selector is a worker's, narrowed by the rig and GPU selection (dashboards/scope.ts).
 */

const { requests, requestDuration, inferenceDuration, modelsLoaded, memory, gpuMemory } = INFERENCE_METRICS;

/** A worker series' selector, narrowed by rig and `gpu`. */
export const worker = (metric: string, matchers?: string) => scoped(metric, 'gpu', matchers);

/** Requests per second, of one status class (`5..`) or all. */
export const requestRate = (statusClass?: string) => `sum(rate(${worker(requests.name, statusClass ? `status=~"${statusClass}"` : '')}[1m]))`;

/** Share of requests answered 5xx; `or vector(0)`: traffic without a 5xx series yet is 0 %, not "no data". */
export const errorShare = `(sum(rate(${worker(requests.name, 'status=~"5.."')}[5m])) or vector(0)) / sum(rate(${worker(requests.name)}[5m]))`;

/** A quantile (0.95 = P95) of whole-request latency, in seconds. */
export const latencyQuantile = (q: number) => `histogram_quantile(${q}, sum by (le) (rate(${worker(`${requestDuration.name}_bucket`)}[5m])))`;

export const modelsLoadedCount = `sum(${worker(modelsLoaded.name, 'status="success"')})`;

/** P95 of model runs alone, per model. */
export const inferenceP95ByModel = `histogram_quantile(0.95, sum by (le, model) (rate(${worker(`${inferenceDuration.name}_bucket`)}[5m])))`;

export const memoryBytes = `sum(${worker(memory.name)})`;
export const gpuMemoryBytes = `sum(${worker(gpuMemory.name)})`;

/** One line of a chart: its PromQL and its legend (`{{label}}` takes a label's value). */
export interface QuerySeries {
  query: string;
  legend: string;
}

/** Request rate in total and by status class, as the seed's "by status" panel draws it. */
export const requestRateByStatus: QuerySeries[] = [
  { query: requestRate(), legend: 'total' },
  ...['2', '4', '5'].map((c) => ({ query: requestRate(`${c}..`), legend: `${c}xx` })),
];

/** P50, P95 and P99 of whole-request latency. */
export const latencyPercentiles: QuerySeries[] = [0.5, 0.95, 0.99].map((q) => ({ query: latencyQuantile(q), legend: `P${Math.round(q * 100)}` }));

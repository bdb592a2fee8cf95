import { INFERENCE_METRICS } from '../../../inference/metric-names';
import { worker } from '../dashboard-queries';
import type { Dashboard } from './dashboard';

const { requests, inferenceDuration, predictions, predictionFailures, batchSize, queueDuration } = INFERENCE_METRICS;

const QUANTILES = [0.5, 0.95, 0.99];
const quantileBy = (q: number, histogram: string, by: string) => `histogram_quantile(${q}, sum by (le, ${by}) (rate(${worker(`${histogram}_bucket`)}[5m])))`;
/** A worker is its GPU on its rig (`rig-b card0`), whatever address it is scraped at. */
const WORKER_LEGEND = '{{rig}} {{gpu}}';
const NOT_SCRAPED = 'No data: no model has answered a request in this range, or the inference service is not being scraped.';

/** The seed's promised "Model Inference" dashboard: per model, then per worker (one per GPU). */
export const MODEL_INFERENCE: Dashboard = {
  id: 'model-inference',
  title: 'Model Inference',
  description: 'Per model: predictions, inference time, failures, and batching where a model is served with it; then per worker.',
  panels: [
    {
      id: 'model-predictions',
      title: 'Predictions per second, by model',
      unit: 'reqps',
      series: [{ query: `sum by (model) (rate(${worker(predictions.name)}[1m]))`, legend: '{{model}}' }],
      noData: NOT_SCRAPED,
      source: 'inference',
    },
    {
      id: 'model-inference-time',
      title: 'Inference time by model (P50, P95, P99)',
      unit: 'seconds',
      series: QUANTILES.map((q) => ({ query: quantileBy(q, inferenceDuration.name, 'model'), legend: `{{model}} P${Math.round(q * 100)}` })),
      noData: NOT_SCRAPED,
      source: 'inference',
    },
    {
      id: 'model-failures',
      title: 'Failed runs per second, by model',
      unit: 'reqps',
      series: [{ query: `sum by (model) (rate(${worker(predictionFailures.name)}[5m]))`, legend: '{{model}}' }],
      noData: 'No run of any model has failed since the inference service started (input refused before a run is a 4xx on the Overview dashboard, not a failure here).',
      source: 'inference',
    },
    {
      id: 'model-batch-size',
      title: 'Mean batch size, by model',
      unit: 'count',
      series: [{ query: `sum by (model) (rate(${worker(`${batchSize.name}_sum`)}[5m])) / sum by (model) (rate(${worker(`${batchSize.name}_count`)}[5m]))`, legend: '{{model}}' }],
      noData: 'No model is served with batching: give a model max_batch_size above 1 in its sidecar, or set inference.maxBatchSize (RX580_OPS_INFERENCE_MAX_BATCH_SIZE) above 1.',
      source: 'inference',
    },
    {
      id: 'model-queue-time',
      title: 'Queue time P95, by model',
      unit: 'seconds',
      series: [{ query: quantileBy(0.95, queueDuration.name, 'model'), legend: '{{model}}' }],
      noData: 'No model is served with batching, so no request waits in a queue.',
      source: 'inference',
    },
    {
      id: 'worker-requests',
      title: 'Requests per second, by worker',
      unit: 'reqps',
      series: [{ query: `sum by (rig, gpu) (rate(${worker(requests.name)}[1m]))`, legend: WORKER_LEGEND }],
      noData: NOT_SCRAPED,
      source: 'inference',
    },
    {
      id: 'worker-inference-p95',
      title: 'Inference time P95, by worker',
      unit: 'seconds',
      series: [{ query: quantileBy(0.95, inferenceDuration.name, 'rig, gpu'), legend: WORKER_LEGEND }],
      noData: NOT_SCRAPED,
      source: 'inference',
    },
  ],
};

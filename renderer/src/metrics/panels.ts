import type { Unit } from './format';

/** One line of a panel: its PromQL and how its legend reads (`{{label}}` takes a label's value). */
export interface PanelSeries {
  query: string;
  legend: string;
}

export interface Panel {
  id: string;
  title: string;
  unit: Unit;
  series: PanelSeries[];
  /** What no series at all means for this panel, when it means more than "no traffic yet". */
  noData?: string;
}

const requests = (selector = '') => `sum(rate(api_requests_total${selector}[1m]))`;
const latency = (q: number) => `histogram_quantile(${q}, sum by (le) (rate(api_request_duration_seconds_bucket[5m])))`;

/**
 * The Metrics page: the seed dashboard's six panels ("RX580 API - Overview"), corrected as the
 * seed's defects demand (ratios of sums, `sum by (le)` before `histogram_quantile`), plus
 * inference duration, memory and GPU memory. `status` holds the HTTP code as a string.
 */
export const PANELS: Panel[] = [
  { id: 'request-rate', title: 'Request rate', unit: 'reqps', series: [{ query: requests(), legend: 'requests' }] },
  {
    id: 'error-rate',
    title: 'Error rate (5xx)',
    unit: 'ratio',
    // `or vector(0)`: with traffic but no 5xx series yet, the share is 0 %, not "no data".
    series: [{ query: `(sum(rate(api_requests_total{status=~"5.."}[5m])) or vector(0)) / sum(rate(api_requests_total[5m]))`, legend: '5xx share' }],
  },
  { id: 'p95-latency', title: 'P95 latency', unit: 'seconds', series: [{ query: latency(0.95), legend: 'P95' }] },
  { id: 'models-loaded', title: 'Models loaded', unit: 'count', series: [{ query: 'sum(models_loaded_total{status="success"})', legend: 'loaded' }] },
  {
    id: 'requests-by-status',
    title: 'Request rate by status class',
    unit: 'reqps',
    series: [
      { query: requests(), legend: 'total' },
      { query: requests('{status=~"2.."}'), legend: '2xx' },
      { query: requests('{status=~"4.."}'), legend: '4xx' },
      { query: requests('{status=~"5.."}'), legend: '5xx' },
    ],
  },
  {
    id: 'latency-percentiles',
    title: 'Response latency percentiles',
    unit: 'seconds',
    series: [
      { query: latency(0.5), legend: 'P50' },
      { query: latency(0.95), legend: 'P95' },
      { query: latency(0.99), legend: 'P99' },
    ],
  },
  {
    id: 'inference-duration',
    title: 'Inference duration (P95 by model)',
    unit: 'seconds',
    series: [{ query: 'histogram_quantile(0.95, sum by (le, model) (rate(inference_duration_seconds_bucket[5m])))', legend: '{{model}}' }],
  },
  { id: 'memory', title: 'Memory', unit: 'bytes', series: [{ query: 'sum(memory_usage_bytes)', legend: 'memory' }] },
  {
    id: 'gpu-memory',
    title: 'GPU memory',
    unit: 'bytes',
    series: [{ query: 'sum(gpu_memory_usage_bytes)', legend: 'GPU memory' }],
    noData: 'No data: the inference service reports GPU memory only where the amdgpu driver shows an AMD card, and none was found (or it is not being scraped).',
  },
];

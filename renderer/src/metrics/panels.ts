import { errorShare, gpuMemoryBytes, inferenceP95ByModel, latencyQuantile, memoryBytes, modelsLoadedCount, requestRate } from '../../../stack/dashboard-queries';
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


/**
 * The Metrics page: the seed dashboard's six panels ("RX580 API - Overview") plus inference
 * duration, memory and GPU memory, with the same PromQL as the Grafana dashboard
 * (stack/dashboard-queries.ts).
 */
export const PANELS: Panel[] = [
  { id: 'request-rate', title: 'Request rate', unit: 'reqps', series: [{ query: requestRate(), legend: 'requests' }] },
  {
    id: 'error-rate',
    title: 'Error rate (5xx)',
    unit: 'ratio',
    series: [{ query: errorShare, legend: '5xx share' }],
  },
  { id: 'p95-latency', title: 'P95 latency', unit: 'seconds', series: [{ query: latencyQuantile(0.95), legend: 'P95' }] },
  { id: 'models-loaded', title: 'Models loaded', unit: 'count', series: [{ query: modelsLoadedCount, legend: 'loaded' }] },
  {
    id: 'requests-by-status',
    title: 'Request rate by status class',
    unit: 'reqps',
    series: [
      { query: requestRate(), legend: 'total' },
      { query: requestRate('2..'), legend: '2xx' },
      { query: requestRate('4..'), legend: '4xx' },
      { query: requestRate('5..'), legend: '5xx' },
    ],
  },
  {
    id: 'latency-percentiles',
    title: 'Response latency percentiles',
    unit: 'seconds',
    series: [
      { query: latencyQuantile(0.5), legend: 'P50' },
      { query: latencyQuantile(0.95), legend: 'P95' },
      { query: latencyQuantile(0.99), legend: 'P99' },
    ],
  },
  {
    id: 'inference-duration',
    title: 'Inference duration (P95 by model)',
    unit: 'seconds',
    series: [{ query: inferenceP95ByModel, legend: '{{model}}' }],
  },
  { id: 'memory', title: 'Memory', unit: 'bytes', series: [{ query: memoryBytes, legend: 'memory' }] },
  {
    id: 'gpu-memory',
    title: 'GPU memory',
    unit: 'bytes',
    series: [{ query: gpuMemoryBytes, legend: 'GPU memory' }],
    noData: 'No data: the inference service reports GPU memory only where the amdgpu driver shows an AMD card, and none was found (or it is not being scraped).',
  },
];

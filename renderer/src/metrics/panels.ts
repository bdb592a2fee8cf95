import {
  errorShare,
  gpuMemoryBytes,
  inferenceP95ByModel,
  latencyPercentiles,
  latencyQuantile,
  memoryBytes,
  modelsLoadedCount,
  requestRate,
  requestRateByStatus,
  type QuerySeries,
} from '../../../electron/api/dashboard-queries';
import type { Unit } from './format';


export interface Panel {
  id: string;
  title: string;
  unit: Unit;
  series: QuerySeries[];
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
    series: requestRateByStatus,
  },
  {
    id: 'latency-percentiles',
    title: 'Response latency percentiles',
    unit: 'seconds',
    series: latencyPercentiles,
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

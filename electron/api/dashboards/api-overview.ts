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
} from '../dashboard-queries';
import type { Dashboard, DashboardPanel } from './dashboard';

const api = (p: Omit<DashboardPanel, 'source'>): DashboardPanel => ({ ...p, source: 'inference' });

/**
 * The seed dashboard's six panels ("RX580 API - Overview") plus inference duration, memory and
 * GPU memory, with the same PromQL as the Grafana dashboard (stack/config/grafana-provisioning.ts).
 */
export const API_OVERVIEW: Dashboard = {
  id: 'api-overview',
  title: 'API Overview',
  description: "The seed's API Overview: requests, errors, latency and models loaded, plus inference time and memory.",
  panels: [
    api({ id: 'request-rate', title: 'Request rate', unit: 'reqps', series: [{ query: requestRate(), legend: 'requests' }] }),
    api({ id: 'error-rate', title: 'Error rate (5xx)', unit: 'ratio', series: [{ query: errorShare, legend: '5xx share' }] }),
    api({ id: 'p95-latency', title: 'P95 latency', unit: 'seconds', series: [{ query: latencyQuantile(0.95), legend: 'P95' }] }),
    api({ id: 'models-loaded', title: 'Models loaded', unit: 'count', series: [{ query: modelsLoadedCount, legend: 'loaded' }] }),
    api({ id: 'requests-by-status', title: 'Request rate by status class', unit: 'reqps', series: requestRateByStatus }),
    api({ id: 'latency-percentiles', title: 'Response latency percentiles', unit: 'seconds', series: latencyPercentiles }),
    api({ id: 'inference-duration', title: 'Inference duration (P95 by model)', unit: 'seconds', series: [{ query: inferenceP95ByModel, legend: '{{model}}' }] }),
    api({ id: 'memory', title: 'Memory', unit: 'bytes', series: [{ query: memoryBytes, legend: 'memory' }] }),
    api({
      id: 'gpu-memory',
      title: 'GPU memory',
      unit: 'bytes',
      series: [{ query: gpuMemoryBytes, legend: 'GPU memory' }],
      noData: 'No data: the inference service reports GPU memory only where the amdgpu driver shows an AMD card, and none was found (or it is not being scraped).',
    }),
  ],
};

import type { ModelInfo } from '../../../../inference/api-types';
import type { LoadtestResult, LoadtestStep } from '../../../api/schemas/loadtest';
import type { ServiceStatus, StackStatus } from '../../../api/schemas/stack-status';

/**
 * A model as the service lists it, as far as a load test reads it (its name, inputs and image
 * form): the rest of the service's metadata is left out, so its changes need no edit here.
 */
export function modelInfo(name: string, inputs: ModelInfo['inputs'], image: ModelInfo['image'] = null): ModelInfo {
  return { name, inputs, image } as ModelInfo;
}

export const digits = modelInfo('digits', [{ name: 'image', type: 'float32', shape: [-1, 1, 28, 28], dim_names: ['batch', null, null, null] }], {
  width: 28,
  height: 28,
  channels: 1,
  layout: 'NCHW',
  mean: [0],
  std: [1],
});

/** A worker in the stack's status shape. */
export function worker(id: string, state: ServiceStatus['state'] = 'running', port = 8000): ServiceStatus {
  return { id, name: 'inference', worker: id.replace('inference-', ''), runtime: 'container', enabled: true, image: 'rx580-inference', port, url: `http://127.0.0.1:${port}`, state, health: state === 'running' ? 'healthy' : 'none', containerId: null, pid: null, startedAt: null, restarts: 0 };
}

export function stackStatus(services: ServiceStatus[]): StackStatus {
  return { project: 'test', engine: { reachable: true, endpoint: 'unix:///var/run/docker.sock', version: '28', message: null }, services, operation: 'idle', lastError: null };
}

/** A step of a sweep: its load, throughput and p95 (ms), the other percentiles around it. */
export function step(index: number, load: number, throughput: number, p95: number | null, cutShort = false): LoadtestStep {
  const latencyMs = p95 === null ? null : { p50: p95 / 2, p90: p95 * 0.9, p95, p99: p95 * 1.2, max: p95 * 1.5, mean: p95 / 2 };
  return { index, load, durationS: 1, requests: Math.round(throughput), throughput, latencyMs, errors: {}, cutShort };
}

export function result(id: string, steps: LoadtestStep[], model = 'digits'): LoadtestResult {
  return {
    id,
    status: 'completed',
    error: null,
    spec: { mode: 'closed', concurrency: steps.map((s) => s.load), model, target: 'all', duration: 1, warmup: 0, input: { kind: 'sample' }, protocol: 'json' },
    targets: [{ id: 'inference', url: 'http://127.0.0.1:8000' }],
    request: { path: '/predict', bytes: 100 },
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:10.000Z',
    steps,
    knee: null,
  };
}

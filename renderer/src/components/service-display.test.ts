import { describe, expect, it } from 'vitest';
import type { ServiceStatus } from '../../../electron/api/schemas/stack-status';
import { describeService, serviceTitle } from './service-display';

const base: ServiceStatus = {
  id: 'prometheus',
  name: 'prometheus',
  worker: null,
  runtime: 'container',
  enabled: true,
  image: 'prom/prometheus',
  port: 9090,
  url: 'http://127.0.0.1:9090',
  state: 'running',
  health: 'healthy',
  containerId: 'abc',
  pid: null,
  startedAt: null,
  restarts: 0,
};

describe('describeService', () => {
  it.each([
    [{}, 'Healthy', 'ok'],
    [{ health: 'starting' }, 'Starting', 'busy'],
    [{ health: 'unhealthy' }, 'Unhealthy', 'bad'],
    [{ state: 'restarting', health: 'none' }, 'Restarting', 'bad'],
    [{ state: 'exited', health: 'none' }, 'Stopped', 'off'],
    [{ state: 'missing', health: 'none' }, 'Stopped', 'off'],
    [{ enabled: false, state: 'missing' }, 'Off', 'off'],
  ] as const)('%j -> %s', (patch, label, tone) => {
    expect(describeService({ ...base, ...patch } as ServiceStatus)).toEqual({ label, tone });
  });
});

describe('serviceTitle', () => {
  it.each([
    [{ name: 'prometheus', worker: null, runtime: 'container' }, 'Prometheus'],
    [{ name: 'inference', worker: 'cpu', runtime: 'container' }, 'Inference service'],
    [{ name: 'inference', worker: 'card1', runtime: 'container' }, 'Inference service · card1'],
    [{ name: 'inference', worker: 'cpu0', runtime: 'container' }, 'Inference service · cpu0'],
    [{ name: 'inference', worker: null, runtime: 'host' }, 'Inference service (host process)'],
  ] as const)('%j is called %s', (s, title) => {
    expect(serviceTitle(s)).toBe(title);
  });
});

import { describe, expect, it } from 'vitest';
import type { ServiceStatus } from '../../../stack/stack-status';
import type { ProcessStatus } from '../../../electron/process/process-status';
import { describeProcess, describeService } from './service-display';

const base: ServiceStatus = {
  name: 'prometheus',
  enabled: true,
  image: 'prom/prometheus',
  port: 9090,
  url: 'http://127.0.0.1:9090',
  state: 'running',
  health: 'healthy',
  containerId: 'abc',
  startedAt: null,
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

describe('describeProcess', () => {
  const process: ProcessStatus = {
    name: 'inference',
    enabled: true,
    state: 'running',
    healthy: true,
    pid: 42,
    restarts: 0,
    lastExit: null,
    nextRestartAt: null,
    url: 'http://127.0.0.1:8000',
  };
  it.each([
    [{}, 'Healthy', 'ok'],
    [{ healthy: false }, 'Starting', 'busy'],
    [{ state: 'starting', healthy: false }, 'Starting', 'busy'],
    [{ state: 'backoff', healthy: false }, 'Restarting', 'bad'],
    [{ state: 'failed', healthy: false }, 'Failed', 'bad'],
    [{ state: 'stopped', healthy: false }, 'Stopped', 'off'],
    [{ enabled: false }, 'Off', 'off'],
  ] as const)('%j reads as %s', (patch, label, tone) => {
    expect(describeProcess({ ...process, ...patch })).toEqual({ label, tone });
  });
});

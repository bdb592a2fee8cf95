import { describe, expect, it } from 'vitest';
import type { ServiceStatus } from '../../../stack/stack-status';
import { describeService } from './service-display';

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

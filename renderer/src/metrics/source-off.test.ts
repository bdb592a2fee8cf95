import { describe, expect, it } from 'vitest';
import type { ServiceStatus } from '../../../electron/api/schemas/stack-status';
import { sourceOffReason } from './source-off';

const service = (name: ServiceStatus['name'], enabled: boolean): ServiceStatus => ({
  id: name,
  name,
  worker: null,
  runtime: 'container',
  enabled,
  image: 'x',
  port: null,
  url: null,
  state: enabled ? 'running' : 'missing',
  health: 'none',
  containerId: null,
  pid: null,
  startedAt: null,
  restarts: 0,
});

describe('sourceOffReason', () => {
  it('says why node_exporter panels are empty when it is switched off, naming Docker Desktop', () => {
    expect(sourceOffReason('node-exporter', [service('node-exporter', false)])).toMatch(/switched off in Settings.*Docker Desktop.*VM/);
  });
  it('says nothing while the source runs, or before the status is known', () => {
    expect(sourceOffReason('node-exporter', [service('node-exporter', true)])).toBeNull();
    expect(sourceOffReason('node-exporter', undefined)).toBeNull();
    expect(sourceOffReason(undefined, [])).toBeNull();
  });
  it('counts any enabled worker of a service with several', () => {
    expect(sourceOffReason('inference', [service('inference', false), service('inference', true)])).toBeNull();
    expect(sourceOffReason('inference', [service('inference', false)])).toMatch(/inference service is switched off/);
  });
});

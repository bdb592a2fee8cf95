import { describe, expect, it } from 'vitest';
import { createSilenceSchema } from '../../../electron/api/monitoring-contract';
import type { ServiceStatus } from '../../../electron/api/schemas/stack-status';
import { maintenanceSilences, maintenanceTargets } from './maintenance';

const service = (over: Partial<ServiceStatus>): ServiceStatus => ({
  id: 'inference',
  name: 'inference',
  worker: null,
  runtime: 'container',
  enabled: true,
  image: 'x',
  port: 8000,
  url: 'http://127.0.0.1:8000',
  state: 'running',
  health: 'healthy',
  containerId: null,
  pid: null,
  startedAt: null,
  restarts: 0,
  ...over,
});

describe('maintenanceTargets', () => {
  it('offers each inference worker, with the labels its alerts carry', () => {
    const targets = maintenanceTargets([
      service({ id: 'prometheus', name: 'prometheus' }),
      service({ id: 'inference-card0', worker: 'card0' }),
      service({ id: 'inference-cpu1', worker: 'cpu1' }),
      service({ id: 'inference', worker: null }),
    ]);
    expect(targets).toEqual([
      { id: 'inference-card0', title: 'GPU worker card0', scopes: [{ labels: { gpu: 'card0' }, covers: expect.stringMatching(/WorkerDown/) }, { labels: { card: 'card0' }, covers: expect.stringMatching(/node_exporter/) }] },
      { id: 'inference-cpu1', title: 'CPU worker cpu1', scopes: [{ labels: { gpu: 'cpu1' }, covers: expect.any(String) }] },
      { id: 'inference', title: 'CPU worker', scopes: [{ labels: { gpu: 'cpu' }, covers: expect.any(String) }] },
    ]);
  });

  it('covers the host process by its service label, and leaves out a switched-off service', () => {
    expect(maintenanceTargets([service({ runtime: 'host' })])).toEqual([{ id: 'inference', title: 'Inference service (host process)', scopes: [{ labels: { service: 'inference' }, covers: expect.any(String) }] }]);
    expect(maintenanceTargets([service({ enabled: false })])).toEqual([]);
  });
});

describe('maintenanceSilences', () => {
  it('makes one silence per label set, each accepted by the contract', () => {
    const [target] = maintenanceTargets([service({ id: 'inference-card0', worker: 'card0' })]);
    const silences = maintenanceSilences(target!, 7200, ' swapping the card ');
    expect(silences).toEqual([
      { matchers: [{ name: 'gpu', value: 'card0', isRegex: false, isEqual: true }], durationSeconds: 7200, comment: 'swapping the card' },
      { matchers: [{ name: 'card', value: 'card0', isRegex: false, isEqual: true }], durationSeconds: 7200, comment: 'swapping the card' },
    ]);
    for (const s of silences) expect(createSilenceSchema.safeParse(s).success).toBe(true);
  });
});

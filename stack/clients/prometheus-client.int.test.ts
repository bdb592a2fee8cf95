import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusApiError, PrometheusClient } from './prometheus-client';
import { StackManager } from '../engine/stack-manager';
import { testStackSettings } from '../testing/test-settings';
import { WORKERS, fillScope, workersOf, ALL } from '../../electron/api/dashboards/scope';

// Against a real Prometheus (test image).
describe('PrometheusClient', () => {
  let manager: StackManager;
  let client: PrometheusClient;

  beforeAll(async () => {
    const base = await testStackSettings('promclient');
    // The inference service in host mode, which no one starts here: a target that is down.
    manager = new StackManager({ settings: { ...base, inference: { ...base.inference, enabled: true, runtime: 'host' } } });
    await manager.up();
    client = new PrometheusClient(`http://127.0.0.1:${manager.settings.prometheus.port}`);
  }, 120_000);

  afterAll(async () => {
    await manager.down().catch(() => undefined);
    await manager.removeData().catch(() => undefined);
  });

  it('runs an instant query', async () => {
    const up = async () => {
      const r = await client.query('up{job="prometheus"}');
      return r.resultType === 'vector' ? r.result.map((s) => [s.metric.job, s.value[1]]) : r.resultType;
    };
    await expect.poll(up, { timeout: 30_000 }).toEqual([['prometheus', '1']]);
    const scalar = await client.query('1 + 1');
    expect(scalar).toEqual({ resultType: 'scalar', result: [expect.any(Number), '2'] });
  }, 40_000);

  it('runs a range query with [time, "value"] pairs', async () => {
    const end = Date.now() / 1000;
    const range = await client.queryRange('vector(3)', end - 60, end, 15);
    expect(range.resultType).toBe('matrix');
    expect(range.result[0]!.values.length).toBe(5);
    expect(range.result[0]!.values.every(([, v]) => v === '3')).toBe(true);
  });

  it("passes on Prometheus's own error for a bad query", async () => {
    const err = await client.query('sum(rate(up[5m]').catch((e) => e);
    expect(err).toBeInstanceOf(PrometheusApiError);
    expect(err.httpStatus).toBe(400);
    expect(err.status).toBe(400);
    expect(err.errorType).toBe('bad_data');
    expect(err.message).toMatch(/parse error/);
  });

  it("lists a label's values among the series a selector matches, in a time range: the Metrics page's rig options", async () => {
    const workers = fillScope(WORKERS, ALL);
    // The host-mode worker's target is down, but its `up` series carries its rig all the same.
    await expect.poll(() => client.labelValues('rig', [workers]), { timeout: 30_000 }).toEqual(['local']);
    expect(await client.labelValues('rig', [workersOf(['elsewhere'])])).toEqual([]);
    const now = Date.now() / 1000;
    expect(await client.labelValues('rig', [workers], { start: now - 300, end: now })).toEqual(['local']);
    // An hour before this Prometheus started it had no series at all.
    expect(await client.labelValues('rig', [workers], { start: now - 7200, end: now - 3600 })).toEqual([]);
    expect(await client.labelNames([workers], { start: now - 300, end: now })).toEqual(expect.arrayContaining(['job', 'rig', 'service']));
  }, 40_000);

  it('lists targets with their health', async () => {
    // Host mode, and nothing serves the inference service in this test: its target is down.
    const health = async () => (await client.targets()).activeTargets.map((t) => `${t.scrapePool}:${t.health}`).sort();
    await expect.poll(health, { timeout: 30_000 }).toEqual(['alertmanager:up', 'prometheus:up', 'rx580-api:down']);
  }, 40_000);
});

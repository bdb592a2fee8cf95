import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertmanagerClient } from '../../../stack/clients/alertmanager-client';
import { testStackSettings } from '../../../stack/testing/test-settings';
import type { ApiEvent, ApiEventPayload, ApiMethod } from '../../api/contract';
import { dispatchApiCall } from '../dispatch';
import { ConsoleCore } from '../console-core';

// The monitoring and logs methods through the real dispatcher, against a real Prometheus and
// Alertmanager (test images) on the real Docker engine.
describe('monitoring and logs handlers', () => {
  let core: ConsoleCore;
  const call = async (method: ApiMethod, ...args: unknown[]) => dispatchApiCall(core.handlers, method, args, () => undefined);
  const ok = async <T = unknown>(method: ApiMethod, ...args: unknown[]): Promise<T> => {
    const { status, body } = await call(method, ...args);
    if (!body.ok) throw new Error(`${method} failed with ${status}: ${body.error.message}`);
    return body.result as T;
  };

  beforeAll(async () => {
    core = new ConsoleCore({ settings: await testStackSettings('monitoring', { inference: true }), settingsFile: '(test)', mode: 'web' });
  });

  afterAll(async () => {
    core?.close();
    await core?.stack.down().catch(() => undefined);
    await core?.stack.removeData().catch(() => undefined);
  });

  it('says to start the stack while Prometheus and Alertmanager are not running', async () => {
    const prom = await call('prometheus.query', { query: 'up' });
    expect(prom.status).toBe(503);
    expect(prom.body).toMatchObject({ ok: false, error: { code: 'PROMETHEUS_UNREACHABLE', message: expect.stringMatching(/start the stack/) } });
    const am = await call('alertmanager.alerts');
    expect(am.body).toMatchObject({ ok: false, error: { code: 'ALERTMANAGER_UNREACHABLE' } });
    expect(await call('logs.follow', 'prometheus')).toMatchObject({ status: 404, body: { error: { code: 'SERVICE_MISSING' } } });
  });

  it('refuses bad arguments before asking Prometheus', async () => {
    const end = 1_700_000_000;
    const cases: [ApiMethod, unknown[], RegExp][] = [
      ['prometheus.query', [{ query: '  ' }], /query is empty/],
      ['prometheus.query', [{ query: 'x'.repeat(10_001) }], /10,000 characters/],
      ['prometheus.queryRange', [{ query: 'up', start: end - 60, end, step: 0 }], /step must be greater than 0/],
      ['prometheus.queryRange', [{ query: 'up', start: end, end: end - 60, step: 1 }], /end must be after start/],
      ['prometheus.queryRange', [{ query: 'up', start: end - 86_400, end, step: 1 }], /11000 points per series/],
      ['prometheus.labelValues', ['bad-name', {}], /label name/],
      ['prometheus.series', [{ match: [] }], /at least one selector/],
      ['alertmanager.createSilence', [{ matchers: [{ name: 'alertname', value: 'X' }], durationSeconds: 10, comment: 'c' }], /at least one minute/],
      ['alertmanager.createSilence', [{ matchers: [], durationSeconds: 600, comment: 'c' }], /at least one matcher/],
      ['alertmanager.createSilence', [{ matchers: [{ name: 'a', value: 'b' }], durationSeconds: 600, comment: ' ' }], /say why/],
      ['alertmanager.expireSilence', ['../x'], /not a silence id/],
      ['logs.follow', ['Not A Source'], /not a log source/],
    ];
    for (const [method, args, message] of cases) {
      const { status, body } = await call(method, ...args);
      expect(status, method).toBe(400);
      expect(body.ok ? '' : body.error.message, method).toMatch(message);
    }
  });

  describe('with the stack running', () => {
    beforeAll(async () => {
      await core.handlers['stack.up']();
    }, 120_000);

    it('runs instant and range queries, and passes on Prometheus own error for a bad one', async () => {
      await expect.poll(async () => ok('prometheus.query', { query: 'up{job="prometheus"}' }), { timeout: 30_000 }).toMatchObject({
        resultType: 'vector',
        result: [{ metric: { job: 'prometheus' }, value: [expect.any(Number), '1'] }],
      });
      const end = Math.floor(Date.now() / 1000);
      const range = await ok('prometheus.queryRange', { query: 'vector(2)', start: end - 100, end, step: 10 });
      expect(range).toMatchObject({ resultType: 'matrix', result: [{ values: expect.any(Array) }] });
      expect((range as { result: { values: unknown[] }[] }).result[0]!.values).toHaveLength(11);

      const bad = await call('prometheus.query', { query: 'sum(rate(up[5m])' });
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ ok: false, error: { code: 'PROMETHEUS_BAD_DATA', message: expect.stringMatching(/parse error/) } });
    }, 40_000);

    it('lists rules, alerts and targets', async () => {
      expect(await ok('prometheus.rules')).toEqual({ groups: expect.any(Array) });
      expect(await ok('prometheus.alerts')).toEqual(expect.any(Array));
      await expect
        .poll(async () => (await ok<{ activeTargets: { scrapePool: string; health: string }[] }>('prometheus.targets')).activeTargets.map((t) => `${t.scrapePool}:${t.health}`).sort(), {
          timeout: 30_000,
        })
        .toEqual(['alertmanager:up', 'prometheus:up', 'rx580-api:up']);
    }, 40_000);

    it('looks up metric names, label names and values, series and metadata for completion', async () => {
      await expect.poll(async () => ok<string[]>('prometheus.metricNames'), { timeout: 30_000 }).toContain('prometheus_build_info');
      expect(await ok('prometheus.labelNames', { match: ['up'] })).toEqual(expect.arrayContaining(['__name__', 'instance', 'job']));
      expect(await ok('prometheus.labelValues', 'job', { match: ['up'] })).toEqual(['alertmanager', 'prometheus', 'rx580-api']);
      expect(await ok('prometheus.labelValues', 'job', { match: ['up{job="prometheus"}'] })).toEqual(['prometheus']);
      const now = Date.now() / 1000;
      expect(await ok('prometheus.labelValues', 'job', { match: ['up{job="prometheus"}'], start: now - 300, end: now })).toEqual(['prometheus']);
      expect(await ok('prometheus.labelValues', 'job', { match: ['up'], start: now - 7200, end: now - 3600 })).toEqual([]);
      expect(await ok('prometheus.series', { match: ['up{job="alertmanager"}'] })).toEqual([expect.objectContaining({ __name__: 'up', job: 'alertmanager' })]);
      await expect.poll(async () => (await ok<Record<string, unknown>>('prometheus.metadata')).prometheus_build_info, { timeout: 30_000 }).toEqual([
        expect.objectContaining({ type: 'gauge' }),
      ]);
    }, 70_000);

    it('silences an Alertmanager alert, shows it silenced, and expires the silence', async () => {
      const am = new AlertmanagerClient(`http://127.0.0.1:${core.settings.alertmanager.port}`);
      await am.postAlerts([{ labels: { alertname: 'HandlerTestAlert', severity: 'warning' }, annotations: { summary: 'a test alert' } }]);
      type Alert = { labels: Record<string, string>; status: { state: string; silencedBy: string[] } };
      const mine = async () => (await ok<Alert[]>('alertmanager.alerts')).find((a) => a.labels.alertname === 'HandlerTestAlert');
      await expect.poll(async () => (await mine())?.status.state, { timeout: 10_000 }).toBe('active');

      const { silenceID } = await ok<{ silenceID: string }>('alertmanager.createSilence', {
        matchers: [{ name: 'alertname', value: 'HandlerTestAlert' }],
        durationSeconds: 600,
        comment: 'maintenance',
      });
      await expect.poll(async () => (await mine())?.status, { timeout: 10_000 }).toEqual(expect.objectContaining({ state: 'suppressed', silencedBy: [silenceID] }));
      const silences = await ok<{ id: string; createdBy: string; status: { state: string }; endsAt: string }[]>('alertmanager.silences');
      const silence = silences.find((s) => s.id === silenceID);
      expect(silence).toMatchObject({ createdBy: 'RX580 Ops Console', status: { state: 'active' } });
      const minutes = (Date.parse(silence!.endsAt) - Date.now()) / 60_000;
      expect(minutes).toBeGreaterThan(9);
      expect(minutes).toBeLessThanOrEqual(10);

      expect(await ok('alertmanager.expireSilence', silenceID)).toEqual({ expired: true });
      await expect.poll(async () => (await mine())?.status.state, { timeout: 10_000 }).toBe('active');
      const unknown = await call('alertmanager.expireSilence', '00000000-0000-0000-0000-000000000000');
      // Alertmanager 0.25 answers 500 for an unknown id, newer versions 404: its words either way.
      expect(unknown.body).toMatchObject({ ok: false, error: { code: 'ALERTMANAGER_ERROR', message: expect.stringMatching(/not found/) } });
    }, 40_000);

    it('tails and follows a container log, one stream however many follow it', async () => {
      expect(await ok('logs.sources')).toEqual([
        { id: 'alertmanager', title: 'Alertmanager' },
        { id: 'prometheus', title: 'Prometheus' },
        { id: 'inference', title: 'Inference service' },
      ]);
      const { lines } = await ok<{ lines: string[] }>('logs.tail', 'prometheus', { tail: 5 });
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.length).toBeLessThanOrEqual(5);
      expect(await call('logs.tail', 'nope', {})).toMatchObject({ status: 404, body: { error: { code: 'LOG_SOURCE_UNKNOWN' } } });

      const received: ApiEventPayload<'logs.lines'>[] = [];
      const unsubscribe = core.subscribe(<E extends ApiEvent>(event: E, payload: ApiEventPayload<E>) => {
        if (event === 'logs.lines') received.push(payload as ApiEventPayload<'logs.lines'>);
      });
      const a = await ok<{ followId: string }>('logs.follow', 'prometheus');
      const b = await ok<{ followId: string }>('logs.follow', 'prometheus');
      expect(a.followId).not.toBe(b.followId);
      // A reload makes Prometheus log "Loading configuration file".
      await fetch(`http://127.0.0.1:${core.settings.prometheus.port}/-/reload`, { method: 'POST' });
      await expect.poll(() => received.flatMap((e) => e.lines).join('\n'), { timeout: 10_000 }).toMatch(/Loading configuration file/);
      expect(received.every((e) => e.source === 'prometheus' && !e.ended)).toBe(true);
      // Each line arrived once: two followers share one stream.
      expect(received.flatMap((e) => e.lines).filter((l) => /Completed loading of configuration file/.test(l))).toHaveLength(1);

      expect(await ok('logs.unfollow', a.followId)).toEqual({ stopped: true });
      expect(await ok('logs.unfollow', a.followId)).toEqual({ stopped: false });
      expect(await ok('logs.unfollow', b.followId)).toEqual({ stopped: true });
      const count = received.length;
      await fetch(`http://127.0.0.1:${core.settings.prometheus.port}/-/reload`, { method: 'POST' });
      await new Promise((r) => setTimeout(r, 1000));
      expect(received.length).toBe(count);
      unsubscribe();
    }, 30_000);
  });
});

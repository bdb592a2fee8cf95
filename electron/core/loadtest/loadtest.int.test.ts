import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LoadtestProgress, LoadtestResult } from '../../api/schemas/loadtest';
import { startLoadtestFixture, type LoadtestFixture } from '../../testing/loadtest-fixture';
import { dispatchApiCall } from '../dispatch';
import { trackRunHandles } from './testing/run-handles';

/** The load test contract through ConsoleCore, against the real service with the digits model loaded. */
describe('load tests', () => {
  let f: LoadtestFixture;
  const call = (method: string, ...args: unknown[]) => dispatchApiCall(f.core.handlers, method, args, () => {});
  const savedFile = (id: string) => join(f.dataDir, 'loadtest', 'loadtests', `${id}.json`);

  beforeAll(async () => {
    f = await startLoadtestFixture();
  });
  afterAll(() => f?.stop());

  it('runs a two-step closed sweep: progress every second, the result saved, listed and comparable', async () => {
    const events: { at: number; p: LoadtestProgress }[] = [];
    const unsubscribe = f.core.subscribe((event, payload) => {
      if (event === 'loadtest.progress') events.push({ at: performance.now(), p: payload as LoadtestProgress });
    });
    const start = await call('loadtest.start', { model: 'digits', mode: 'closed', concurrency: [1, 4], duration: 1, warmup: 0 });
    expect(start.status).toBe(200);
    const { id } = (start.body as { ok: true; result: { id: string } }).result;
    const startedAt = performance.now();

    // One run at a time.
    expect(await call('loadtest.start', { model: 'digits', mode: 'closed', concurrency: [1], duration: 1, warmup: 0 })).toMatchObject({ status: 409, body: { error: { code: 'LOADTEST_BUSY' } } });
    expect((await call('loadtest.get', id)).body).toMatchObject({ ok: true, result: { result: { id, status: 'running' } } });

    const result = await f.core.loadtests.finished(id);
    unsubscribe();
    expect(result).toMatchObject({ id, status: 'completed', error: null, targets: [{ id: 'inference', url: f.svc.url }], request: { path: '/predict' } });
    expect(result.steps.map((s) => [s.index, s.load, s.cutShort])).toEqual([
      [0, 1, false],
      [1, 4, false],
    ]);
    for (const s of result.steps) {
      expect(s.durationS).toBeGreaterThanOrEqual(1);
      expect(s.throughput).toBeGreaterThan(0);
      expect(s.requests).toBeGreaterThan(0);
      expect(s.errors).toEqual({});
      const l = s.latencyMs!;
      expect([l.p50, l.p90, l.p95, l.p99, l.max].every((v, i, all) => v > 0 && (i === 0 || v >= all[i - 1]!))).toBe(true);
    }
    expect(result.knee === null || result.knee === 0).toBe(true);

    // Progress: both steps, at least once a second from the start to the end, then the closing event.
    expect(new Set(events.map((e) => e.p.step))).toEqual(new Set([0, 1]));
    const times = [startedAt, ...events.map((e) => e.at)];
    expect(Math.max(...times.slice(1).map((t, i) => t - times[i]!))).toBeLessThan(1000);
    expect(events.at(-1)!.p).toMatchObject({ id, status: 'completed', step: 1, phase: 'measure', load: 4 });
    expect(events.at(-2)!.p.latencyMs).toEqual(expect.objectContaining({ p50: expect.any(Number), p90: expect.any(Number), p99: expect.any(Number) }));

    const saved = JSON.parse(await readFile(savedFile(id), 'utf8')) as LoadtestResult;
    expect(saved).toEqual(result);
    expect((await call('loadtest.get', id)).body).toEqual({ ok: true, result: { result: saved, comparison: null } });
    expect((await call('loadtest.list')).body).toMatchObject({ ok: true, result: { runs: [{ id, status: 'completed', model: 'digits', steps: 2 }] } });

    const compared = await call('loadtest.get', id, id);
    expect(compared.body).toMatchObject({ ok: true, result: { comparison: { baselineId: id, regression: false, steps: [{ load: 1, throughput: { deltaPct: 0 } }, { load: 4 }] } } });
    // Over once it ended; and an id that never ran is not found.
    expect((await call('loadtest.cancel', id)).body).toEqual({ ok: true, result: { id, cancelled: false } });
    expect((await call('loadtest.cancel', '20200101-000000-0000')).status).toBe(404);
  });

  it('cancels at once, saves what it measured, and leaves no socket or timer open', async () => {
    const handles = trackRunHandles();
    const engine = f.core.loadtests;
    const firstProgress = new Promise<void>((resolve) => {
      const off = engine.onProgress(() => {
        off();
        resolve();
      });
    });
    const { id } = await engine.start({ model: 'digits', mode: 'closed', concurrency: [8, 16], duration: 60, warmup: 0 });
    await firstProgress;
    // The tracker sees the run: its eight connections and its timers.
    expect(handles.open().filter((t) => t === 'TCPWRAP').length).toBeGreaterThanOrEqual(8);

    const asked = performance.now();
    expect((await call('loadtest.cancel', id)).body).toEqual({ ok: true, result: { id, cancelled: true } });
    expect(performance.now() - asked).toBeLessThan(500);

    const result = await engine.finished(id);
    expect(result).toMatchObject({ status: 'cancelled', steps: [{ index: 0, load: 8, cutShort: true }] });
    expect(result.steps[0]!.durationS).toBeLessThan(5);
    expect(JSON.parse(await readFile(savedFile(id), 'utf8'))).toEqual(result);
    // autocannon closes its sockets as the step ends; their close callbacks follow at once.
    await vi.waitFor(() => expect(handles.open()).toEqual([]), { timeout: 1000, interval: 20 });
    handles.stop();
    // Free for the next run.
    const next = await engine.start({ model: 'digits', mode: 'open', rate: [20], requests: 10, warmup: 0, protocol: 'v2' });
    expect(await engine.finished(next.id)).toMatchObject({ status: 'completed', request: { path: '/v2/models/digits/infer' }, steps: [{ requests: 10, errors: {} }] });
  });
});

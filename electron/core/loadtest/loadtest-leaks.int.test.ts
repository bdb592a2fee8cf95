import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLoadtestFixture, type LoadtestFixture } from '../../testing/loadtest-fixture';
import { activeResources, grown, trackRunHandles } from './testing/run-handles';

/** Issue #14: load tests leave nothing open behind them, however many run. The heap is the bench's (bench:loadtest-leaks). */
describe('load test leaks', () => {
  let f: LoadtestFixture;
  beforeAll(async () => {
    f = await startLoadtestFixture();
  });
  afterAll(() => f?.stop());

  const run = async (protocol: 'json' | 'v2') => {
    const engine = f.core.loadtests;
    const { id } = await engine.start({ model: 'digits', mode: 'closed', concurrency: [4], requests: 200, warmup: 0, protocol });
    return engine.finished(id);
  };

  it('ten runs leave no timer or socket of their own, and the process no more resources than before', async () => {
    // First-time work (lazy imports, fetch's keep-alive pool) is not a leak: the baseline follows it.
    await run('json');
    const before = activeResources();
    const handles = trackRunHandles();
    try {
      for (let i = 0; i < 10; i++) {
        expect(await run(i % 2 ? 'v2' : 'json')).toMatchObject({ status: 'completed', steps: [{ requests: 200, errors: {} }] });
      }
      expect(handles.created()).toBeGreaterThanOrEqual(10 * 4);
      // Sockets' close callbacks follow their step's end at once; the service's side closes as the client's does.
      await vi.waitFor(() => expect(handles.open()).toEqual([]), { timeout: 1000, interval: 20 });
      await vi.waitFor(() => expect(grown(before, activeResources())).toEqual({}), { timeout: 2000, interval: 50 });
    } finally {
      handles.stop();
    }
  });
});

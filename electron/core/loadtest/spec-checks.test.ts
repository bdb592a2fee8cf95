import { describe, expect, it, vi } from 'vitest';
import type { ApiHandlers } from '../../api/contract';
import { MAX_TOTAL_SECONDS } from '../../api/schemas/loadtest';
import { parseSettings } from '../../settings/settings-file';
import { dispatchApiCall } from '../dispatch';
import { loadtestHandlers } from '../handlers/loadtest-handlers';
import { LoadTestEngine } from './loadtest-engine';
import { checkSpec, type SpecDeps } from './spec-checks';
import { digits, stackStatus, worker } from './testing/loadtest-fixtures';

const deps = (): SpecDeps => ({
  status: async () => stackStatus([worker('inference-card0'), worker('inference-card1', 'running', 8001)]),
  models: vi.fn(async () => ({ models: [digits], total: 1 })),
});

const good = { model: 'digits', mode: 'closed', concurrency: [1, 4], duration: 1, warmup: 0 };

/** The FieldErrors a spec is refused with: its status and the fields it names. */
async function refusal(spec: unknown, d = deps()) {
  const err = (await checkSpec(spec, d).then(
    () => null,
    (e: unknown) => e,
  )) as { status: number; code: string; issues?: { path: string; message: string }[] } | null;
  expect(err, 'refused').not.toBeNull();
  return { status: err!.status, code: err!.code, fields: err!.issues?.map((i) => i.path) ?? [], messages: err!.issues?.map((i) => i.message) ?? [] };
}

describe('load test spec checks', () => {
  it('accepts a good spec: its targets and model, defaults filled in', async () => {
    const checked = await checkSpec(good, deps());
    expect(checked.targets).toEqual([
      { id: 'inference-card0', url: 'http://127.0.0.1:8000' },
      { id: 'inference-card1', url: 'http://127.0.0.1:8001' },
    ]);
    expect(checked.model.name).toBe('digits');
    expect(checked.spec).toMatchObject({ target: 'all', protocol: 'json', input: { kind: 'sample' } });
  });

  it.each([
    ['zero concurrency', { ...good, concurrency: [0] }, 'concurrency.0'],
    ['negative concurrency', { ...good, concurrency: [4, -1] }, 'concurrency.1'],
    ['concurrency above the cap', { ...good, concurrency: [257] }, 'concurrency.0'],
    ['a rate above the cap', { model: 'digits', mode: 'open', rate: [50, 5001], duration: 1 }, 'rate.1'],
    ['a zero rate', { model: 'digits', mode: 'open', rate: [0], duration: 1 }, 'rate.0'],
    ['a duration beyond the cap', { ...good, duration: 301 }, 'duration'],
    ['a zero duration', { ...good, duration: 0 }, 'duration'],
    ['more than 10 steps', { ...good, concurrency: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] }, 'concurrency'],
    ['no steps', { ...good, concurrency: [] }, 'concurrency'],
    ['a warm-up beyond the cap', { ...good, warmup: 61 }, 'warmup'],
    ['both a duration and a request count', { ...good, requests: 100 }, 'requests'],
    ['neither a duration nor a request count', { model: 'digits', mode: 'closed', concurrency: [1] }, 'duration'],
    ['fewer requests than connections', { model: 'digits', mode: 'closed', concurrency: [8], requests: 4 }, 'requests'],
    ['a rate in the closed model', { ...good, rate: [5] }, 'rate'],
    ['an unknown mode', { ...good, mode: 'burst' }, 'mode'],
    ['a model name that is empty', { ...good, model: '' }, 'model'],
  ])('refuses %s with a 400 naming the field', async (_what, spec, field) => {
    const d = deps();
    const r = await refusal(spec, d);
    expect(r).toMatchObject({ status: 400, code: 'LOADTEST_INVALID' });
    expect(r.fields).toContain(field);
    // Nothing beyond the spec was asked: no worker was called.
    expect(d.models).not.toHaveBeenCalled();
  });

  it('refuses a run longer than the total cap, saying the cap', async () => {
    const r = await refusal({ ...good, concurrency: [1, 2, 4, 8, 16], duration: 180, warmup: 10 });
    expect(r.fields).toEqual(['duration']);
    expect(r.messages[0]).toContain(`${MAX_TOTAL_SECONDS} s`);
  });

  it('refuses an unknown model, naming the worker and what it has loaded', async () => {
    const r = await refusal({ ...good, model: 'resnet' });
    expect(r).toMatchObject({ status: 400, fields: ['model'] });
    expect(r.messages[0]).toBe('no model named "resnet" is loaded on inference-card0 (loaded: digits)');
  });

  it("refuses a target that is not one of the console's workers, listing them", async () => {
    const r = await refusal({ ...good, target: 'inference-card7' });
    expect(r).toMatchObject({ status: 400, fields: ['target'] });
    expect(r.messages[0]).toContain('inference-card0, inference-card1, or all');
    // The monitoring services are no target either.
    expect((await refusal({ ...good, target: 'prometheus' })).fields).toEqual(['target']);
  });

  it('answers 409 for a worker that is not running', async () => {
    const stopped: SpecDeps = { ...deps(), status: async () => stackStatus([worker('inference-card0', 'exited')]) };
    expect(await refusal({ ...good, target: 'inference-card0' }, stopped)).toMatchObject({ status: 409, code: 'INFERENCE_NOT_RUNNING' });
    expect(await refusal(good, stopped)).toMatchObject({ status: 409, code: 'INFERENCE_NOT_RUNNING' });
  });

  it('starts nothing for a refused spec, and the API refuses it at its boundary too', async () => {
    const engine = new LoadTestEngine({ settings: parseSettings({ dataDir: '/nonexistent/rx580' }), status: deps().status });
    await expect(engine.start({ ...good, concurrency: [0] })).rejects.toMatchObject({ status: 400, issues: [{ path: 'concurrency.0' }] });
    // Not busy: the next start is checked again rather than refused with 409.
    await expect(engine.start({ ...good, target: 'nope' })).rejects.toMatchObject({ status: 400, issues: [{ path: 'target' }] });
    expect(await engine.list()).toEqual({ runs: [] });

    const handlers = loadtestHandlers(engine) as unknown as ApiHandlers;
    const api = await dispatchApiCall(handlers, 'loadtest.start', [{ ...good, concurrency: [1, 0] }], () => {});
    expect(api.status).toBe(400);
    expect(api.body).toMatchObject({ ok: false, error: { issues: [{ path: '0.concurrency.1' }] } });
  });
});

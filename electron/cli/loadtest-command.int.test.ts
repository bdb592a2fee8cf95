import { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLoadtestFixture, type LoadtestFixture } from '../testing/loadtest-fixture';
import { addLoadtestCommand } from './loadtest-command';

/**
 * `rx580-ops loadtest` as the CLI wires it, on a ConsoleCore whose worker is the real service
 * (the built CLI would find no running worker of its own to load).
 */
describe('rx580-ops loadtest', () => {
  let f: LoadtestFixture;
  beforeAll(async () => {
    f = await startLoadtestFixture();
  });
  afterAll(() => f?.stop());
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  /** Runs the command; resolves with what it printed on stdout and stderr. */
  async function loadtest(...args: string[]) {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const program = new Command('rx580-ops').exitOverride();
    addLoadtestCommand(program, async () => f.core);
    await program.parseAsync(['loadtest', ...args], { from: 'user' });
    const text = (spy: typeof out) => spy.mock.calls.map((c) => String(c[0])).join('');
    return { stdout: text(out), stderr: text(err) };
  }

  it('prints with --json exactly the result it saved', async () => {
    const { stdout } = await loadtest('--model', 'digits', '--concurrency', '1,2', '--duration', '1', '--warmup', '0', '--json');
    const printed = JSON.parse(stdout) as { id: string; status: string; steps: unknown[] };
    expect(printed).toMatchObject({ status: 'completed', steps: [{ load: 1 }, { load: 2 }] });
    expect(stdout).toBe(await readFile(f.core.loadtests.store.fileOf(printed.id), 'utf8'));
    expect(process.exitCode).toBe(0);
  });

  it('prints a table per step, the knee, and the comparison with a baseline', async () => {
    const [baseline] = (await f.core.loadtests.list()).runs;
    const { stdout } = await loadtest('--model', 'digits', '--concurrency', '1,2', '--duration', '1', '--warmup', '0', '--protocol', 'v2', '--baseline', baseline!.id);
    expect(stdout).toMatch(/^STEP\s+CONCURRENCY\s+SECONDS\s+ANSWERS\s+REQ\/S\s+P50 MS\s+P90 MS\s+P95 MS\s+P99 MS\s+ERRORS$/m);
    expect(stdout).toMatch(/^1\s+1\s+\d/m);
    expect(stdout).toMatch(/^2\s+2\s+\d/m);
    expect(stdout).toMatch(/^Knee: /m);
    expect(stdout).toMatch(/^Status: completed\. Saved to .*\.json$/m);
    expect(stdout).toContain(`Against baseline ${baseline!.id}`);
    expect(stdout).toMatch(/^CONCURRENCY\s+REQ\/S\s+BASELINE\s+DELTA\s+P95 MS\s+BASELINE\s+DELTA$/m);
    expect(stdout).toMatch(/^Regression: (yes|none)\.$/m);
  });

  it('refuses a bad flag or an incomparable baseline before any load, naming the field', async () => {
    const before = (await f.core.loadtests.list()).runs.length;
    await expect(loadtest('--model', 'digits', '--concurrency', '4,0', '--duration', '1')).rejects.toThrow('concurrency.1: concurrency must be at least 1');
    await expect(loadtest('--model', 'digits', '--rate', '9000', '--duration', '1')).rejects.toThrow('rate.0: rate must be at most 5000');
    const [baseline] = (await f.core.loadtests.list()).runs;
    await expect(loadtest('--model', 'digits', '--rate', '10', '--duration', '1', '--baseline', baseline!.id)).rejects.toMatchObject({ status: 400, issues: [{ path: 'baseline' }] });
    expect((await f.core.loadtests.list()).runs).toHaveLength(before);
  });
});

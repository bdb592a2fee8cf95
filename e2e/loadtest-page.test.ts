import { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LoadtestResult } from '../electron/api/schemas/loadtest';
import { addLoadtestCommand } from '../electron/cli/loadtest-command';
import { ConsoleCore } from '../electron/core/console-core';
import { dispatchApiCall } from '../electron/core/dispatch';
import { startLoadtestFixture, type LoadtestFixture } from '../electron/testing/loadtest-fixture';
import type { DetachedProcess } from '../electron/process/detached-process';
import { startWebBridge, type WebBridge } from '../electron/web/web-bridge';
import { collectConsoleErrors, openConsolePage, openWebConsole, RENDERER_DIR, SCREENSHOTS } from './browser';

/** The structure of a value: its keys and their types all the way down, the values themselves left out. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]).sort(([a], [b]) => String(a).localeCompare(String(b))));
  return value === null ? 'null' : typeof value;
}

// The Load tests page in a real Chromium, through the web bridge, against a host-mode worker
// (the real inference service, digits loaded).
describe('load tests page e2e', () => {
  let f: LoadtestFixture;
  let bridge: WebBridge;
  let browser: Browser;
  let page: Page;
  let consoleErrors: string[];

  beforeAll(async () => {
    f = await startLoadtestFixture();
    // Tall enough for the form, the results with their chart, the comparison and the saved runs.
    ({ bridge, browser, page, consoleErrors } = await openWebConsole(f.core, { viewport: { width: 1200, height: 1560 } }));
  });

  afterAll(async () => {
    await browser?.close();
    await bridge?.close();
    await f?.stop();
  });

  const savedRows = () => page.getByTestId('saved-runs').locator('tbody tr');
  const savedIds = async () => (await savedRows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid')!.slice('run-'.length))));

  /** The 1, 2, 4 sweep of 1 s steps after 1 s of warm-up, from the form; resolves once its results show. */
  async function sweep(baseline?: string) {
    await page.getByTestId('loadtest-loads').fill('1, 2, 4');
    await page.getByTestId('loadtest-amount').fill('1');
    await page.getByTestId('loadtest-warmup').fill('1');
    if (baseline) await page.getByTestId('loadtest-baseline').selectOption(baseline);
    await page.getByTestId('loadtest-start').click();
    await page.getByTestId('live-figures').waitFor({ timeout: 10_000 });
    await expect.poll(() => page.getByTestId('loadtest-progress').count(), { timeout: 30_000 }).toBe(0);
    await page.getByTestId('loadtest-results').waitFor();
  }

  it('runs a sweep from the page, shows its steps and chart, saves it, and compares the next run with it', async () => {
    await openConsolePage(page, bridge.openUrl, 'overview');
    // Sixth in the navigation: Alt+6, and its own address.
    await page.keyboard.press('Alt+6');
    await expect.poll(() => page.getByTestId('page-loadtests').isVisible()).toBe(true);
    expect(new URL(page.url()).hash).toBe('#/loadtests');
    await expect.poll(() => page.getByTestId('loadtest-model').inputValue()).toBe('digits');
    expect(await page.getByTestId('no-runs').isVisible()).toBe(true);

    // A value beyond the schema's cap: its message beside the field, the keyboard sent there, nothing started.
    const loads = page.getByTestId('loadtest-loads');
    await loads.fill('1, 2, 999');
    await page.getByTestId('loadtest-start').click();
    const loadsError = page.getByTestId('field-error-loads');
    await expect.poll(() => loadsError.textContent()).toBe('step 3: concurrency must be at most 256');
    expect(await loads.getAttribute('aria-invalid')).toBe('true');
    expect(await loads.getAttribute('aria-describedby')).toBe(await loadsError.getAttribute('id'));
    expect(await loads.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await page.getByTestId('loadtest-progress').count()).toBe(0);

    await sweep();
    const results = page.getByTestId('loadtest-results');
    expect(await results.getByTestId('step-table').locator('tbody tr').count()).toBe(3);
    expect(await results.getByTestId('step-table').locator('tbody tr th').allTextContents()).toEqual([expect.stringMatching(/^1/), expect.stringMatching(/^2/), expect.stringMatching(/^3/)]);
    const chart = results.getByTestId('loadtest-chart');
    expect(await chart.getAttribute('aria-label')).toMatch(/^Throughput against p95 latency, 3 steps/);
    await expect.poll(() => chart.locator('.recharts-line-dot').count()).toBe(3);
    await expect.poll(() => savedRows().count()).toBe(1);
    const [first] = await savedIds();
    expect(await results.textContent()).toContain(`Run ${first}`);

    // Again, against the first run: the deltas per step and the verdict.
    await sweep(first);
    const comparison = page.getByTestId('loadtest-comparison');
    await comparison.waitFor();
    expect(await comparison.locator('tbody tr').count()).toBe(3);
    for (const cell of await comparison.getByTestId('delta-throughput').allTextContents()) expect(cell).toMatch(/^[+−±]\d+\.\d%$/);
    for (const cell of await comparison.getByTestId('delta-p95').allTextContents()) expect(cell).toMatch(/^[+−±]\d+\.\d%$/);
    expect(await page.getByTestId('regression').textContent()).toMatch(new RegExp(`^(No regression|Regression) against ${first}`));
    // Newest first.
    await expect.poll(() => savedRows().count()).toBe(2);
    const [second, older] = await savedIds();
    expect(older).toBe(first);
    expect(await results.textContent()).toContain(`Run ${second}`);
    await page.screenshot({ path: `${SCREENSHOTS}loadtests.png`, fullPage: true });

    // A saved run opens again, with no baseline until one is picked.
    await page.getByTestId(`run-${first}`).getByRole('button').click();
    await expect.poll(() => results.textContent()).toContain(`Run ${first}`);
    expect(await page.getByTestId('loadtest-comparison').count()).toBe(0);
    await page.getByTestId('compare-baseline').selectOption(second!);
    await expect.poll(() => page.getByTestId('regression').textContent()).toMatch(new RegExp(`against ${second}`));
    expect(consoleErrors).toEqual([]);
  }, 120_000);

  it('cancels a run at once, the steps measured so far kept', async () => {
    await page.getByTestId('loadtest-loads').fill('1, 2');
    await page.getByTestId('loadtest-amount').fill('60');
    await page.getByTestId('loadtest-warmup').fill('0');
    await page.getByTestId('loadtest-baseline').selectOption('');
    await page.getByTestId('loadtest-start').click();
    await expect.poll(() => page.getByTestId('live-figures').textContent(), { timeout: 10_000 }).toMatch(/measuring.*Answers[1-9]/);
    const pressed = Date.now();
    await page.getByTestId('loadtest-cancel').click();
    await expect.poll(() => page.getByTestId('loadtest-progress').count(), { timeout: 5_000 }).toBe(0);
    expect(Date.now() - pressed).toBeLessThan(3_000);
    const results = page.getByTestId('loadtest-results');
    await expect.poll(() => results.locator('h2').textContent()).toMatch(/cancelled$/);
    expect(await results.getByTestId('step-table').locator('tbody tr').textContent()).toContain('cut short');
    expect(consoleErrors).toEqual([]);
  }, 60_000);

  it('says how to load a model when none is loaded, and how to start a worker when none runs', async () => {
    expect((await dispatchApiCall(f.core.handlers, 'models.unload', ['digits'], () => {})).status).toBe(200);
    try {
      await openConsolePage(page, bridge.openUrl, 'loadtests');
      await expect.poll(() => page.getByTestId('loadtest-no-model').textContent()).toMatch(/No model is loaded.*Predictions page/);
      expect(await page.getByTestId('loadtest-form').count()).toBe(0);
    } finally {
      expect((await dispatchApiCall(f.core.handlers, 'models.load', [{ path: 'digits.onnx' }], () => {})).status).toBe(200);
    }

    // The same rig with its worker stopped: what to do, and the saved runs still there to open.
    const stoppedWorker = { status: async () => ({ state: 'stopped', healthy: false, pid: null, startedAt: null, logFile: '' }) } as unknown as DetachedProcess;
    const stopped = new ConsoleCore({ settings: f.core.settings, settingsFile: '/dev/null', mode: 'web', gpus: [], hostInference: stoppedWorker, env: { DOCKER_HOST: 'unix:///tmp/rx580-loadtest-no-engine.sock' } });
    const stoppedBridge = await startWebBridge({ handlers: stopped.handlers, events: stopped, port: 0, rendererDir: RENDERER_DIR });
    const other = await browser.newPage();
    const errors = collectConsoleErrors(other);
    try {
      await openConsolePage(other, stoppedBridge.openUrl, 'loadtests');
      await expect.poll(() => other.getByTestId('loadtest-no-worker').textContent()).toMatch(/No inference worker is running.*Start.*Overview page.*rx580-ops up/);
      expect(await other.getByTestId('loadtest-form').count()).toBe(0);
      await expect.poll(() => other.getByTestId('saved-runs').locator('tbody tr').count()).toBe(3);
      expect(errors).toEqual([]);
    } finally {
      await other.close();
      stopped.close();
      await stoppedBridge.close();
    }
  }, 60_000);

  it("gives the page's run the shape the CLI's --json prints for the same spec, and loadtest.get the saved file", async () => {
    const runs = (await f.core.loadtests.list()).runs.filter((r) => r.status === 'completed');
    const pageRun = (await f.core.loadtests.get(runs[0]!.id)).result;
    expect(JSON.parse(await readFile(f.core.loadtests.store.fileOf(pageRun.id), 'utf8'))).toEqual(pageRun);

    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    let printed = '';
    try {
      // The command closes the core it is given when done: this test is the file's last.
      const program = new Command('rx580-ops').exitOverride();
      addLoadtestCommand(program, async () => f.core);
      await program.parseAsync(['loadtest', '--model', 'digits', '--concurrency', '1,2,4', '--duration', '1', '--warmup', '1', '--json'], { from: 'user' });
      printed = out.mock.calls.map((c) => String(c[0])).join('');
    } finally {
      out.mockRestore();
      err.mockRestore();
      process.exitCode = undefined;
    }
    const cli = JSON.parse(printed) as LoadtestResult;
    expect(cli.status).toBe('completed');
    expect(cli.spec).toEqual(pageRun.spec);
    // Error counts (keyed by status) and whether there is a knee vary run to run: the shape is compared without them.
    const strip = (r: LoadtestResult) => shape({ ...r, knee: null, steps: r.steps.map((s) => ({ ...s, errors: {} })) });
    expect(strip(cli)).toEqual(strip(pageRun));
  }, 60_000);
});

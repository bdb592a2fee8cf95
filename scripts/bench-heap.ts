/**
 * Benchmark: the renderer's JS heap under live charts. Starts the real stack and the web mode,
 * opens the console in Chromium on the Metrics page (every panel refreshing every 5 s) and on
 * the explorer with a live range query, then prints each page's heap after a forced GC at
 * 1 minute and at N minutes, and their ratio. `npm run bench:heap`; BENCH_HEAP_MINUTES=3 for a
 * quicker run (default 10).
 */
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { launchChromium } from '../e2e/browser';
import { ConsoleCore } from '../electron/core/console-core';
import { startWebBridge } from '../electron/web/web-bridge';
import { testStackSettings } from '../stack/testing/test-settings';

const MINUTES = Number(process.env.BENCH_HEAP_MINUTES ?? 10);
if (!(MINUTES > 1)) throw new Error('BENCH_HEAP_MINUTES must be more than 1');
const RENDERER_DIR = fileURLToPath(new URL('../dist/renderer', import.meta.url));
const LIVE_QUERY = 'sum by (handler) (rate(prometheus_http_requests_total[1m]))';

async function heapMiB(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize / 2 ** 20;
}

const core = new ConsoleCore({ settings: await testStackSettings('bench-heap'), settingsFile: '(bench)', mode: 'web' });
const bridge = await startWebBridge({ handlers: core.handlers, events: core, port: 0, rendererDir: RENDERER_DIR });
const browser = await launchChromium();
try {
  await core.stack.up();
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const metrics = await context.newPage();
  await metrics.goto(bridge.openUrl);
  await metrics.getByTestId('nav-metrics').click();

  const explorer = await context.newPage();
  await explorer.goto(`${bridge.url}/#/explorer`);
  await explorer.getByTestId('promql-editor').click();
  await explorer.keyboard.type(LIVE_QUERY);
  await explorer.keyboard.press('Escape');
  await explorer.getByRole('radiogroup', { name: 'Query range' }).getByText('5 m', { exact: true }).click();
  await explorer.getByTestId('explorer-live').check();
  await explorer.getByRole('button', { name: 'Run', exact: true }).click();

  const pages = { metrics, explorer };
  const sample = async () => Object.fromEntries(await Promise.all(Object.entries(pages).map(async ([k, p]) => [k, await heapMiB(p)] as const)));
  const sleep = (min: number) => new Promise((r) => setTimeout(r, min * 60_000));

  await sleep(1);
  const first = await sample();
  console.log(`after 1 min: ${Object.entries(first).map(([k, v]) => `${k} ${v.toFixed(2)} MiB`).join(', ')}`);
  await sleep(MINUTES - 1);
  const last = await sample();
  console.log(`after ${MINUTES} min: ${Object.entries(last).map(([k, v]) => `${k} ${v.toFixed(2)} MiB`).join(', ')}`);
  for (const k of Object.keys(pages)) console.log(`${k}: heap at ${MINUTES} min / heap at 1 min = ${(last[k]! / first[k]!).toFixed(3)}`);
  const lines = await explorer.getByTestId('explorer-result').locator('.recharts-line').count();
  console.log(`explorer chart lines drawn at the end: ${lines}`);
} finally {
  await browser.close();
  core.close();
  await core.stack.down().catch(() => undefined);
  await core.stack.removeData().catch(() => undefined);
  await bridge.close();
}

/**
 * Benchmark: the renderer's JS heap under live charts. Starts the real stack with an inference
 * worker (a container) and node_exporter (on the two-RX-580 fixture sysfs), sends the digits
 * demo model a steady trickle of predictions, and opens the console in Chromium on four pages at
 * once: the Metrics page's API Overview, Model Inference and System Resources dashboards (every
 * panel refreshing every 5 s) and the explorer with a live range query. It prints each page's
 * heap after a forced GC at 1 minute and at N minutes, and their ratio, and fails when a page
 * under the bound grows more than it allows. `npm run bench:heap`; BENCH_HEAP_MINUTES=3 for a
 * quicker run (default 10); BENCH_HEAP_EVERY_MINUTE=1 prints a sample every minute between.
 *
 * The pages open once the new Prometheus holds as much data as their charts' range (5 m, the
 * explorer's and, picked here, the dashboards'), so from the first sample on every chart holds
 * the points it holds in use: charts filling up with a fresh Prometheus's first minutes are not
 * a leak, and measured 1 -> 10 min they were most of the growth (the explorer's 5 m chart held
 * 1 min of points at minute 1). BENCH_HEAP_PREFILL_MINUTES changes that wait (default 5).
 */
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { launchChromium } from '../e2e/browser';
import { ConsoleCore } from '../electron/core/console-core';
import { startWebBridge } from '../electron/web/web-bridge';
import { loadDigits } from '../inference/demo-models/mnist-digits';
import { InferenceClient } from '../inference/inference-client';
import { mountableFixture } from '../stack/testing/node-exporter-fixture';
import { testStackSettings } from '../stack/testing/test-settings';

const MINUTES = Number(process.env.BENCH_HEAP_MINUTES ?? 10);
if (!(MINUTES > 1)) throw new Error('BENCH_HEAP_MINUTES must be more than 1');
const EVERY_MINUTE = process.env.BENCH_HEAP_EVERY_MINUTE === '1';
const RENDERER_DIR = fileURLToPath(new URL('../dist/renderer', import.meta.url));
const LIVE_QUERY = 'sum by (handler) (rate(prometheus_http_requests_total[1m]))';
/** Every chart's range; the stack gathers this much data before the pages open. */
const RANGE = '5 m';
const PREFILL_MINUTES = Number(process.env.BENCH_HEAP_PREFILL_MINUTES ?? 5);
/** Heap at N min / heap at 1 min, at most, for the pages under the bound. */
const MAX_RATIO = 1.1;
const BOUNDED = ['modelInference', 'systemResources'];
/** Predictions a second to the digits demo model, so the Model Inference charts change every refresh. */
const PREDICTIONS_PER_S = 10;

/**
 * A page's JS heap after a forced GC: the least of three samples 1.5 s apart, as one taken while
 * a refresh is being drawn also holds that refresh's data (one page read 13.5, 24.3, 19.1, 13.6 MiB
 * a minute apart).
 */
async function heapMiB(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  let least = Infinity;
  for (let i = 0; i < 3; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 1500));
    await cdp.send('HeapProfiler.collectGarbage');
    least = Math.min(least, (await cdp.send('Runtime.getHeapUsage')).usedSize);
  }
  await cdp.detach();
  return least / 2 ** 20;
}

interface HeapSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
}

/**
 * What V8 counts as code in a page's heap (bytecode, baseline and optimized machine code and
 * their tables), from a heap snapshot: it grew for 20 minutes and more in these pages as more
 * functions got hot enough for the optimizing compilers, while no object of their own grew.
 */
async function codeMiB(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  const chunks: string[] = [];
  cdp.on('HeapProfiler.addHeapSnapshotChunk', ({ chunk }) => chunks.push(chunk));
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  await cdp.detach();
  const { snapshot, nodes } = JSON.parse(chunks.join('')) as HeapSnapshot;
  const { node_fields: fields, node_types: [types] } = snapshot.meta;
  const type = fields.indexOf('type');
  const size = fields.indexOf('self_size');
  const code = types.indexOf('code');
  let bytes = 0;
  for (let i = 0; i < nodes.length; i += fields.length) if (nodes[i + type] === code) bytes += nodes[i + size]!;
  return bytes / 2 ** 20;
}

const fixture = await mountableFixture();
const settings = await testStackSettings('bench-heap', { inference: true, nodeExporter: { sysfs: fixture.sys } });
const core = new ConsoleCore({ settings, settingsFile: '(bench)', mode: 'web' });
const bridge = await startWebBridge({ handlers: core.handlers, events: core, port: 0, rendererDir: RENDERER_DIR });
const browser = await launchChromium();
let traffic: NodeJS.Timeout | undefined;
let failed = false;
try {
  await core.rig.up();

  const client = new InferenceClient(`http://127.0.0.1:${settings.inference.port}`, { timeoutMs: 10_000 });
  const digits = loadDigits().test;
  const sent = { ok: 0, failed: 0 };
  let n = 0;
  traffic = setInterval(() => {
    const { pixels } = digits[n++ % digits.length]!;
    client.predict({ model_name: 'digits', inputs: { image: { dims: [1, 1, 28, 28], data: Array.from(pixels) } } }).then(
      () => sent.ok++,
      () => sent.failed++,
    );
  }, 1000 / PREDICTIONS_PER_S);
  const sleep = (min: number) => new Promise((r) => setTimeout(r, min * 60_000));
  console.log(`stack up, ${PREDICTIONS_PER_S} predictions/s; the pages open in ${PREFILL_MINUTES} min, their charts' range ${RANGE}`);
  await sleep(PREFILL_MINUTES);

  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const login = await context.newPage();
  await login.goto(bridge.openUrl);
  await login.getByTestId('nav-metrics').waitFor();
  await login.close();

  const dashboard = async (tab: string) => {
    const page = await context.newPage();
    await page.goto(`${bridge.url}/#/metrics?tab=${tab}`);
    await page.getByTestId(`dashboard-panel-${tab}`).waitFor();
    await page.getByRole('radiogroup', { name: 'Time range' }).getByText(RANGE, { exact: true }).click();
    return page;
  };
  const apiOverview = await dashboard('api-overview');
  const modelInference = await dashboard('model-inference');
  const systemResources = await dashboard('system-resources');

  const explorer = await context.newPage();
  await explorer.goto(`${bridge.url}/#/explorer`);
  await explorer.getByTestId('promql-editor').click();
  await explorer.keyboard.type(LIVE_QUERY);
  await explorer.keyboard.press('Escape');
  await explorer.getByRole('radiogroup', { name: 'Query range' }).getByText(RANGE, { exact: true }).click();
  await explorer.getByTestId('explorer-live').check();
  await explorer.getByRole('button', { name: 'Run', exact: true }).click();

  const pages: Record<string, Page> = { apiOverview, modelInference, systemResources, explorer };
  const sample = async () => Object.fromEntries(await Promise.all(Object.entries(pages).map(async ([k, p]) => [k, await heapMiB(p)] as const)));
  const sampleCode = async () => {
    const code: Record<string, number> = {};
    for (const [k, p] of Object.entries(pages)) code[k] = await codeMiB(p);
    return code;
  };
  const show = (heaps: Record<string, number>) => Object.entries(heaps).map(([k, v]) => `${k} ${v.toFixed(2)} MiB`).join(', ');
  // Heaps of pages that draw nothing (the stack gone, a query failing) say nothing about the charts.
  const chartsDrawn = async () => ({
    apiOverview: await apiOverview.getByTestId('chart').count(),
    modelInference: await modelInference.getByTestId('chart').count(),
    systemResources: await systemResources.getByTestId('chart').count(),
    explorer: await explorer.getByTestId('explorer-result').locator('.recharts-line').count(),
  });

  await sleep(1);
  const first = await sample();
  const codeFirst = await sampleCode();
  const drawnFirst = await chartsDrawn();
  console.log(`after 1 min: ${show(first)}`);
  for (let m = 2; EVERY_MINUTE && m < MINUTES; m++) {
    await sleep(1);
    console.log(`after ${m} min: ${show(await sample())}`);
  }
  await sleep(EVERY_MINUTE ? 1 : MINUTES - 1);
  const last = await sample();
  const codeLast = await sampleCode();
  console.log(`after ${MINUTES} min: ${show(last)}`);
  for (const k of Object.keys(pages)) {
    const ratio = last[k]! / first[k]!;
    const bound = BOUNDED.includes(k) ? ` (bound ${MAX_RATIO.toFixed(3)}${ratio > MAX_RATIO ? ': EXCEEDED' : ''})` : '';
    if (BOUNDED.includes(k) && ratio > MAX_RATIO) failed = true;
    const rest = (last[k]! - codeLast[k]!) / (first[k]! - codeFirst[k]!);
    console.log(`${k}: heap at ${MINUTES} min / heap at 1 min = ${ratio.toFixed(3)}${bound}; V8's compiled code ${codeFirst[k]!.toFixed(2)} -> ${codeLast[k]!.toFixed(2)} MiB, the rest ${rest.toFixed(3)}`);
  }
  const drawnLast = await chartsDrawn();
  const counts = (c: Record<string, number>) => Object.entries(c).map(([k, v]) => `${k} ${v}`).join(', ');
  console.log(`charts drawn (the explorer's lines) at 1 min: ${counts(drawnFirst)}; at ${MINUTES} min: ${counts(drawnLast)}`);
  console.log(`predictions sent to digits: ${sent.ok} answered, ${sent.failed} failed`);
  if ([...Object.values(drawnFirst), ...Object.values(drawnLast)].some((n) => n === 0)) {
    console.error('a page drew no chart at a sample: its heap says nothing about live charts');
    failed = true;
  }
} finally {
  clearInterval(traffic);
  await browser.close();
  core.close();
  await core.rig.down().catch(() => undefined);
  await core.rig.removeData().catch(() => undefined);
  await bridge.close();
  await Promise.all([fixture.work, settings.dataDir].map((dir) => rm(dir, { recursive: true, force: true })));
}
if (failed) process.exitCode = 1;

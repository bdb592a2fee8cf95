import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleCore } from '../electron/core/console-core';
import { dispatchApiCall } from '../electron/core/dispatch';
import { parseSettings, saveSettings } from '../electron/settings/settings-file';
import { coreCaller } from '../electron/testing/core-calls';
import type { WebBridge } from '../electron/web/web-bridge';
import { PrometheusClient } from '../stack/clients/prometheus-client';
import { INFERENCE_TARGETS_FILE } from '../stack/config/inference-targets';
import { testStackSettings } from '../stack/testing/test-settings';
import { openWebConsole } from './browser';

// One worker of this machine stopped and started on its own from its card on the Overview page
// (Chromium, web mode) and through the API, on the real stack (test images): two CPU workers,
// Prometheus scraping both every second and evaluating WorkerDown (`for` 2 s) every second.
describe("this machine's workers, one at a time", () => {
  let core: ConsoleCore;
  let prometheus: PrometheusClient;
  let bridge: WebBridge;
  let browser: Browser;
  let page: Page;
  let consoleErrors: string[];
  const call = coreCaller(() => core);
  const card = (worker: string) => page.getByTestId(`service-inference-${worker}`);
  const badge = (worker: string) => card(worker).getByTestId('service-status').textContent();

  const targets = async () =>
    (await prometheus.targets()).activeTargets
      .filter((t) => t.labels.job === 'rx580-api')
      .map((t) => `${t.labels.gpu} ${t.health}`)
      .sort();
  const states = async () => (await call('stack.status')).services.filter((s) => s.name === 'inference').map((s) => `${s.worker} ${s.state}`);
  const targetsFile = () => readFile(join(core.rig.stack.spec.services.find((s) => s.service === 'prometheus')!.configDir!, INFERENCE_TARGETS_FILE), 'utf8');
  const firing = async () => (await prometheus.alerts()).filter((a) => a.state === 'firing' && ['WorkerDown', 'APIDown'].includes(a.labels.alertname ?? '')).map((a) => a.labels.alertname);

  beforeAll(async () => {
    const base = await testStackSettings('local-workers', { inference: true });
    const settings = parseSettings({
      ...base,
      prometheus: { ...base.prometheus, scrapeInterval: '1s' },
      inference: { ...base.inference, gpus: 'none', cpuWorkers: 2 },
      alerts: { ...base.alerts, evaluationInterval: '1s', workerDownFor: '2s' },
    });
    const settingsFile = join(settings.dataDir, 'settings.json');
    await saveSettings(settingsFile, settings);
    core = new ConsoleCore({ settings, settingsFile, mode: 'web' });
    prometheus = new PrometheusClient(`http://127.0.0.1:${settings.prometheus.port}`);
    await core.rig.up();
    ({ bridge, browser, page, consoleErrors } = await openWebConsole(core));
    await page.goto(bridge.openUrl);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await bridge?.close();
    core?.close();
    await core?.stack.down().catch(() => undefined);
    await core?.stack.removeData().catch(() => undefined);
  }, 60_000);

  it('stops one worker from its card: it stays, stopped, leaves the targets and pages nobody; the other keeps serving', async () => {
    await expect.poll(targets, { timeout: 30_000, interval: 500 }).toEqual(['cpu0 up', 'cpu1 up']);
    await expect.poll(() => badge('cpu1'), { timeout: 30_000 }).toBe('Healthy');
    // Each worker's card has its own button besides the pair for all workers on the first.
    expect(await card('cpu0').getByTestId('worker-action-cpu0').textContent()).toBe('Stop cpu0');
    await card('cpu1').getByRole('button', { name: 'Stop worker cpu1' }).click();
    await expect.poll(() => badge('cpu1'), { timeout: 30_000 }).toBe('Stopped');
    await expect.poll(() => card('cpu1').getByTestId('worker-action-cpu1').textContent()).toBe('Start cpu1');
    expect(await badge('cpu0')).toBe('Healthy');
    expect(await states()).toEqual(['cpu0 running', 'cpu1 exited']);
    expect(JSON.parse(await targetsFile()).map((g: { labels: { gpu: string } }) => g.labels.gpu)).toEqual(['cpu0']);
    await expect.poll(targets, { timeout: 20_000, interval: 500 }).toEqual(['cpu0 up']);
    // Longer than WorkerDown's `for` and an evaluation.
    await new Promise((r) => setTimeout(r, 4000));
    expect(await firing()).toEqual([]);
    // Saving the alert settings renders the targets again: the stopped worker stays out.
    const { settings } = await call('settings.get');
    await call('settings.update', { ...settings, alerts: { ...settings.alerts, workerDownFor: '3s' } });
    expect(JSON.parse(await targetsFile()).map((g: { labels: { gpu: string } }) => g.labels.gpu)).toEqual(['cpu0']);
    // So does starting Prometheus alone, which renders its config again and starts no worker.
    await core.stack.up(['prometheus']);
    expect(JSON.parse(await targetsFile()).map((g: { labels: { gpu: string } }) => g.labels.gpu)).toEqual(['cpu0']);
  }, 60_000);

  it('refuses a worker it does not have, naming those it has, and a call that names none', async () => {
    const unknown = await dispatchApiCall(core.handlers, 'inference.workerStart', ['card3']);
    expect(unknown.status).toBe(404);
    expect(JSON.stringify(unknown.body)).toMatch(/This machine has no worker card3: its workers are cpu0, cpu1\./);
    const empty = await dispatchApiCall(core.handlers, 'inference.workerStop', ['']);
    expect(empty.status).toBe(400);
    expect(JSON.stringify(empty.body)).toMatch(/name a worker: its card \(card0\) or cpu/);
  });

  it('starts it again from its card, ready and back in the targets; the stack-wide start brings a stopped worker back too', async () => {
    await card('cpu1').getByRole('button', { name: 'Start worker cpu1' }).click();
    await expect.poll(() => badge('cpu1'), { timeout: 60_000 }).toBe('Healthy');
    expect(await states()).toEqual(['cpu0 running', 'cpu1 running']);
    await expect.poll(targets, { timeout: 20_000, interval: 500 }).toEqual(['cpu0 up', 'cpu1 up']);

    await call('inference.workerStop', 'cpu0');
    await expect.poll(targets, { timeout: 20_000, interval: 500 }).toEqual(['cpu1 up']);
    await call('inference.start');
    expect(await states()).toEqual(['cpu0 running', 'cpu1 running']);
    await expect.poll(targets, { timeout: 20_000, interval: 500 }).toEqual(['cpu0 up', 'cpu1 up']);
    expect(consoleErrors).toEqual([]);
  }, 90_000);
});

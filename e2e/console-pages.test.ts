import Docker from 'dockerode';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleCore } from '../electron/core/console-core';
import { startWebBridge, type WebBridge } from '../electron/web/web-bridge';
import { AlertmanagerClient } from '../stack/clients/alertmanager-client';
import { loadDigits } from '../inference/demo-models/mnist-digits';
import { digitImage } from '../inference/testing/digit-images';
import { testStackSettings } from '../stack/testing/test-settings';
import { collectConsoleErrors, launchChromium, openWebConsole, RENDERER_DIR, SCREENSHOTS } from './browser';


// Every page of the console in a real Chromium (web mode), on the real stack: start from the
// UI, each page, the PromQL editor's errors, a silence made and expired, followed logs, stop.
describe('console pages e2e', () => {
  let core: ConsoleCore;
  let bridge: WebBridge;
  let browser: Browser;
  let page: Page;
  let consoleErrors: string[];
  /** API answers of 4xx/5xx: each must be one the test provoked. */
  const failedCalls: string[] = [];
  let stopping = false;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    // Short intervals so rates and the APIDown alert show within the test; everything else as shipped.
    const base = await testStackSettings('pages', { inference: true });
    const settings = {
      ...base,
      prometheus: { ...base.prometheus, scrapeInterval: '2s' },
      alerts: { ...base.alerts, evaluationInterval: '2s', apiDownFor: '20s' },
    };
    core = new ConsoleCore({ settings, settingsFile: '(test)', mode: 'web' });
    ({ bridge, browser, page, consoleErrors } = await openWebConsole(core, { viewport: { width: 1280, height: 860 } }));
    page.on('response', (r) => {
      // While the stack stops, a poll already on its way may find Prometheus gone: a 503 then is expected.
      if (r.status() >= 400 && !(stopping && r.status() === 503)) failedCalls.push(`${r.status()} ${new URL(r.url()).pathname}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    core?.close();
    await core?.stack.down().catch(() => undefined);
    await core?.stack.removeData().catch(() => undefined);
    await bridge?.close();
  });

  const status = (service: string) => page.getByTestId(`service-${service}`).getByTestId('service-status');
  const go = async (id: string) => {
    await page.getByTestId(`nav-${id}`).click();
    await expect.poll(() => page.getByTestId(`page-${id}`).isVisible()).toBe(true);
  };
  const shot = (name: string) => page.screenshot({ path: `${SCREENSHOTS}${name}.png` });

  it('starts the stack from the UI and shows its steps until every service is ready', async () => {
    await page.goto(bridge.openUrl);
    await expect.poll(() => status('prometheus').textContent()).toBe('Stopped');
    await expect.poll(() => page.getByTestId('engine-connection').textContent()).toMatch(/Docker engine .*connected/);
    expect(await page.getByTestId('firing-count').textContent()).toBe('Alerts: Prometheus not running');

    await page.getByRole('button', { name: 'Start stack' }).click();
    // The per-service steps show while it starts.
    await page.getByTestId('service-step').first().waitFor({ timeout: 60_000 });
    await expect.poll(() => status('prometheus').textContent(), { timeout: 90_000 }).toBe('Healthy');
    await expect.poll(() => status('alertmanager').textContent(), { timeout: 30_000 }).toBe('Healthy');
    // The inference service starts with the stack.
    await expect.poll(() => status('inference').textContent(), { timeout: 30_000 }).toBe('Healthy');
    await expect.poll(() => page.getByTestId('service-step').count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('firing-count').textContent(), { timeout: 20_000 }).toBe('0 firing');
    const link = page.getByTestId('service-prometheus').getByTestId('service-open');
    expect(await link.getAttribute('href')).toBe(`http://127.0.0.1:${core.settings.prometheus.port}`);
    expect(await link.getAttribute('target')).toBe('_blank');
    await expect.poll(() => page.getByTestId('service-prometheus').getByTestId('service-uptime').textContent()).toMatch(/^\d+ s$/);
    await shot('overview');
  }, 150_000);

  it('navigates every page by mouse and keyboard, keeping each page state', async () => {
    for (const id of ['metrics', 'explorer', 'alerts', 'logs', 'overview']) await go(id);
    // Keyboard: the navigation is a list of links; Enter on one opens its page.
    await page.getByTestId('nav-metrics').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('page-metrics').isVisible()).toBe(true);
    expect(page.url()).toMatch(/#\/metrics$/);
    await page.keyboard.press('Alt+4');
    await expect.poll(() => page.getByTestId('page-alerts').isVisible()).toBe(true);
    await page.keyboard.press('Alt+2');
    await expect.poll(() => page.getByTestId('page-metrics').isVisible()).toBe(true);
    await page.getByRole('radiogroup', { name: 'Time range' }).getByText('1 h', { exact: true }).click();
    await go('overview');
    await go('metrics');
    expect(await page.getByRole('radiogroup', { name: 'Time range' }).getByRole('radio', { name: '1 h' }).isChecked()).toBe(true);
    // No AMD card here, so no GPU memory series: the panel says why it is empty instead of drawing zero.
    await expect.poll(() => page.getByTestId('panel-gpu-memory').getByTestId('chart-empty').textContent(), { timeout: 20_000 }).toMatch(/none was found/);
    expect(await page.getByTestId('panel-memory').textContent()).toContain('Memory');
  }, 60_000);

  it('shows a PromQL syntax error inline, Prometheus own error after running, and a chart for a good query', async () => {
    await go('explorer');
    const editor = page.getByTestId('promql-editor');
    await editor.click();
    await page.keyboard.type('sum(rate(up[5m])) by (job) +');
    await expect.poll(() => page.getByTestId('promql-diagnostics').textContent(), { timeout: 10_000 }).toMatch(/Syntax error/);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.getByTestId('query-error').textContent(), { timeout: 10_000 }).toMatch(/parse error/);

    await page.keyboard.press('Control+a');
    await page.keyboard.type('sum by (job) (up)');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('promql-diagnostics').count()).toBe(0);
    // Prometheus scrapes every 15 s: run again until its first samples are there.
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: 'Run', exact: true }).click();
          await page.waitForTimeout(1000);
          return page.getByTestId('explorer-result').getByTestId('chart').count();
        },
        { timeout: 40_000, interval: 1000 },
      )
      .toBe(1);
    await expect.poll(() => page.getByTestId('explorer-result').locator('.recharts-line').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await shot('explorer');

    // Completion lists metric names that came through the contract.
    await editor.click();
    await page.keyboard.press('Control+a');
    await page.keyboard.type('prometheus_build');
    await expect.poll(() => page.locator('.cm-tooltip-autocomplete').textContent(), { timeout: 10_000 }).toContain('prometheus_build_info');
    await page.keyboard.press('Escape');

    await page.getByText('Table (instant)').click();
    await editor.click();
    await page.keyboard.press('Control+a');
    await page.keyboard.type('up');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => page.getByTestId('query-table').textContent(), { timeout: 10_000 }).toMatch(/up\{.*job="prometheus"/);
  }, 90_000);

  it('runs a prediction on a demo model and sees the expected label', async () => {
    await go('predictions');
    await expect.poll(() => page.getByTestId('model-select').locator('option').allTextContents(), { timeout: 20_000 }).toContain('digits');
    await page.getByTestId('model-select').selectOption('digits');
    const sample = loadDigits().test[7]!;
    await page.getByTestId('image-file').setInputFiles({ name: 'digit.png', mimeType: 'image/png', buffer: await digitImage(sample) });
    await page.getByTestId('run-prediction').click();
    const top = page.getByTestId('top-k').locator('li').first();
    await expect.poll(() => top.locator('.score-label').textContent(), { timeout: 15_000 }).toBe(String(sample.label));
    expect(await page.getByTestId('provider').textContent()).toBe('cpu');
  }, 60_000);

  it('draws the request-rate line once there is traffic', async () => {
    // Bounded traffic to the inference service on loopback: 80 requests over about 8 s.
    const base = `http://127.0.0.1:${core.settings.inference.port}`;
    for (let i = 0; i < 80; i++) {
      await fetch(`${base}/${i % 2 ? 'health' : 'models'}`).then((r) => r.body?.cancel());
      await new Promise((r) => setTimeout(r, 100));
    }
    await go('metrics');
    await page.getByRole('radiogroup', { name: 'Time range' }).getByText('5 m', { exact: true }).click();
    const panel = page.getByTestId('panel-request-rate');
    await expect.poll(() => panel.getByTestId('chart').isVisible(), { timeout: 30_000 }).toBe(true);
    const line = panel.locator('.recharts-line-curve').first();
    await expect.poll(async () => ((await line.getAttribute('d')) ?? '').length, { timeout: 30_000 }).toBeGreaterThan(10);
    // Traffic without a single 5xx is a 0 % error rate, drawn as a line rather than "no data".
    await expect.poll(() => page.getByTestId('panel-error-rate').getByTestId('chart').isVisible(), { timeout: 30_000 }).toBe(true);

    // The rig and GPU selects list what Prometheus has; a choice narrows every panel and is kept in the address.
    const rig = page.getByTestId('metrics-rig');
    await expect.poll(() => rig.locator('option').allTextContents(), { timeout: 15_000 }).toEqual(['All', 'local']);
    await rig.selectOption({ label: 'local' });
    expect(page.url()).toMatch(/#\/metrics\?tab=api-overview&rig=local$/);
    // Labelled, and chosen from the keyboard.
    const gpu = page.getByRole('combobox', { name: /^GPU/ });
    await expect.poll(() => gpu.locator('option').allTextContents(), { timeout: 15_000 }).toEqual(['All', 'cpu']);
    await gpu.focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.url()).toMatch(/&rig=local&gpu=cpu$/);
    await gpu.blur();
    await expect.poll(async () => ((await line.getAttribute('d')) ?? '').length, { timeout: 30_000 }).toBeGreaterThan(10);
    // A rig that has nothing: each panel says so.
    await page.evaluate(() => (window.location.hash = '#/metrics?tab=api-overview&rig=nope'));
    await expect.poll(() => panel.getByTestId('chart-empty').textContent(), { timeout: 15_000 }).toMatch(/^No data for rig nope in this range/);
    await rig.selectOption({ label: 'local' });
    await expect.poll(async () => ((await line.getAttribute('d')) ?? '').length, { timeout: 30_000 }).toBeGreaterThan(10);
    await shot('metrics');
  }, 90_000);

  it('watches APIDown go pending then firing when the inference service stops, silences it, and expires the silence', async () => {
    await go('overview');
    await page.getByTestId('inference-stop').click();
    await expect.poll(() => status('inference').textContent(), { timeout: 15_000 }).toBe('Stopped');

    await go('alerts');
    const state = () => page.getByTestId('rule-APIDown').locator('.badge').textContent();
    await expect.poll(state, { timeout: 30_000, interval: 250 }).toBe('pending');
    await expect.poll(state, { timeout: 40_000, interval: 250 }).toBe('firing');
    await expect.poll(() => page.getByTestId('firing-count').textContent(), { timeout: 10_000 }).toMatch(/[1-9]\d* firing/);

    const alert = page.getByTestId('am-alert-APIDown');
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.textContent()).toMatch(/active/);
    await alert.getByRole('button', { name: 'Silence…' }).click();
    await alert.getByLabel('For').selectOption({ label: '2 hours' });
    await alert.getByLabel('Why').fill('model server maintenance');
    await alert.getByRole('button', { name: 'Create silence' }).click();
    await expect.poll(() => alert.getByTestId('alert-silenced').isVisible(), { timeout: 15_000 }).toBe(true);
    // The silences have a tab of their own.
    await page.getByTestId('alerts-tab-silences').click();
    await expect.poll(() => page.getByTestId('silences-table').textContent()).toMatch(/alertname="APIDown".*model server maintenance/s);
    await page.getByTestId('alerts-tab-now').click();
    await shot('alerts');

    await alert.getByRole('button', { name: 'Expire silence' }).click();
    await expect.poll(() => alert.getByTestId('alert-silenced').count(), { timeout: 15_000 }).toBe(0);
    const am = new AlertmanagerClient(`http://127.0.0.1:${core.settings.alertmanager.port}`);
    expect((await am.silences()).filter((s) => s.status.state === 'active')).toEqual([]);

    await go('overview');
    await page.getByTestId('inference-start').click();
    await expect.poll(() => status('inference').textContent(), { timeout: 30_000 }).toBe('Healthy');
  }, 150_000);

  it('shows a container log, filters and highlights it, and follows new lines', async () => {
    await go('logs');
    await page.getByTestId('log-source').selectOption({ label: 'Prometheus' });
    await expect.poll(() => page.getByTestId('log-lines').textContent(), { timeout: 15_000 }).toMatch(/Server is ready to receive web requests/);
    await expect.poll(() => page.getByText('· following').count(), { timeout: 10_000 }).toBe(1);
    // A reload makes Prometheus write new lines, which arrive without asking.
    await fetch(`http://127.0.0.1:${core.settings.prometheus.port}/-/reload`, { method: 'POST' });
    await expect.poll(() => page.getByTestId('log-lines').textContent(), { timeout: 15_000 }).toMatch(/Completed loading of configuration file/);
    await page.getByTestId('log-search').fill('configuration');
    const lines = await page.getByTestId('log-lines').locator('> div').allTextContents();
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => /configuration/i.test(l))).toBe(true);
    expect(await page.getByTestId('log-lines').locator('mark').first().textContent()).toMatch(/configuration/i);
    await shot('logs');
  }, 60_000);

  it('shows the inference log, and a crashed inference container brought back by the engine with its restart counted', async () => {
    await go('logs');
    await page.getByTestId('log-search').fill('');
    await page.getByTestId('log-source').selectOption({ label: 'Inference service' });
    await expect.poll(() => page.getByTestId('log-lines').textContent(), { timeout: 15_000 }).toMatch(/inference: listening on/);
    await go('overview');
    const restarts = () => page.getByTestId('service-inference').getByTestId('service-restarts').textContent();
    expect(await restarts()).toBe('0');
    // A crash: the container's process dies on its own (`docker kill` would be a stop by hand).
    const { State } = await new Docker().getContainer(`${core.settings.project}-inference`).inspect();
    process.kill(State.Pid, 'SIGKILL');
    await expect.poll(restarts, { timeout: 15_000 }).toBe('1');
    await expect.poll(() => status('inference').textContent(), { timeout: 30_000 }).toBe('Healthy');
  }, 60_000);

  it('stops the stack from the UI, and no page logged a console error', async () => {
    await go('overview');
    stopping = true;
    await page.getByRole('button', { name: 'Stop stack' }).click();
    await expect.poll(() => status('prometheus').textContent(), { timeout: 60_000 }).toBe('Stopped');
    await expect.poll(() => status('alertmanager').textContent(), { timeout: 30_000 }).toBe('Stopped');
    await expect.poll(() => page.getByTestId('firing-count').textContent(), { timeout: 10_000 }).toBe('Alerts: Prometheus not running');
    await go('metrics');
    await expect.poll(() => page.getByTestId('panel-request-rate').getByTestId('chart-empty').textContent(), { timeout: 10_000 }).toMatch(/stack is stopped/);
    // The bad query's 400 is the one failed call; Chromium logs it as a failed resource.
    expect(failedCalls).toEqual(['400 /api/invoke/prometheus.queryRange']);
    const expected = 'Failed to load resource: the server responded with a status of 400 (Bad Request)';
    // Docker creating or removing any bridge network on this host (other tests' stacks too)
    // changes the host's interfaces; Chromium then aborts in-flight requests and logs that.
    const environmental = /^Failed to load resource: (net::ERR_NETWORK_CHANGED|the server responded with a status of 503 \(Service Unavailable\))$/;
    expect(consoleErrors.filter((e) => e !== expected && !environmental.test(e))).toEqual([]);
    expect(consoleErrors.filter((e) => e === expected)).toHaveLength(1);
  }, 90_000);
});

// What the Overview says when the stack cannot start: each error as a headline and what to do.
describe('overview errors e2e', () => {
  let browser: Browser;
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await browser?.close();
  });

  async function openConsole(name: string, env?: NodeJS.ProcessEnv) {
    const core = new ConsoleCore({ settings: await testStackSettings(name), settingsFile: '(test)', mode: 'web', ...(env ? { env } : {}) });
    const bridge = await startWebBridge({ handlers: core.handlers, events: core, port: 0, rendererDir: RENDERER_DIR });
    closers.push(async () => {
      core.close();
      await bridge.close();
    });
    const page = await browser.newPage();
    const errors = collectConsoleErrors(page);
    await page.goto(bridge.openUrl);
    return { core, page, errors };
  }

  it('says the Docker engine is unreachable, with what to do and a way to check again', async () => {
    const { page, errors } = await openConsole('noengine', { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    const box = page.getByTestId('engine-error');
    await expect.poll(() => box.textContent(), { timeout: 15_000 }).toMatch(/Docker engine unreachable.*unix:\/\/\/nonexistent\/docker\.sock.*start Docker/s);
    expect(await box.getByRole('button', { name: 'Check again' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Start stack' }).isDisabled()).toBe(true);
    expect(await page.getByTestId('engine-connection').textContent()).toBe('Docker engine unreachable');
    expect(errors).toEqual([]);
  });

  it('says which port is taken and which setting moves it', async () => {
    const { core, page, errors } = await openConsole('portinuse');
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(core.settings.prometheus.port, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => blocker.close(() => resolve())));
    await page.getByRole('button', { name: 'Start stack' }).click();
    await expect
      .poll(() => page.getByTestId('action-error').textContent(), { timeout: 30_000 })
      .toMatch(new RegExp(`A port is already in use.*Port ${core.settings.prometheus.port}.*RX580_OPS_PROMETHEUS_PORT`, 's'));
    // Nothing was created: the start failed before touching Docker.
    expect((await core.stack.status()).services.every((s) => s.state === 'missing')).toBe(true);
    expect(errors).toEqual(['Failed to load resource: the server responded with a status of 409 (Conflict)']);
  }, 60_000);
});

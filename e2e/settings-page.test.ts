import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleCore } from '../electron/core/console-core';
import type { WebBridge } from '../electron/web/web-bridge';
import { parseSettings, saveSettings } from '../electron/settings/settings-file';
import { openWebConsole, SCREENSHOTS } from './browser';


// The Settings page and the first-run panel in a real Chromium against the real web bridge; the
// Docker endpoint does not exist, so the Docker check fails the way it would on a fresh machine.
describe('settings page e2e', () => {
  let core: ConsoleCore;
  let bridge: WebBridge;
  let browser: Browser;
  let page: Page;
  let file: string;
  let dir: string;
  let consoleErrors: string[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rx580-settings-e2e-'));
    file = join(dir, 'settings.json');
    const settings = parseSettings({ project: 'rx580-settings-e2e', dataDir: dir, inference: { modelsDir: dir } });
    await saveSettings(file, settings);
    core = new ConsoleCore({ settings, settingsFile: file, mode: 'web', env: { DOCKER_HOST: `unix://${join(dir, 'no-docker.sock')}`, PATH: '/nonexistent' } });
    ({ bridge, browser, page, consoleErrors } = await openWebConsole(core, { viewport: { width: 1200, height: 900 }, acceptDownloads: true }));
    await page.goto(bridge.openUrl);
  });

  afterAll(async () => {
    await browser?.close();
    core?.close();
    await bridge?.close();
  });

  it('shows the failed first-run checks with their fixes on the Overview', async () => {
    const panel = page.getByTestId('first-run-checks');
    await expect.poll(() => panel.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await panel.getByTestId('check-docker').textContent()).toMatch(/Docker is not installed.*Fix: Install Docker/);
    expect(await panel.getByTestId('check-models').textContent()).toMatch(/models folder is empty.*Fix: Copy \.onnx models/);
  });

  it('saves the form, with a message beside each bad field', async () => {
    await page.getByTestId('nav-settings').click();
    const port = page.getByLabel('Prometheus port');
    await port.fill('70000');
    await page.getByTestId('settings-save').click();
    const field = page.getByTestId('field-prometheus.port');
    await expect.poll(() => field.getByRole('alert').textContent()).toMatch(/65535/);
    expect(await port.getAttribute('aria-invalid')).toBe('true');

    await port.fill('19090');
    await page.getByLabel('Error rate, warning (fraction of requests)').fill('0.02');
    await page.getByTestId('settings-notifications').uncheck();
    await page.getByTestId('settings-on-quit').selectOption('keep');
    await page.getByRole('button', { name: 'Try cpu earlier' }).click();
    await page.getByTestId('settings-save').click();
    await expect.poll(() => page.getByTestId('settings-notice').textContent()).toMatch(/Settings saved\. Ports, images .* apply when the console starts again/);
    await page.screenshot({ path: `${SCREENSHOTS}settings.png`, fullPage: true });

    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(saved).toMatchObject({ schemaVersion: 3, prometheus: { port: 19090 }, alerts: { errorRateWarning: 0.02 }, inference: { providers: ['cpu', 'webgpu'] }, desktop: { notifications: false, onQuit: 'keep' } });
    expect(core.settings.desktop).toEqual({ notifications: false, onQuit: 'keep' });
  });

  it('exports the settings as a file and imports a v1 file, naming the fields of a bad one', async () => {
    const download = page.waitForEvent('download');
    await page.getByTestId('settings-export').click();
    const exported = await download;
    expect(exported.suggestedFilename()).toBe('rx580-ops-settings.json');
    expect(JSON.parse(await readFile((await exported.path())!, 'utf8'))).toMatchObject({ schemaVersion: 3, prometheus: { port: 19090 } });

    const v1 = join(dir, 'old-settings.json');
    await writeFile(v1, JSON.stringify({ project: 'rx580-settings-e2e', dataDir: dir, prometheus: { port: 29090 }, inference: { modelsDir: dir } }));
    await page.getByTestId('settings-import-file').setInputFiles(v1);
    await expect.poll(() => page.getByLabel('Prometheus port').inputValue()).toBe('29090');
    expect(await page.getByTestId('settings-notice').textContent()).toMatch(/imported and saved/);

    const bad = join(dir, 'bad-settings.json');
    await writeFile(bad, JSON.stringify({ alertmanager: { port: 'ninety' } }));
    await page.getByTestId('settings-import-file').setInputFiles(bad);
    await expect.poll(() => page.getByTestId('field-alertmanager.port').getByRole('alert').textContent()).toMatch(/number/);
    expect(JSON.parse(await readFile(file, 'utf8')).prometheus.port).toBe(29090);
    // Chromium logs each 400 answer: the refused form and the refused import, nothing else.
    expect(consoleErrors).toEqual(Array(2).fill('Failed to load resource: the server responded with a status of 400 (Bad Request)'));
  });
});

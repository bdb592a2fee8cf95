import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleCore } from '../electron/core/console-core';
import type { WebBridge } from '../electron/web/web-bridge';
import { testStackSettings } from '../stack/testing/test-settings';
import { openWebConsole } from './browser';


// The web mode in a real Chromium, driving the real stack on the real Docker engine.
describe('web console e2e', () => {
  let core: ConsoleCore;
  let bridge: WebBridge;
  let browser: Browser;
  let page: Page;
  let consoleErrors: string[];

  beforeAll(async () => {
    const settings = await testStackSettings('e2e');
    core = new ConsoleCore({ settings, settingsFile: '(test)', mode: 'web' });
    ({ bridge, browser, page, consoleErrors } = await openWebConsole(core, { viewport: { width: 1200, height: 720 } }));
  });

  afterAll(async () => {
    await browser?.close();
    await core?.stack.down().catch(() => undefined);
    await core?.stack.removeData().catch(() => undefined);
    core?.close();
    await bridge?.close();
  });

  const status = (service: string) => page.getByTestId(`service-${service}`).getByTestId('service-status');

  it('starts the stack with one click, sees both services healthy, stops it', async () => {
    await page.goto(bridge.openUrl);
    expect(new URL(page.url()).search).toBe('');
    await expect.poll(() => status('prometheus').textContent()).toBe('Stopped');
    expect(await status('grafana').textContent()).toBe('Off');

    await page.getByRole('button', { name: 'Start stack' }).click();
    await expect.poll(() => status('prometheus').textContent(), { timeout: 90_000 }).toBe('Healthy');
    await expect.poll(() => status('alertmanager').textContent(), { timeout: 30_000 }).toBe('Healthy');
    await expect.poll(() => page.getByRole('button', { name: 'Stop stack' }).isEnabled()).toBe(true);

    await page.getByRole('button', { name: 'Stop stack' }).click();
    await expect.poll(() => status('prometheus').textContent(), { timeout: 60_000 }).toBe('Stopped');
    await expect.poll(() => status('alertmanager').textContent(), { timeout: 30_000 }).toBe('Stopped');

    expect(consoleErrors).toEqual([]);
  }, 240_000);

  it('shows the access-token page to a browser without the token', async () => {
    const other = await browser.newContext();
    const anon = await other.newPage();
    await anon.goto(bridge.url);
    await expect.poll(() => anon.getByRole('heading', { name: 'Access token needed' }).isVisible()).toBe(true);
    await other.close();
  });
});

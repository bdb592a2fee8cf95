import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import type { ApiEventSource, ApiHandlers } from '../electron/api/contract';
import { startWebBridge, type WebBridge } from '../electron/web/web-bridge';

export const RENDERER_DIR = fileURLToPath(new URL('../dist/renderer', import.meta.url));
export const SCREENSHOTS = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));

export const CHROMIUM = process.env.RX580_OPS_CHROMIUM ?? '/usr/bin/chromium';

/** Debian's Chromium, headless; Playwright's own browser download is not available here. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install Debian's chromium package or set RX580_OPS_CHROMIUM.`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-gpu', '--no-first-run', '--disable-sync'],
  });
}

/** Collects what the page logs as an error, so a test can assert there was none. */
export function collectConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}

/** Opens the console with its token and goes to one page through the navigation, as a person would. */
export async function openConsolePage(page: Page, openUrl: string, id: string): Promise<void> {
  await page.goto(openUrl);
  await page.getByTestId(`nav-${id}`).click();
  await page.getByTestId(`page-${id}`).waitFor({ state: 'visible' });
}

export interface WebConsole {
  bridge: WebBridge;
  browser: Browser;
  page: Page;
  /** What the page logs as an error, for a test to assert there was none. */
  consoleErrors: string[];
}

/** A console core served in web mode and opened in Chromium: the bridge, the browser and one page. */
export async function openWebConsole(core: ApiEventSource & { handlers: ApiHandlers }, pageOptions: BrowserContextOptions = {}): Promise<WebConsole> {
  if (!existsSync(RENDERER_DIR)) throw new Error('The renderer is not built: run `npm run build` (npm test does it).');
  const bridge = await startWebBridge({ handlers: core.handlers, events: core, port: 0, rendererDir: RENDERER_DIR });
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, ...pageOptions });
  return { bridge, browser, page, consoleErrors: collectConsoleErrors(page) };
}

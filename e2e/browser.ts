import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

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

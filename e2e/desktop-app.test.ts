import { fileURLToPath } from 'node:url';
import { _electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { findElectronBinary } from '../electron/electron-binary';

const binary = findElectronBinary();
if (!binary.found) {
  // Said out loud, not only counted as skipped: this machine cannot run the desktop app.
  console.warn(`desktop e2e skipped: ${binary.reason}`);
}

describe.skipIf(!binary.found)('desktop app e2e (needs an Electron binary)', () => {
  it('launches the window and shows the stack overview', async () => {
    if (!binary.found) return;
    const app = await _electron.launch({ executablePath: binary.path, args: [fileURLToPath(new URL('..', import.meta.url))] });
    try {
      const window = await app.firstWindow();
      await expect.poll(() => window.getByRole('heading', { name: 'Monitoring stack' }).isVisible(), { timeout: 30_000 }).toBe(true);
      expect(await window.evaluate(() => typeof (window as unknown as { rx580Ops?: unknown }).rx580Ops)).toBe('object');
    } finally {
      await app.close();
    }
  }, 90_000);
});

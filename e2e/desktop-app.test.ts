import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { findElectronBinary } from '../electron/desktop/electron-binary';
import { saveSettings } from '../electron/settings/settings-file';
import type { Settings } from '../electron/api/schemas/settings';
import { StackManager } from '../stack/engine/stack-manager';
import { testStackSettings } from '../stack/testing/test-settings';

const binary = findElectronBinary();
if (!binary.found) {
  // Said out loud, not only counted as skipped: this machine cannot run the desktop app.
  console.warn(`desktop e2e skipped: ${binary.reason}`);
}

describe.skipIf(!binary.found)('desktop app e2e (needs an Electron binary)', () => {
  let settings: Settings | undefined;

  afterAll(async () => {
    if (!settings) return;
    const manager = new StackManager({ settings });
    await manager.down().catch(() => undefined);
    await manager.removeData().catch(() => undefined);
  });

  it('launches, starts the stack, sees it healthy, and quits (stopping the stack)', async () => {
    if (!binary.found) return;
    settings = await testStackSettings('electron');
    const userData = await mkdtemp(join(tmpdir(), 'rx580-electron-e2e-'));
    const settingsFile = join(userData, 'settings.json');
    // Quitting stops the stack without asking, so no dialog waits for a click.
    await saveSettings(settingsFile, { ...settings, desktop: { notifications: false, onQuit: 'stop' } });
    const app = await _electron.launch({
      executablePath: binary.path,
      args: [fileURLToPath(new URL('..', import.meta.url)), `--user-data-dir=${userData}`],
      env: { ...process.env, RX580_OPS_SETTINGS: settingsFile } as Record<string, string>,
    });
    const window = await app.firstWindow();
    await expect.poll(() => window.getByRole('heading', { name: 'Rig' }).isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await window.evaluate(() => typeof (window as unknown as { rx580Ops?: unknown }).rx580Ops)).toBe('object');
    // Sandboxed, isolated page: no Node in the renderer.
    expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');

    await window.getByRole('button', { name: 'Start stack' }).click();
    const status = (service: string) => window.getByTestId(`service-${service}`).getByTestId('service-status').textContent();
    await expect.poll(() => status('prometheus'), { timeout: 90_000 }).toBe('Healthy');
    await expect.poll(() => status('alertmanager'), { timeout: 30_000 }).toBe('Healthy');

    await app.close();
    const manager = new StackManager({ settings });
    expect((await manager.status()).services.every((s) => s.state === 'missing')).toBe(true);
  }, 240_000);
});

import { app, BrowserWindow, ipcMain, safeStorage, shell } from 'electron';
import { fileURLToPath } from 'node:url';
import { loadSettings } from '../stack/settings';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from './api/channels';
import { dispatchApiCall } from './api/dispatch';
import { APP_NAME } from './app-identity';
import { ConsoleCore } from './console-core';
import { safeStorageCipher } from './safe-storage-cipher';

// Thin Electron shell: everything it serves comes from ConsoleCore, shared with the web mode.
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const RENDERER_INDEX = here('../renderer/index.html');
const PRELOAD = here('./preload.cjs');

async function createWindow(core: ConsoleCore): Promise<void> {
  const win = new BrowserWindow({
    width: 1200,
    height: 800,
    title: APP_NAME,
    webPreferences: { preload: PRELOAD, contextIsolation: true, sandbox: true, nodeIntegration: false },
  });
  const unsubscribe = core.subscribe((event, payload) => {
    if (!win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, event, payload);
  });
  win.on('closed', unsubscribe);
  // The app never navigates away from its own page; links open in the system browser.
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^http:\/\/(127\.0\.0\.1|localhost):\d+(\/|$)/.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  await win.loadFile(RENDERER_INDEX);
}

async function main(): Promise<void> {
  await app.whenReady();
  const { settings, file } = await loadSettings();
  const core = new ConsoleCore({ settings, settingsFile: file, mode: 'desktop', secretCipher: safeStorageCipher(safeStorage) });
  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, method: unknown, args: unknown) => {
    // Only our own page (loaded from file://) may call the API.
    if (!event.senderFrame?.url.startsWith('file://')) {
      return { ok: false, error: { code: 'FORBIDDEN', message: 'Calls are accepted from the console window only.' } };
    }
    return (await dispatchApiCall(core.handlers, String(method), args)).body;
  });
  app.on('window-all-closed', () => {
    core.close();
    app.quit();
  });
  await createWindow(core);
}

main().catch((err) => {
  console.error(`${APP_NAME} failed to start:`, err);
  app.exit(1);
});

import { app, BrowserWindow, dialog, ipcMain, Menu, Notification, safeStorage, screen, shell, Tray } from 'electron';
import { APP_NAME } from '../core/app-identity';
import { IPC_INVOKE_CHANNEL } from '../api/channels';
import type { DesktopPorts, WindowPort } from './desktop-ports';
import { safeStorageCipher } from './safe-storage-cipher';
import { guardWebContents } from './window-security';

/** The only place that calls Electron for the desktop shell: each port, one thin line or few. */
export function electronPorts(paths: { preload: string; rendererIndex: string; icon: string }): DesktopPorts {
  return {
    app: {
      platform: process.platform,
      userDataDir: () => app.getPath('userData'),
      requestSingleInstanceLock: () => app.requestSingleInstanceLock(),
      onSecondInstance: (listener) => app.on('second-instance', listener),
      onBeforeQuit: (listener) => app.on('before-quit', listener),
      onActivate: (listener) => app.on('activate', listener),
      setApplicationMenu: (template) => Menu.setApplicationMenu(Menu.buildFromTemplate(template)),
      quit: () => app.quit(),
    },
    ipc: {
      handleInvoke: (handler) => ipcMain.handle(IPC_INVOKE_CHANNEL, (event, method: unknown, args: unknown) => handler(event.senderFrame?.url, method, args)),
    },
    createWindow: ({ bounds, isAllowedExternal }) => {
      const win = new BrowserWindow({
        ...(bounds ?? { width: 1200, height: 800 }),
        minWidth: 640,
        minHeight: 480,
        show: false,
        title: APP_NAME,
        icon: paths.icon,
        webPreferences: {
          preload: paths.preload,
          contextIsolation: true,
          sandbox: true,
          nodeIntegration: false,
          nodeIntegrationInWorker: false,
          webSecurity: true,
          allowRunningInsecureContent: false,
          experimentalFeatures: false,
          navigateOnDragDrop: false,
          spellcheck: false,
          // Middle-click must not open links in new windows behind the open handler's back.
          disableBlinkFeatures: 'Auxclick',
        },
      });
      guardWebContents(win.webContents, { isAllowedExternal, openExternal: (url) => shell.openExternal(url) });
      win.once('ready-to-show', () => win.show());
      const port: WindowPort = {
        isDestroyed: () => win.isDestroyed(),
        isMinimized: () => win.isMinimized(),
        isMaximized: () => win.isMaximized(),
        isVisible: () => win.isVisible(),
        restore: () => win.restore(),
        show: () => win.show(),
        hide: () => win.hide(),
        focus: () => win.focus(),
        maximize: () => win.maximize(),
        getNormalBounds: () => win.getNormalBounds(),
        on: (event: string, listener: (...a: never[]) => void) => void win.on(event as 'close', listener as () => void),
        send: (channel, ...args) => win.webContents.send(channel, ...args),
        load: () => win.loadFile(paths.rendererIndex),
      };
      return port;
    },
    createTray: (iconPath) => {
      const tray = new Tray(iconPath);
      return {
        setImage: (p) => tray.setImage(p),
        setToolTip: (t) => tray.setToolTip(t),
        setContextMenu: (template) => tray.setContextMenu(Menu.buildFromTemplate(template)),
        onClick: (listener) => void tray.on('click', listener),
        destroy: () => tray.destroy(),
      };
    },
    dialog: {
      askOnQuit: async () => {
        const { response, checkboxChecked } = await dialog.showMessageBox({
          type: 'question',
          title: APP_NAME,
          message: 'The monitoring stack is running. Stop it before quitting?',
          detail: 'Kept running, Prometheus keeps scraping and Alertmanager keeps sending notifications; the console picks them up again when it starts.',
          buttons: ['Stop the stack', 'Keep it running', 'Cancel'],
          defaultId: 0,
          cancelId: 2,
          checkboxLabel: 'Remember my answer (change it in Settings)',
        });
        return { choice: (['stop', 'keep', 'cancel'] as const)[response] ?? 'cancel', remember: checkboxChecked };
      },
    },
    notifications: {
      isSupported: () => Notification.isSupported(),
      show: ({ title, body, urgency }, onClick) => {
        const n = new Notification({ title, body, urgency, icon: paths.icon });
        n.on('click', onClick);
        n.show();
      },
    },
    workAreas: () => screen.getAllDisplays().map((d) => d.workArea),
    secretCipher: safeStorageCipher(safeStorage),
    openExternal: (url) => shell.openExternal(url),
  };
}

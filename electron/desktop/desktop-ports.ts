import type { MenuItemConstructorOptions, Rectangle } from 'electron';
import type { SecretCipher } from '../../stack/notifications/secret-store';
import type { NotificationPort } from './alert-notifier';

/**
 * The few Electron calls the desktop shell makes, as interfaces: electron-adapters.ts implements
 * them with Electron, tests implement them with recording fakes (no Electron binary here). Types
 * come from Electron's own definitions, so tsc checks the adapters against the real API.
 */

export type MenuTemplate = MenuItemConstructorOptions[];
export type { Rectangle };

export interface PreventableEvent {
  preventDefault(): void;
}

export interface AppPort {
  readonly platform: NodeJS.Platform;
  userDataDir(): string;
  /** False when another instance holds the lock. */
  requestSingleInstanceLock(): boolean;
  onSecondInstance(listener: () => void): void;
  onBeforeQuit(listener: (event: PreventableEvent) => void): void;
  /** macOS: the dock icon was clicked. */
  onActivate(listener: () => void): void;
  setApplicationMenu(template: MenuTemplate): void;
  quit(): void;
}

export interface WindowPort {
  isDestroyed(): boolean;
  isMinimized(): boolean;
  isMaximized(): boolean;
  isVisible(): boolean;
  restore(): void;
  show(): void;
  hide(): void;
  focus(): void;
  maximize(): void;
  getNormalBounds(): Rectangle;
  on(event: 'close', listener: (event: PreventableEvent) => void): void;
  on(event: 'resize' | 'move' | 'maximize' | 'unmaximize' | 'closed', listener: () => void): void;
  /** webContents.send on the window's page. */
  send(channel: string, ...args: unknown[]): void;
  load(): Promise<void>;
}

export interface WindowRequest {
  /** Remembered bounds, or null for the default size, centred. */
  bounds: Rectangle | null;
  /** URLs the page may open, in the system browser; everything else is refused. */
  isAllowedExternal: (url: string) => boolean;
}

export interface TrayPort {
  setImage(iconPath: string): void;
  setToolTip(text: string): void;
  setContextMenu(template: MenuTemplate): void;
  onClick(listener: () => void): void;
  destroy(): void;
}

export type QuitChoice = 'stop' | 'keep' | 'cancel';

export interface DialogPort {
  /** Asks what quitting does to the running stack, with a "remember my answer" box. */
  askOnQuit(): Promise<{ choice: QuitChoice; remember: boolean }>;
}

export interface IpcPort {
  /** Serves API calls from the window; `senderUrl` is the calling frame's URL. */
  handleInvoke(handler: (senderUrl: string | undefined, method: unknown, args: unknown) => Promise<unknown>): void;
}

export interface DesktopPorts {
  app: AppPort;
  ipc: IpcPort;
  createWindow(request: WindowRequest): WindowPort;
  createTray(iconPath: string): TrayPort | null;
  dialog: DialogPort;
  notifications: NotificationPort;
  /** Work areas of the connected displays, to keep a remembered window on screen. */
  workAreas(): Rectangle[];
  /** How notification secrets are encrypted at rest (safeStorage in the app); a key file when absent. */
  secretCipher?: SecretCipher;
  openExternal(url: string): Promise<void>;
}

import { EventEmitter } from 'node:events';
import type { DesktopNotification } from '../alert-notifier';
import type { AppPort, DesktopPorts, DialogPort, MenuTemplate, PreventableEvent, QuitChoice, Rectangle, TrayPort, WindowPort, WindowRequest } from '../desktop-ports';

/**
 * Stand-ins for Electron, which cannot run here (no binary): they record what the desktop shell
 * asks of Electron and let a test play the user (click the tray, quit, answer the dialog).
 * Everything behind them (ConsoleCore, Docker, Prometheus, processes) is real.
 */

/** Electron's single-instance lock is per user; here it is per registry object. */
export class FakeLockRegistry {
  holder: FakeApp | null = null;
}

export class FakeApp implements AppPort {
  readonly platform: NodeJS.Platform = 'linux';
  readonly events = new EventEmitter();
  menu: MenuTemplate | null = null;
  quitCalls = 0;

  constructor(
    private readonly dir: string,
    private readonly locks: FakeLockRegistry,
  ) {}

  userDataDir = () => this.dir;
  requestSingleInstanceLock(): boolean {
    if (this.locks.holder && this.locks.holder !== this) {
      this.locks.holder.events.emit('second-instance');
      return false;
    }
    this.locks.holder = this;
    return true;
  }
  onSecondInstance = (l: () => void) => void this.events.on('second-instance', l);
  onBeforeQuit = (l: (e: PreventableEvent) => void) => void this.events.on('before-quit', l);
  onActivate = (l: () => void) => void this.events.on('activate', l);
  setApplicationMenu = (t: MenuTemplate) => void (this.menu = t);
  /** Like Electron: quitting emits before-quit, and goes on unless a listener prevents it. */
  quit(): void {
    this.quitCalls++;
    let prevented = false;
    this.events.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (!prevented && this.locks.holder === this) this.locks.holder = null;
  }
}

export class FakeWindow extends EventEmitter implements WindowPort {
  bounds: Rectangle;
  maximized = false;
  minimized = false;
  visible = true;
  destroyed = false;
  focusCalls = 0;
  sent: unknown[][] = [];

  constructor(readonly request: WindowRequest) {
    super();
    this.bounds = request.bounds ?? { x: 100, y: 100, width: 1200, height: 800 };
  }
  isDestroyed = () => this.destroyed;
  isMinimized = () => this.minimized;
  isMaximized = () => this.maximized;
  isVisible = () => this.visible;
  restore = () => void (this.minimized = false);
  show = () => void (this.visible = true);
  hide = () => void (this.visible = false);
  focus = () => void this.focusCalls++;
  maximize = () => void (this.maximized = true);
  getNormalBounds = () => this.bounds;
  send = (...args: unknown[]) => void this.sent.push(args);
  load = async () => undefined;
  /** The user (or the OS) closes the window; listeners may prevent it, as in Electron. */
  close(): void {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (prevented) return;
    this.destroyed = true;
    this.emit('closed');
  }
  resizeTo(bounds: Rectangle): void {
    this.bounds = bounds;
    this.emit('resize');
  }
}

export class FakeTray implements TrayPort {
  images: string[] = [];
  tooltip = '';
  menu: MenuTemplate = [];
  private clickListener: (() => void) | null = null;
  destroyed = false;
  setImage = (p: string) => void this.images.push(p);
  setToolTip = (t: string) => void (this.tooltip = t);
  setContextMenu = (m: MenuTemplate) => void (this.menu = m);
  onClick = (l: () => void) => void (this.clickListener = l);
  destroy = () => void (this.destroyed = true);
  click = () => this.clickListener?.();
  /** Clicks the context-menu item with this label. */
  choose(label: string): void {
    const item = this.menu.find((i) => i.label === label);
    if (!item?.click || item.enabled === false) throw new Error(`tray item "${label}" is not clickable`);
    (item.click as () => void)();
  }
}

export class FakeDialog implements DialogPort {
  asked = 0;
  constructor(public answer: { choice: QuitChoice; remember: boolean }) {}
  askOnQuit = async () => {
    this.asked++;
    return this.answer;
  };
}

export class FakeNotifications {
  shown: { notification: DesktopNotification; click: () => void }[] = [];
  isSupported = () => true;
  show = (notification: DesktopNotification, click: () => void) => void this.shown.push({ notification, click });
}

export interface FakePorts extends DesktopPorts {
  app: FakeApp;
  dialog: FakeDialog;
  notifications: FakeNotifications;
  windows: FakeWindow[];
  tray: FakeTray | null;
  opened: string[];
  /** Set through the IPC port: calls the API as the window's page would. */
  invoke?: (senderUrl: string | undefined, method: unknown, args: unknown) => Promise<unknown>;
}

/** A full set of ports, recording what the app asks of Electron. */
export function fakePorts(userDataDir: string, locks = new FakeLockRegistry(), options: { tray?: boolean } = {}): FakePorts {
  const ports: FakePorts = {
    app: new FakeApp(userDataDir, locks),
    ipc: { handleInvoke: (handler) => void (ports.invoke = handler) },
    windows: [],
    tray: null,
    opened: [],
    createWindow: (request) => {
      const win = new FakeWindow(request);
      ports.windows.push(win);
      return win;
    },
    createTray: () => (options.tray === false ? null : (ports.tray = new FakeTray())),
    dialog: new FakeDialog({ choice: 'cancel', remember: false }),
    notifications: new FakeNotifications(),
    workAreas: () => [{ x: 0, y: 0, width: 1920, height: 1080 }],
    openExternal: async (url) => void ports.opened.push(url),
  };
  return ports;
}

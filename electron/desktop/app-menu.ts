import { APP_NAME } from '../core/app-identity';
import type { MenuTemplate } from './desktop-ports';

export interface AppMenuActions {
  openSettings: () => void;
  startStack: () => void;
  stopStack: () => void;
  quit: () => void;
}

/** The application menu with the usual roles and shortcuts (Electron maps roles to each platform). */
export function appMenuTemplate(platform: NodeJS.Platform, actions: AppMenuActions): MenuTemplate {
  const mac = platform === 'darwin';
  const settings = { label: 'Settings…', accelerator: 'CmdOrCtrl+,', click: actions.openSettings };
  const quit = { label: 'Quit', accelerator: 'CmdOrCtrl+Q', click: actions.quit };
  return [
    ...(mac
      ? [{ label: APP_NAME, submenu: [{ role: 'about' as const }, { type: 'separator' as const }, settings, { type: 'separator' as const }, { role: 'hide' as const }, { role: 'hideOthers' as const }, { role: 'unhide' as const }, { type: 'separator' as const }, quit] }]
      : []),
    { label: 'File', submenu: mac ? [{ role: 'close' }] : [settings, { type: 'separator' }, quit] },
    { role: 'editMenu' },
    {
      label: 'Stack',
      submenu: [
        { label: 'Start stack', accelerator: 'CmdOrCtrl+Shift+S', click: actions.startStack },
        { label: 'Stop stack', accelerator: 'CmdOrCtrl+Shift+X', click: actions.stopStack },
      ],
    },
    {
      label: 'View',
      submenu: [{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
    },
    { role: 'windowMenu' },
  ];
}

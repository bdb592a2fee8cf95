import { app, dialog } from 'electron';
import { fileURLToPath } from 'node:url';
import { userMessage } from '../stack/console-error';
import { APP_NAME } from './core/app-identity';
import { DesktopApp } from './desktop/desktop-app';
import { electronPorts } from './desktop/electron-adapters';

// Thin Electron entry: DesktopApp (plain Node) does the work over the ports Electron provides.
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

async function main(): Promise<void> {
  await app.whenReady();
  const ports = electronPorts({ preload: here('./preload.cjs'), rendererIndex: here('../renderer/index.html'), icon: here('../../assets/icon.png') });
  await new DesktopApp({ ports }).start();
}

main().catch((err: unknown) => {
  console.error(`${APP_NAME} failed to start:`, err);
  // A desktop user sees no terminal: say it in a dialog, as the same sentence the CLI prints.
  dialog.showErrorBox(`${APP_NAME} could not start`, userMessage(err));
  app.exit(1);
});

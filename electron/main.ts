import { app } from 'electron';
import { fileURLToPath } from 'node:url';
import { APP_NAME } from './app-identity';
import { DesktopApp } from './desktop/desktop-app';
import { electronPorts } from './desktop/electron-adapters';

// Thin Electron entry: DesktopApp (plain Node) does the work over the ports Electron provides.
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

async function main(): Promise<void> {
  await app.whenReady();
  const ports = electronPorts({ preload: here('./preload.cjs'), rendererIndex: here('../renderer/index.html'), icon: here('../../assets/icon.png') });
  await new DesktopApp({ ports }).start();
}

main().catch((err) => {
  console.error(`${APP_NAME} failed to start:`, err);
  app.exit(1);
});

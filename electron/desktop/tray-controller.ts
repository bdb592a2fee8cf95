import { join } from 'node:path';
import type { StackStatus } from '../api/schemas/stack-status';
import { APP_NAME } from '../core/app-identity';
import type { MenuTemplate, TrayPort } from './desktop-ports';
import { HEALTH_LABEL, stackHealth, type StackHealth } from './stack-health';

export interface TrayActions {
  startStack: () => void;
  stopStack: () => void;
  openConsole: () => void;
  quit: () => void;
}

/** assets/tray/<health>.png (with @2x beside it for HiDPI), made by scripts/make-tray-icons.mjs. */
export function trayIconPath(assetsDir: string, health: StackHealth): string {
  return join(assetsDir, 'tray', `${health}.png`);
}

export function trayMenu(health: StackHealth, busy: boolean, actions: TrayActions): MenuTemplate {
  return [
    { label: `${APP_NAME}: ${HEALTH_LABEL[health]}`, enabled: false },
    { type: 'separator' },
    { label: 'Start stack', enabled: !busy && health !== 'healthy', click: actions.startStack },
    { label: 'Stop stack', enabled: !busy && health !== 'stopped', click: actions.stopStack },
    { type: 'separator' },
    { label: 'Open console', click: actions.openConsole },
    { label: 'Quit', click: actions.quit },
  ];
}

/** Keeps the tray's icon, tooltip and menu in step with the stack's status. */
export class TrayController {
  private health: StackHealth | null = null;
  private busy = false;

  constructor(
    private readonly tray: TrayPort,
    private readonly assetsDir: string,
    private readonly actions: TrayActions,
  ) {
    tray.onClick(actions.openConsole);
    this.render('stopped', false);
  }

  get current(): StackHealth | null {
    return this.health;
  }

  update(status: StackStatus): void {
    const health = stackHealth(status);
    const busy = status.operation !== 'idle';
    if (health !== this.health || busy !== this.busy) this.render(health, busy);
  }

  private render(health: StackHealth, busy: boolean): void {
    this.health = health;
    this.busy = busy;
    this.tray.setImage(trayIconPath(this.assetsDir, health));
    this.tray.setToolTip(`${APP_NAME}: ${HEALTH_LABEL[health]}`);
    this.tray.setContextMenu(trayMenu(health, busy, this.actions));
  }
}

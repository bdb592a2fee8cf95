import type { AppPort } from './desktop-ports';

/**
 * One console per user: a second launch hands over to the first (which shows its window) and
 * quits. Returns false in the second instance.
 */
export function claimSingleInstance(app: Pick<AppPort, 'requestSingleInstanceLock' | 'onSecondInstance' | 'quit'>, showWindow: () => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.onSecondInstance(showWindow);
  return true;
}

import { AlertmanagerClient } from '../clients/alertmanager-client';
import { StackManager } from '../engine/stack-manager';
import { testStackSettings } from './test-settings';

/**
 * Alertmanager alone (test image) with the console's rendered config, for tests of what it does
 * with alerts posted to it; `stop` removes its container, network and volumes.
 */
export async function alertmanagerAlone(name: string): Promise<{ manager: StackManager; client: AlertmanagerClient; stop: () => Promise<void> }> {
  const settings = await testStackSettings(name);
  const manager = new StackManager({ settings: { ...settings, prometheus: { ...settings.prometheus, enabled: false } } });
  await manager.up();
  return {
    manager,
    client: new AlertmanagerClient(`http://127.0.0.1:${manager.settings.alertmanager.port}`),
    stop: async () => {
      await manager.down().catch(() => undefined);
      await manager.removeData().catch(() => undefined);
    },
  };
}

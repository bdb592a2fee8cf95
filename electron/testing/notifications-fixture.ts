import { chmod } from 'node:fs/promises';
import { connectDocker } from '../../stack/engine/docker-engine';
import { LocalReceiver } from '../../stack/testing/local-receiver';
import { testStackSettings } from '../../stack/testing/test-settings';
import { ConsoleCore } from '../core/console-core';

export interface NotificationsFixture {
  core: ConsoleCore;
  /** Stand-ins for Slack (answers 200) and Discord (answers 204) on the host gateway. */
  slack: LocalReceiver;
  discord: LocalReceiver;
  dataDir: string;
  configDir: string;
  liveConfig(): Promise<string>;
  close(): Promise<void>;
}

/** A console with only Alertmanager running (the test image), and local receivers it can reach. */
export async function startNotificationsFixture(name: string): Promise<NotificationsFixture> {
  const settings = await testStackSettings(name);
  settings.prometheus.enabled = false;
  // Like ~/.local/share: open to other users unless the console closes what holds secrets.
  await chmod(settings.dataDir, 0o755);
  const core = new ConsoleCore({ settings, settingsFile: '(test)', mode: 'web' });
  const slack = await LocalReceiver.start(connectDocker());
  const discord = await LocalReceiver.start(connectDocker(), 204);
  await core.stack.up();
  return {
    core,
    slack,
    discord,
    dataDir: settings.dataDir,
    configDir: core.stack.spec.services.find((s) => s.service === 'alertmanager')!.configDir!,
    async liveConfig() {
      const res = await fetch(`http://127.0.0.1:${settings.alertmanager.port}/api/v2/status`);
      return ((await res.json()) as { config: { original: string } }).config.original;
    },
    async close() {
      await core.stack.down().catch(() => undefined);
      await core.stack.removeData().catch(() => undefined);
      core.close();
      await slack.close();
      await discord.close();
    },
  };
}

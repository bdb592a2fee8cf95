import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { notificationSettingsSchema } from './notification-settings';
import { NotificationService } from './notification-service';
import { parseSettings } from '../../electron/settings/settings-file';
import { StackManager } from '../engine/stack-manager';
import { configDirFor } from '../spec/stack-spec';
import { freePort } from '../testing/test-settings';

// No container needed: what the service renders for a start, and what it shows, when the key is lost.
describe('NotificationService when the stored secrets cannot be decrypted', () => {
  it('still loads the form with a warning; a start keeps the running config, or renders one without the receivers that lost their secret', async () => {
    const settings = parseSettings({ dataDir: await mkdtemp(join(tmpdir(), 'notify-svc-')), alertmanager: { port: await freePort() } });
    const service = new NotificationService({ settings, stack: new StackManager({ settings }) });
    await service.store.save({
      settings: notificationSettingsSchema.parse({
        receivers: {
          slack: { enabled: true, severities: { critical: true }, webhookUrl: 'https://hooks.slack.com/services/T/B/lostSecret' },
          email: { enabled: true, severities: { warning: true }, smtpHost: 'mail.example.com', from: 'a@example.com', to: 'b@example.com' },
        },
      }),
      preserved: {},
      kept: [],
    });
    await writeFile(join(service.store.dir, 'secrets.key'), Buffer.alloc(32, 7));

    const fresh = new NotificationService({ settings, stack: new StackManager({ settings }) });
    const view = await fresh.get();
    expect(view.warnings[0]).toMatchObject({ path: '', message: expect.stringMatching(/could not be decrypted/) });
    expect(view.form.receivers.slack).toMatchObject({ enabled: true, webhookUrl: '' });

    const { files, secrets } = await fresh.stackFiles(null);
    // No config yet: a start gets one without the receivers whose secret is gone.
    const yml = files['alertmanager.yml']!;
    expect(yml).not.toContain('slack_configs');
    // E-mail without a user needs no secret: it stays on.
    expect(yml).toContain('email_configs');
    expect(secrets.every((s) => s.content === '')).toBe(true);
    const file = join(service.store.dir, 'check.yml');
    await writeFile(file, yml);
    expect((await promisify(execFile)('amtool', ['check-config', file])).stdout).toContain('SUCCESS');

    // With a config already in place (written by the console that holds the key), a start keeps it.
    const live = join(configDirFor(settings, 'alertmanager'), 'alertmanager.yml');
    await mkdir(dirname(live), { recursive: true });
    await writeFile(live, 'route:\n  receiver: kept\nreceivers:\n  - name: kept\n');
    expect(await fresh.stackFiles(null)).toEqual({ files: { 'alertmanager.yml': await readFile(live, 'utf8') }, secrets: [] });
  });
});

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNotificationsFixture, type NotificationsFixture } from '../electron/testing/notifications-fixture';
import type { WebBridge } from '../electron/web/web-bridge';
import { filesWithSecrets } from '../stack/testing/secret-leaks';
import { openConsolePage, openWebConsole, SCREENSHOTS } from './browser';

const SLACK_TOKEN = 'e2eSlackSecretToken9911';
const DISCORD_TOKEN = 'e2eDiscordSecret-Token7722';

// Issue 7's acceptance: the notification form in Chromium against the real Alertmanager (test
// image 0.25), with local HTTP receivers standing in for Slack and Discord on the host gateway.
describe('notifications e2e', () => {
  let fx: NotificationsFixture;
  let bridge: WebBridge;
  let browser: Browser;
  let page: Page;
  let consoleErrors: string[];
  const apiBodies: string[] = [];

  const receiver = (kind: string) => page.getByTestId(`receiver-${kind}`);
  const banner = () => page.getByTestId('notifications-banner');

  beforeAll(async () => {
    fx = await startNotificationsFixture('e2e-notify');
    const { core } = fx;
    ({ bridge, browser, page, consoleErrors } = await openWebConsole(core, { viewport: { width: 1200, height: 1400 } }));
    page.on('response', (res) => {
      if (res.url().includes('/api/')) void res.text().then((t) => apiBodies.push(t), () => undefined);
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await bridge?.close();
    await fx?.close();
  });

  it('saves Slack and Discord, sends a test to each, and each local receiver gets exactly one request in its format', async () => {
    const { slack, discord } = fx;
    await openConsolePage(page, bridge.openUrl, 'notifications');
    await expect.poll(() => page.getByTestId('receiver-slack').isVisible()).toBe(true);
    await receiver('slack').getByRole('checkbox', { name: 'Slack' }).check();
    await receiver('slack').getByRole('checkbox', { name: 'critical' }).check();
    await page.getByLabel('Slack webhook URL').fill(slack.url(`/services/T0E2E/B0E2E/${SLACK_TOKEN}`));
    await page.getByLabel('Slack channel').fill('#rx580-alerts');
    await receiver('discord').getByRole('checkbox', { name: 'Discord' }).check();
    await receiver('discord').getByRole('checkbox', { name: 'critical' }).check();
    await receiver('discord').getByRole('checkbox', { name: 'warning' }).check();
    await page.getByLabel('Discord webhook URL').fill(discord.url(`/api/webhooks/55501/${DISCORD_TOKEN}`));
    await page.getByRole('button', { name: 'Save' }).click();

    await expect.poll(() => banner().textContent(), { timeout: 60_000 }).toMatch(/Saved and live: Alertmanager 0\.25/);
    // A local URL is not Slack's: a warning, not a refusal.
    expect(await page.getByTestId('field-slack-webhook-url-warning').textContent()).toMatch(/Mattermost/);
    expect(await page.getByLabel('Slack webhook URL').inputValue()).toMatch(/\/…\/••••\w{4}$/);
    expect(await page.getByLabel('Discord webhook URL').inputValue()).not.toContain(DISCORD_TOKEN);

    await receiver('slack').getByRole('button', { name: 'Send test to Slack' }).click();
    await expect.poll(() => page.getByTestId('test-result-slack').textContent(), { timeout: 40_000 }).toMatch(/delivered/);
    await receiver('discord').getByRole('combobox').selectOption('warning');
    await receiver('discord').getByRole('button', { name: 'Send test to Discord' }).click();
    await expect.poll(() => page.getByTestId('test-result-discord').textContent(), { timeout: 40_000 }).toMatch(/delivered/);
    await page.screenshot({ path: `${SCREENSHOTS}notifications.png`, fullPage: true });

    expect(slack.requests).toHaveLength(1);
    const s = slack.requests[0]!;
    expect(s.path).toBe(`/services/T0E2E/B0E2E/${SLACK_TOKEN}`);
    const sp = s.body as { channel: string; attachments: { title: string; text: string }[] };
    expect(sp.channel).toBe('#rx580-alerts');
    expect(sp.attachments[0]!.title).toMatch(/RX580OpsTestNotification.*critical/);
    expect(sp.attachments[0]!.text).toMatch(/severity critical/);

    expect(discord.requests).toHaveLength(1);
    const d = discord.requests[0]!;
    expect(d.path).toBe(`/api/webhooks/55501/${DISCORD_TOKEN}`);
    const dp = d.body as { embeds: { title: string; description: string }[] };
    expect(dp.embeds[0]!.title).toMatch(/RX580OpsTestNotification.*warning/);
    expect(dp.embeds[0]!.description).toMatch(/severity warning/);
  }, 180_000);

  it('refuses each invalid field with a message next to it, and the live config stays as it was', async () => {
    const before = await fx.liveConfig();
    await page.getByLabel('Slack webhook URL').fill('hooks.slack.com/services/no-scheme');
    await page.getByLabel('Slack channel').fill('not a channel');
    await page.getByLabel('Discord webhook URL').fill('https://discord.com/api/webhooks/12345');
    await receiver('email').getByRole('checkbox', { name: 'E-mail' }).check();
    await page.getByLabel('SMTP host').fill('smtp://mail.example.com:25');
    await page.getByLabel('SMTP port').fill('70000');
    await page.getByLabel('From', { exact: true }).fill('alertmanager');
    await page.getByLabel('To', { exact: true }).fill('ops@example.com, nobody');
    await receiver('webhook').getByRole('checkbox', { name: 'Webhook' }).check();
    await page.getByLabel('Webhook URL', { exact: true }).fill('ftp://example.com/hook');
    await page.getByRole('button', { name: 'Save' }).click();

    await expect.poll(() => banner().textContent(), { timeout: 30_000 }).toMatch(/Nothing was saved/);
    const error = (testId: string) => page.getByTestId(`field-${testId}-error`).textContent();
    expect(await error('slack-webhook-url')).toMatch(/http:\/\/ or https:\/\//);
    expect(await error('slack-channel')).toMatch(/channel/);
    expect(await error('discord-webhook-url')).toMatch(/<id>\/<token>/);
    expect(await error('smtp-host')).toMatch(/host name/);
    expect(await error('smtp-port')).toMatch(/65535/);
    expect(await error('from')).toMatch(/not an e-mail address/);
    expect(await error('to')).toMatch(/nobody/);
    expect(await error('webhook-url')).toMatch(/http/);
    expect(await receiver('webhook').getByText('Choose at least one severity').isVisible()).toBe(true);
    expect(await fx.liveConfig()).toBe(before);
  }, 60_000);

  it('rolls back a config Alertmanager refuses on reload, and says why', async () => {
    const before = await fx.liveConfig();
    // A user's template beside the config, broken: the image's amtool only sees the staged files,
    // so it passes; Alertmanager's reload parses the template and fails.
    await mkdir(join(fx.configDir, 'templates'), { recursive: true });
    await writeFile(join(fx.configDir, 'templates', 'team.tmpl'), '{{ define "team.title" }}{{ .CommonLabels.alertname ');
    const imported = (await readFile(new URL('../stack/testing/seed-alertmanager.yml', import.meta.url), 'utf8')).replace(
      'global:',
      "templates: ['/etc/alertmanager/templates/*.tmpl']\nglobal:",
    );
    await page.getByTestId('notifications-import').setInputFiles({ name: 'alertmanager.yml', mimeType: 'text/yaml', buffer: Buffer.from(imported) });
    await expect.poll(() => page.getByTestId('import-notes').textContent(), { timeout: 20_000 }).toMatch(/native Discord receiver/);
    expect(await page.getByTestId('import-notes').textContent()).toMatch(/"dba-pager".*kept/);
    expect(await page.getByLabel('Slack channel').inputValue()).toBe('#alerts-critical');
    expect(await page.getByLabel('Slack webhook URL').inputValue()).not.toContain('seedSlackSecret1234');

    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => banner().textContent(), { timeout: 60_000 }).toMatch(/failed to reload.*previous one was restored.*team\.tmpl/s);
    expect(await fx.liveConfig()).toBe(before);
    expect(await readFile(join(fx.configDir, 'alertmanager.yml'), 'utf8')).not.toContain('templates');
  }, 120_000);

  it('leaks no secret into API responses, world-readable files or the container logs; Slack\'s URL is not in alertmanager.yml', async () => {
    const secrets = [SLACK_TOKEN, DISCORD_TOKEN, 'seedSlackSecret1234', 'seed-smtp-password', 'seedDiscordToken-xyz'];
    expect(apiBodies.length).toBeGreaterThan(3);
    for (const body of apiBodies) for (const s of secrets) expect(body).not.toContain(s);
    const files = await filesWithSecrets(fx.dataDir, secrets);
    expect(files.all.length).toBeGreaterThan(0);
    expect(files.readableByOthers).toEqual([]);
    const yml = await readFile(join(fx.configDir, 'alertmanager.yml'), 'utf8');
    expect(yml).toMatch(/api_url_file: \/run\/secrets\/rx580-ops\/notify-slack\n/);
    expect(yml).not.toContain(SLACK_TOKEN);
    const logs = (await fx.core.stack.logs('alertmanager', 5000)).join('\n');
    expect(logs).toMatch(/Completed loading of configuration file/);
    for (const s of secrets) expect(logs).not.toContain(s);
    expect(consoleErrors.filter((e) => !/status of (400|422)/.test(e))).toEqual([]);
  }, 30_000);
});

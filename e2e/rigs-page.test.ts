import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleCore } from '../electron/core/console-core';
import type { WebBridge } from '../electron/web/web-bridge';
import { NODE_EXPORTER_FIXTURE } from '../stack/testing/node-exporter-fixture';
import { createRigHost, type RigHost } from '../stack/testing/rig-hosts';
import { testStackSettings } from '../stack/testing/test-settings';
import { openConsolePage, openWebConsole, SCREENSHOTS } from './browser';
import { coreCaller } from '../electron/testing/core-calls';

// The Rigs page in a real Chromium (web mode) against a real rig: a network namespace with its
// own sshd (Debian's openssh-server) and dockerd (stack/testing/rig-hosts.ts), reached over SSH.
// Added through the form with its docker user's key (the file picker), refused for the user
// without Docker permission and for a taken name, tested, its link cut and restored while the
// status is read every few seconds, and removed. No worker is started: that needs the inference
// image and is stack/rigs/fleet.int.test.ts's. The stack is not started either.
describe('rigs page e2e', () => {
  let rig: RigHost;
  let core: ConsoleCore;
  let bridge: WebBridge;
  let browser: Browser;
  let page: Page;
  let consoleErrors: string[];
  /** API answers of 4xx/5xx: each must be one the test provoked. */
  const failedCalls: string[] = [];

  const call = coreCaller(() => core);
  const form = () => page.getByTestId('add-rig-form');
  const row = (name: string) => page.getByTestId(`rig-row-${name}`);
  const reachability = () => page.getByTestId('rig-status-rig-page').getByTestId('rig-reachability');
  const fieldError = (name: string) => page.getByTestId(`rig-field-error-${name}`);
  const focusedName = () => page.evaluate(() => document.activeElement?.getAttribute('name') ?? null);
  const sshUrl = (user: 'docker' | 'noDocker') => `ssh://${rig.users[user].name}@${rig.address}`;
  /** The key's text as a picked file: read by the page in the browser, as a user's file would be. */
  const pickKey = (user: 'docker' | 'noDocker') =>
    page.getByTestId('rig-key-file').setInputFiles({ name: `id_ed25519_${user}`, mimeType: 'application/octet-stream', buffer: rig.users[user].privateKey });
  /**
   * The whole page in a window as tall as it, the pointer out of the way: a full-page capture
   * would draw the sticky status bar across the middle of the page.
   */
  const tallShot = async (name: string) => {
    const viewport = page.viewportSize()!;
    await page.mouse.move(0, 0);
    await page.setViewportSize({ width: viewport.width, height: await page.evaluate(() => document.documentElement.scrollHeight) });
    await page.screenshot({ path: `${SCREENSHOTS}${name}.png` });
    await page.setViewportSize(viewport);
  };
  /** Notes whether the form says "Testing the connection…" at any moment from now on, however briefly. */
  const watchProgress = () =>
    page.evaluate(() => {
      const w = window as unknown as { progressSeen: boolean; progressObserver?: MutationObserver };
      w.progressObserver?.disconnect();
      w.progressSeen = false;
      w.progressObserver = new MutationObserver(() => {
        if (document.querySelector('[data-testid="add-rig-progress"]') && document.querySelector('[data-testid="add-rig-submit"]')?.textContent === 'Testing the connection…') w.progressSeen = true;
      });
      w.progressObserver.observe(document.body, { subtree: true, childList: true, characterData: true });
    });
  const progressSeen = () => page.evaluate(() => (window as unknown as { progressSeen: boolean }).progressSeen);
  const fillRig = async (name: string, url: string) => {
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('URL', { exact: true }).fill(url);
    await page.getByLabel('GPUs').selectOption('none');
    // The rig's AMD cards: the two-RX-580 fixture tree (the rig shares this machine's files).
    if (!(await page.getByLabel('sysfs path').isVisible())) await form().locator('summary', { hasText: 'Advanced' }).click();
    await page.getByLabel('sysfs path').fill(NODE_EXPORTER_FIXTURE);
  };

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    // The rig first: making its network changes this machine's interfaces, which would abort a page's fetches.
    rig = await createRigHost({ name: 'page' });
    const settings = await testStackSettings('rigs-page');
    core = new ConsoleCore({ settings, settingsFile: '(test)', mode: 'web' });
    ({ bridge, browser, page, consoleErrors } = await openWebConsole(core, { viewport: { width: 1280, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] }));
    page.on('response', (r) => {
      if (r.status() >= 400) failedCalls.push(`${r.status()} ${new URL(r.url()).pathname}`);
    });
  }, 120_000);

  afterAll(async () => {
    await call('rigs.remove', 'rig-page').catch(() => undefined);
    await browser?.close();
    await bridge?.close();
    core?.close();
    // Removing a rig gives Prometheus's secrets volume its new keys: that volume goes with the data.
    await core?.stack.removeData().catch(() => undefined);
    await rig?.destroy();
  }, 60_000);

  it('shows this machine alone, says how to add a rig, and checks the form before sending it', async () => {
    await openConsolePage(page, bridge.openUrl, 'rigs');
    expect(await page.getByTestId('nav-rigs').getAttribute('aria-keyshortcuts')).toBe('Alt+0');
    await expect.poll(() => page.getByTestId('rigs-empty').textContent()).toMatch(/No rigs besides this machine yet: add one/);
    expect(await row('local').getByTestId('rig-url').textContent()).toBe('this machine');
    expect(await row('local').getByRole('button').count()).toBe(0);
    // Enter in a field sends the form; the keyboard lands on the first field to fix.
    await page.getByLabel('URL', { exact: true }).fill('ssh://10.0.0.1');
    await page.getByLabel('URL', { exact: true }).press('Enter');
    await expect.poll(() => fieldError('name').textContent()).toMatch(/give the rig a name/);
    expect(await fieldError('url').textContent()).toBe('name the SSH user: ssh://user@host');
    expect(await focusedName()).toBe('name');
    expect(await page.getByLabel('Name', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(failedCalls).toEqual([]);
  });

  it('refuses the user without Docker permission with its reason beside the URL, and keeps no key', async () => {
    await fillRig('rig-page', sshUrl('noDocker'));
    // Pasted this time: the key's text in the field, drawn as dots.
    await page.getByLabel('SSH private key').fill(rig.users.noDocker.privateKey.toString());
    await watchProgress();
    await page.getByTestId('add-rig-submit').click();
    await expect.poll(() => page.getByTestId('add-rig-error').textContent(), { timeout: 30_000 }).toMatch(/Rig rig-page was not added: The SSH user may not use Docker on the rig/);
    expect(await fieldError('url').textContent()).toMatch(/may not use Docker.*docker group/);
    expect(await focusedName()).toBe('url');
    expect(await progressSeen()).toBe(true);
    expect(await page.getByLabel('SSH private key').inputValue()).toBe('');
    expect(await page.getByTestId('rig-field-privateKey').textContent()).toMatch(/not kept after sending/);
    expect((await call('rigs.list')).rigs.map((r) => r.name)).toEqual(['local']);
  }, 40_000);

  it('adds the rig with its key file: its engine, its cards and the host key pinned on first use', async () => {
    await page.getByLabel('URL', { exact: true }).fill(sshUrl('docker'));
    await pickKey('docker');
    await expect.poll(() => page.getByTestId('rig-field-privateKey').textContent()).toMatch(/loaded from id_ed25519_docker \(not shown\)/);
    await watchProgress();
    const started = Date.now();
    await page.getByLabel('URL', { exact: true }).press('Enter');
    const added = page.getByTestId('add-rig-added');
    await expect.poll(() => added.textContent(), { timeout: 30_000 }).toMatch(/Added rig rig-page\. Docker \S+ · 2 AMD cards \(card0, card1\) · worker ports free · \d+ ms/);
    console.log(`rigs page e2e: added the rig in ${Date.now() - started} ms`);
    expect(await progressSeen()).toBe(true);
    expect(await added.textContent()).toContain(`Host key pinned: ${rig.hostKey.fingerprint}`);
    // The form is empty again, and the key is nowhere in the page.
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('');
    const html = await page.content();
    for (const user of ['docker', 'noDocker'] as const) expect(html).not.toContain(rig.users[user].privateKey.toString().split('\n')[1]);

    await expect.poll(() => row('rig-page').getByTestId('rig-probe-text').textContent()).toMatch(/^Docker \S+ · 2 AMD cards \(card0, card1\)/);
    expect(await row('rig-page').getByTestId('rig-url').textContent()).toBe(`${sshUrl('docker')}:22`);
    const key = row('rig-page').getByTestId('rig-host-key-rig-page');
    expect(await key.getAttribute('title')).toBe(rig.hostKey.fingerprint);
    expect(await key.textContent()).toMatch(/^SHA256:.{8}….{4}$/);
    await row('rig-page').getByTestId('rig-host-key-rig-page-copy').click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(rig.hostKey.fingerprint);
    expect(await page.getByTestId('rigs-empty').count()).toBe(0);
    await expect.poll(() => reachability().textContent(), { timeout: 10_000 }).toBe('reachable · no worker');
  }, 60_000);

  it('tests the rig again from its row', async () => {
    const before = (await call('rigs.list')).rigs.find((r) => r.name === 'rig-page')!.checkedAt!;
    await page.getByTestId('rig-test-rig-page').click();
    await expect.poll(async () => (await call('rigs.list')).rigs.find((r) => r.name === 'rig-page')!.checkedAt!, { timeout: 20_000 }).toBeGreaterThan(before);
    await expect.poll(() => row('rig-page').getByTestId('rig-probe').textContent()).toMatch(/Docker \S+ · 2 AMD cards.*tested \d+ s ago/);
    await expect.poll(() => page.getByTestId('rig-test-rig-page').isEnabled()).toBe(true);
  }, 30_000);

  it('marks the rig that runs the monitoring stack, and offers every rig for it in Settings', async () => {
    expect(await row('local').getByTestId('rig-runs-stack').textContent()).toBe('runs the monitoring stack');
    expect(await row('rig-page').getByTestId('rig-runs-stack').count()).toBe(0);
    await page.getByTestId('nav-settings').click();
    const where = page.getByTestId('settings-stack-rig');
    await expect.poll(() => where.locator('option').allTextContents()).toEqual(['This machine (local)', 'rig-page']);
    expect(await where.inputValue()).toBe('local');
    await page.getByTestId('nav-rigs').click();
    await page.getByTestId('page-rigs').waitFor({ state: 'visible' });
  }, 30_000);

  it("starts the rig's workers from its row, then stops and starts its worker from the worker's own row", async () => {
    const worker = () => page.getByTestId('rig-status-rig-page').getByTestId('rig-worker-cpu');
    const state = () => worker().locator('.badge').textContent();
    await page.getByTestId('rig-up-rig-page').click();
    // The first start copies the inference image to the rig: the row says so while it runs.
    await expect.poll(() => row('rig-page').getByRole('status').textContent(), { timeout: 10_000 }).toMatch(/Starting workers \(the first start copies the inference image to the rig\)/);
    await expect.poll(state, { timeout: 180_000, interval: 1000 }).toMatch(/^running/);
    expect(await reachability().textContent()).toBe('reachable · 1 worker');
    expect(await worker().getByRole('cell').nth(3).textContent()).toBe(`https://${rig.address}:${core.settings.inference.port}`);

    await worker().getByRole('button', { name: 'Stop worker cpu on rig-page' }).click();
    await expect.poll(state, { timeout: 30_000 }).toBe('stopped');
    expect(await worker().locator('.badge').getAttribute('class')).toBe('badge badge-off');
    // It stays on the rig, stopped, with a Start of its own.
    expect((await call('rigs.status')).rigs[0]!.workers.map((w) => w.state)).toEqual(['exited']);
    await tallShot('rigs-workers');
    await worker().getByRole('button', { name: 'Start worker cpu on rig-page' }).click();
    await expect.poll(state, { timeout: 30_000 }).toMatch(/^running/);
    await expect.poll(() => worker().getByTestId('rig-worker-action').textContent(), { timeout: 30_000 }).toBe('Stop');

    // The rest of this test goes on without workers, as the rig was added.
    await page.getByTestId('rig-down-rig-page').click();
    await expect.poll(() => reachability().textContent(), { timeout: 30_000 }).toBe('reachable · no worker');
  }, 240_000);

  it("says the rig is unreachable, and why, within seconds of its link going down, and reachable once it is back", async () => {
    await rig.linkDown();
    const down = Date.now();
    await expect.poll(() => reachability().textContent(), { timeout: 20_000, interval: 500 }).toMatch(/^unreachable: .*(did not answer|cannot be reached).*network is down/);
    console.log(`rigs page e2e: unreachable shown ${Date.now() - down} ms after the link went down`);
    expect(await reachability().getAttribute('class')).toBe('rig-unreachable');
    // The rest of the page still answers: the table and its buttons.
    expect(await row('rig-page').getByTestId('rig-probe-text').textContent()).toMatch(/^Docker/);
    await tallShot('rigs');
    // Removing it now is refused, with why: its workers would stay behind on it.
    await page.getByTestId('rig-remove-rig-page').click();
    await expect.poll(() => page.getByTestId('rig-remove-unreachable').textContent()).toMatch(/cannot be reached now .*network is down.*refuse until the rig is back/);
    await page.getByTestId('rig-remove-confirm').click();
    await expect.poll(() => page.getByTestId('rig-remove-error').textContent(), { timeout: 30_000 }).toMatch(/Rig rig-page was not removed: .*network is down\. Its workers would stay behind on it: bring it back and remove it, or remove it anyway/);
    // For a rig gone for good, the dialog offers to remove it anyway.
    expect(await page.getByTestId('rig-remove-force').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByTestId('rig-remove-dialog').count()).toBe(0);
    expect((await call('rigs.list')).rigs.map((r) => r.name)).toEqual(['local', 'rig-page']);

    await rig.linkUp();
    const up = Date.now();
    await expect.poll(() => reachability().textContent(), { timeout: 45_000, interval: 500 }).toBe('reachable · no worker');
    console.log(`rigs page e2e: reachable again ${Date.now() - up} ms after the link came back`);
  }, 90_000);

  it('refuses a second rig of the same name with a message on the name', async () => {
    await fillRig('rig-page', `ssh://${rig.users.docker.name}@${rig.address}:22`);
    await pickKey('docker');
    await page.getByTestId('add-rig-submit').click();
    await expect.poll(() => fieldError('name').textContent(), { timeout: 15_000 }).toBe('taken');
    expect(await page.getByTestId('add-rig-error').textContent()).toMatch(/A rig named rig-page exists already/);
    expect(await focusedName()).toBe('name');
    expect(await page.getByTestId('rig-field-privateKey').textContent()).toMatch(/not kept after sending/);
  }, 30_000);

  it('removes the rig after a confirmation naming what goes, and no call or console error was unexpected', async () => {
    await page.getByTestId('rig-remove-rig-page').click();
    const dialog = page.getByTestId('rig-remove-dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.getByRole('heading').textContent()).toBe('Remove rig rig-page?');
    expect(await dialog.getByTestId('rig-remove-items').textContent()).toMatch(/the rig rig-page \(ssh:\/\/.*\) from this console.*its SSH private key from the secret store.*its Prometheus scrape job/);
    // Escape keeps it.
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect((await call('rigs.list')).rigs.map((r) => r.name)).toEqual(['local', 'rig-page']);

    await page.getByTestId('rig-remove-rig-page').click();
    await page.getByTestId('rig-remove-confirm').click();
    await expect.poll(() => row('rig-page').count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('rigs-empty').isVisible()).toBe(true);
    expect((await call('rigs.list')).rigs.map((r) => r.name)).toEqual(['local']);

    // The no-Docker user's refusal, the removal refused while the link was down and the taken name: the calls this test provoked.
    expect(failedCalls).toEqual(['422 /api/invoke/rigs.add', '409 /api/invoke/rigs.remove', '409 /api/invoke/rigs.add']);
    const expected = /^Failed to load resource: the server responded with a status of (422 \(Unprocessable Entity\)|409 \(Conflict\))$/;
    // The rig's link going down and up changes this machine's interfaces; Chromium then aborts in-flight requests and logs that.
    const environmental = 'Failed to load resource: net::ERR_NETWORK_CHANGED';
    expect(consoleErrors.filter((e) => !expected.test(e) && e !== environmental)).toEqual([]);
    expect(consoleErrors.filter((e) => expected.test(e))).toHaveLength(3);
  }, 60_000);
});

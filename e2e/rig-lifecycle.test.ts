import Docker from 'dockerode';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadDigits } from '../inference/demo-models/mnist-digits';
import { digitImage } from '../inference/testing/digit-images';
import { PrometheusClient } from '../stack/clients/prometheus-client';
import { parseSettings, saveSettings } from '../electron/settings/settings-file';
import type { Settings } from '../electron/api/schemas/settings';
import { LABEL_PROJECT } from '../stack/spec/stack-spec';
import type { StackStatus } from '../electron/api/schemas/stack-status';
import { testStackSettings } from '../stack/testing/test-settings';
import { launchChromium } from './browser';
import { runCli, startConsoleProcess, type ConsoleProcess } from './console-process';

// The console is a controller, not the runtime: a rig started from the UI of a real console
// process keeps running, quiet, when that process is SIGTERMed or SIGKILLed, and the next console
// adopts it untouched; `rx580-ops up` alone makes the same rig. Real engine, real processes.
const docker = new Docker();
const consoles: ConsoleProcess[] = [];
const FOR = '5s';

/** Settings with every alert's `for` short, so "longer than every for" is seconds. */
async function rigSettings(name: string): Promise<{ settings: Settings; file: string }> {
  const base = await testStackSettings(name, { inference: true });
  const alerts = Object.fromEntries(Object.entries(base.alerts).map(([k, v]) => [k, k.endsWith('For') ? FOR : v]));
  const settings = parseSettings({ ...base, prometheus: { ...base.prometheus, scrapeInterval: '1s' }, alerts: { ...alerts, evaluationInterval: '1s' } });
  const file = join(settings.dataDir, 'settings.json');
  await saveSettings(file, settings);
  return { settings, file };
}

const ofProject = (project: string) => JSON.stringify({ label: [`${LABEL_PROJECT}=${project}`] });

/** Each container of the project by name, with its id and when it last started. */
async function containers(project: string): Promise<Record<string, { id: string; startedAt: string }>> {
  const list = await docker.listContainers({ all: true, filters: ofProject(project) });
  const entries = await Promise.all(list.map(async (c) => [c.Names[0]!.slice(1), { id: c.Id, startedAt: (await docker.getContainer(c.Id).inspect()).State.StartedAt }] as const));
  return Object.fromEntries(entries);
}

async function leftovers(project: string) {
  const filters = ofProject(project);
  const [c, n, v] = await Promise.all([docker.listContainers({ all: true, filters }), docker.listNetworks({ filters }), docker.listVolumes({ filters })]);
  return { containers: c.map((x) => x.Names[0]), networks: n.length, volumes: (v.Volumes ?? []).map((x) => x.Name).sort() };
}

/**
 * Every volume a container of the project mounted between two times, from the engine's own event
 * log: anonymous ones included, which carry no label to find them by afterwards.
 */
async function volumesMountedBy(project: string, since: number, until: number): Promise<string[]> {
  const stream = await docker.getEvents({ since, until, filters: JSON.stringify({ type: ['container', 'volume'] }) });
  let text = '';
  for await (const chunk of stream as AsyncIterable<Buffer>) text += chunk.toString();
  const events = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { Type: string; Action: string; Actor: { ID: string; Attributes: Record<string, string> } });
  const ours = new Set(events.filter((e) => e.Type === 'container' && e.Actor.Attributes[LABEL_PROJECT] === project).map((e) => e.Actor.ID));
  return [...new Set(events.filter((e) => e.Type === 'volume' && e.Action === 'mount' && ours.has(e.Actor.Attributes.container ?? '')).map((e) => e.Actor.ID))];
}

const volumeExists = (name: string) => docker.getVolume(name).inspect().then(() => true, () => false);

/** Longer than every `for` plus an evaluation: no alert may be pending or firing, every target up. */
async function expectQuiet(settings: Settings) {
  await new Promise((r) => setTimeout(r, 2 * 5_000 + 2_000));
  const prometheus = new PrometheusClient(`http://127.0.0.1:${settings.prometheus.port}`);
  expect((await prometheus.alerts()).map((a) => `${a.labels.alertname} ${a.state}`)).toEqual([]);
  const targets = (await prometheus.targets()).activeTargets;
  expect(targets.map((t) => `${t.labels.job} ${t.health}`).sort()).toEqual(['alertmanager up', 'prometheus up', 'rx580-api up']);
  // And the inference container still serves.
  const sample = loadDigits().test[3]!;
  const res = await fetch(`http://127.0.0.1:${settings.inference.port}/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model_name: 'digits', inputs: { image: (await digitImage(sample)).toString('base64') } }),
  });
  expect(res.status).toBe(200);
  expect(((await res.json()) as { predictions?: { label: string }[][] }).predictions?.[0]?.[0]?.label).toBe(String(sample.label));
}

afterEach(() => {
  for (const c of consoles.splice(0)) c.child.kill('SIGKILL');
});

describe('the rig without the console', () => {
  let ui: { settings: Settings; file: string };
  let browser: Browser;
  const projects: { settings: Settings; file: string }[] = [];

  beforeAll(async () => {
    ui = await rigSettings('rig-ui');
    projects.push(ui);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    for (const p of projects) {
      await runCli(['--settings', p.file, 'down']);
      await runCli(['--settings', p.file, 'remove-data']);
    }
  });

  it('keeps running and quiet after its console is SIGTERMed, then SIGKILLed, and each new console adopts it untouched', async () => {
    const first = await startConsoleProcess(ui.file);
    consoles.push(first);
    const page = await browser.newPage();
    await page.goto(first.openUrl);
    await page.getByRole('button', { name: 'Start stack' }).click();
    const state = (id: string) => page.getByTestId(`service-${id}`).getByTestId('service-status').textContent();
    for (const id of ['prometheus', 'alertmanager', 'inference']) await expect.poll(() => state(id), { timeout: 120_000 }).toBe('Healthy');
    await page.close();
    const started = await containers(ui.settings.project);
    expect(Object.keys(started).sort()).toEqual(['alertmanager', 'inference', 'prometheus'].map((s) => `${ui.settings.project}-${s}`));

    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      const running = consoles.at(-1)!;
      running.child.kill(signal);
      await running.exited;
      await expectQuiet(ui.settings);
      const next = await startConsoleProcess(ui.file);
      consoles.push(next);
      const status: StackStatus = await next.call('stack.status');
      expect(status.services.filter((s) => s.enabled).map((s) => `${s.id} ${s.state} ${s.health}`)).toEqual([
        'prometheus running healthy',
        'alertmanager running healthy',
        'inference running healthy',
      ]);
      // Start again adopts: no duplicate, no restart of a healthy container.
      await next.call('stack.up');
      expect(await containers(ui.settings.project)).toEqual(started);
    }
  }, 300_000);

  it('is brought up by `rx580-ops up` alone, the same containers with every target up, and `down` leaves nothing but the data volumes', async () => {
    const cli = await rigSettings('rig-cli');
    projects.push(cli);
    const since = Math.floor(Date.now() / 1000) - 1;
    const up = await runCli(['--settings', cli.file, 'up', '--json']);
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    const strip = (names: string[], project: string) => names.map((n) => n.slice(project.length + 1)).sort();
    expect(strip(Object.keys(await containers(cli.settings.project)), cli.settings.project)).toEqual(['alertmanager', 'inference', 'prometheus']);
    // No console runs now: the CLI has exited. Prometheus still scrapes every target.
    const prometheus = new PrometheusClient(`http://127.0.0.1:${cli.settings.prometheus.port}`);
    await expect.poll(async () => (await prometheus.targets()).activeTargets.map((t) => `${t.labels.job} ${t.health}`).sort(), { timeout: 30_000 }).toEqual([
      'alertmanager up',
      'prometheus up',
      'rx580-api up',
    ]);

    const down = await runCli(['--settings', cli.file, 'down']);
    expect(down.code).toBe(0);
    const project = cli.settings.project;
    expect(await leftovers(project)).toEqual({ containers: [], networks: 0, volumes: [`${project}-alertmanager-data`, `${project}-alertmanager-secrets`, `${project}-prometheus-data`, `${project}-prometheus-secrets`] });
    // No container left a volume behind: helpers (config checks, the secrets carrier) mount
    // their images' anonymous volumes, and must take them along.
    const mounted = await volumesMountedBy(project, since, Math.ceil(Date.now() / 1000) + 1);
    expect(mounted.length).toBeGreaterThan(3);
    const named = new Set((await leftovers(project)).volumes);
    const stray = [];
    for (const v of mounted) if (!named.has(v) && (await volumeExists(v))) stray.push(v);
    expect(stray).toEqual([]);
    expect((await runCli(['--settings', cli.file, 'remove-data'])).code).toBe(0);
    expect(await leftovers(project)).toEqual({ containers: [], networks: 0, volumes: [] });
  }, 180_000);
});

describe('host mode without the console', () => {
  it('keeps the inference service answering after its console quits, and a new console adopts it', async () => {
    const base = await testStackSettings('rig-host', { inference: true });
    const settings = parseSettings({ ...base, prometheus: { enabled: false }, alertmanager: { enabled: false }, inference: { ...base.inference, runtime: 'host' } });
    const file = join(settings.dataDir, 'settings.json');
    await saveSettings(file, settings);
    const health = () => fetch(`http://127.0.0.1:${settings.inference.port}/health`).then((r) => r.status, () => 0);
    try {
      const first = await startConsoleProcess(file);
      consoles.push(first);
      const up: StackStatus = await first.call('stack.up');
      const inference = up.services.find((s) => s.id === 'inference')!;
      expect(inference).toMatchObject({ runtime: 'host', state: 'running', health: 'healthy' });
      first.child.kill('SIGTERM');
      await first.exited;
      expect(await health()).toBe(200);

      const next = await startConsoleProcess(file);
      consoles.push(next);
      const adopted: StackStatus = await next.call('stack.up');
      expect(adopted.services.find((s) => s.id === 'inference')).toMatchObject({ state: 'running', pid: inference.pid, startedAt: inference.startedAt });
      await next.call('stack.down');
      expect(await health()).toBe(0);
    } finally {
      await runCli(['--settings', file, 'down']);
    }
  }, 120_000);
});

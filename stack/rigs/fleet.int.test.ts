import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { utils } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleCore } from '../../electron/core/console-core';
import { dispatchApiCall } from '../../electron/core/dispatch';
import type { RigView } from '../../electron/api/schemas/rigs';
import { parseSettings, saveSettings } from '../../electron/settings/settings-file';
import { AlertmanagerClient } from '../clients/alertmanager-client';
import { PrometheusClient } from '../clients/prometheus-client';
import { LABEL_PROJECT } from '../spec/stack-spec';
import { NODE_EXPORTER_FIXTURE } from '../testing/node-exporter-fixture';
import { createRigHost, type RigHost } from '../testing/rig-hosts';
import { testStackSettings } from '../testing/test-settings';

// Two rigs made by this test: network namespaces with their own address, sshd (Debian's
// openssh-server) and Docker engine, reached over real SSH. The console adds them, runs a worker
// on each, and the stack's Prometheus (test image) scrapes them over TLS with each rig's key.
const FETCHED_MODELS = fileURLToPath(new URL('../../node_modules/.cache/rx580-test-models', import.meta.url));
const CLASSIFIER = 'ch_ppocr_mobile_v2.0_cls_infer.onnx';

describe('a fleet of two rigs over SSH', () => {
  let rigs: { a: RigHost; b: RigHost };
  let core: ConsoleCore;
  let prometheus: PrometheusClient;
  let alertmanager: AlertmanagerClient;
  const call = async (method: string, ...args: unknown[]) => dispatchApiCall(core.handlers, method, args);
  const ok = async <T>(method: string, ...args: unknown[]): Promise<T> => {
    const res = await call(method, ...args);
    if (!res.body.ok) throw new Error(`${method}: ${JSON.stringify(res.body.error)}`);
    return res.body.result as T;
  };
  const addInput = (rig: RigHost, name: string, user: 'docker' | 'noDocker' = 'docker') => ({
    name,
    url: `ssh://${rig.users[user].name}@${rig.address}`,
    privateKey: rig.users[user].privateKey.toString(),
    gpus: 'none',
    sysfs: NODE_EXPORTER_FIXTURE,
  });

  beforeAll(async () => {
    const [a, b] = await Promise.all([createRigHost({ name: 'a' }), createRigHost({ name: 'b' })]);
    rigs = { a, b };
    const base = await testStackSettings('fleet');
    // The models directory of this machine, which the rigs do not have: a real third-party model.
    const modelsDir = join(base.dataDir, 'models');
    await mkdir(modelsDir);
    await copyFile(join(FETCHED_MODELS, CLASSIFIER), join(modelsDir, CLASSIFIER));
    const settings = parseSettings({
      ...base,
      prometheus: { ...base.prometheus, scrapeInterval: '1s' },
      inference: { ...base.inference, enabled: false, rateLimit: 1, rateLimitBurst: 3, modelsDir, preload: [CLASSIFIER] },
      alerts: { evaluationInterval: '1s', rigDownFor: '2s', workerDownFor: '2s', targetDownFor: '2s' },
    });
    const settingsFile = join(settings.dataDir, 'settings.json');
    await saveSettings(settingsFile, settings);
    core = new ConsoleCore({ settings, settingsFile, mode: 'web' });
    await core.rig.up();
    prometheus = new PrometheusClient(`http://127.0.0.1:${settings.prometheus.port}`);
    alertmanager = new AlertmanagerClient(`http://127.0.0.1:${settings.alertmanager.port}`);
  }, 240_000);

  afterAll(async () => {
    for (const name of ['rig-a', 'rig-b']) await call('rigs.remove', name).catch(() => undefined);
    core?.close();
    await core?.stack.down().catch(() => undefined);
    await core?.stack.removeData().catch(() => undefined);
    await Promise.all([rigs?.a.destroy(), rigs?.b.destroy()]);
  }, 120_000);

  it('refuses a bad rig with its reason and stores nothing: wrong host key, wrong key, no Docker permission, a URL with a path or a query', async () => {
    const refused = async (input: Record<string, unknown>) => {
      const res = await call('rigs.add', input);
      expect(res.body.ok).toBe(false);
      return { status: res.status, ...(res.body as { ok: false; error: { code: string; message: string } }).error };
    };
    const a = addInput(rigs.a, 'rig-a');
    expect(await refused({ ...a, hostKey: `SHA256:${'A'.repeat(43)}` })).toMatchObject({ status: 422, code: 'RIG_HOST_KEY', message: expect.stringContaining(`showed host key ${rigs.a.hostKey.fingerprint}`) });
    const stranger = utils.generateKeyPairSync('ed25519').private;
    expect(await refused({ ...a, privateKey: stranger })).toMatchObject({ status: 422, code: 'RIG_AUTH', message: expect.stringMatching(/refused the key/) });
    expect(await refused(addInput(rigs.a, 'rig-a', 'noDocker'))).toMatchObject({ status: 422, code: 'RIG_DOCKER_PERMISSION', message: expect.stringMatching(/may not use Docker.*docker group/) });
    expect(await refused({ ...a, url: `${a.url}/var/run/docker.sock` })).toMatchObject({ status: 400, code: 'BAD_ARGUMENT', message: expect.stringMatching(/no path/) });
    expect(await refused({ ...a, url: `${a.url}?x=1` })).toMatchObject({ status: 400, message: expect.stringMatching(/no query/) });
    expect((await ok<{ rigs: RigView[] }>('rigs.list')).rigs.map((r) => r.name)).toEqual(['local']);
    // Not half-created either: no rigs file, no stored secret.
    const rigsDir = join(core.settings.dataDir, core.settings.project, 'rigs');
    for (const file of ['rigs.json', 'rigs-secrets.enc']) await expect(readFile(join(rigsDir, file))).rejects.toMatchObject({ code: 'ENOENT' });
  }, 60_000);

  it('adds both rigs: the engine, the AMD cards (a fixture sysfs), the host key pinned on first use, no secret in rigs.json; a second rig-a is refused', async () => {
    for (const [name, rig] of [['rig-a', rigs.a], ['rig-b', rigs.b]] as const) {
      const added = await ok<RigView>('rigs.add', addInput(rig, name));
      expect(added).toMatchObject({ name, address: rig.address, hostKey: rig.hostKey.fingerprint, probe: { ok: true, engineName: rig.netns, cards: ['card0', 'card1'] } });
    }
    const dup = await call('rigs.add', addInput(rigs.b, 'rig-a'));
    expect(dup.status).toBe(409);
    const file = await readFile(join(core.settings.dataDir, core.settings.project, 'rigs', 'rigs.json'), 'utf8');
    expect(file).not.toMatch(/PRIVATE KEY|privateKey/);
    expect((await ok<{ rigs: RigView[] }>('rigs.list')).rigs.map((r) => r.name)).toEqual(['local', 'rig-a', 'rig-b']);
  }, 60_000);

  const rigTargets = async () =>
    (await prometheus.targets()).activeTargets
      .filter((t) => t.labels.job === 'rx580-api')
      .map((t) => `${t.labels.rig} ${t.labels.gpu} ${t.scrapeUrl.split('/')[0]} ${t.health}`)
      .sort();

  it('starts a worker on each rig, and Prometheus scrapes both over TLS with each rig\'s key, labelled rig and gpu', async () => {
    const status = await ok<{ rigs: { name: string; reachable: boolean; error: string | null; workers: { state: string }[] }[] }>('rigs.up');
    expect(status.rigs.map((r) => [r.name, r.reachable, r.error, r.workers.map((w) => w.state)])).toEqual([
      ['rig-a', true, null, ['running']],
      ['rig-b', true, null, ['running']],
    ]);
    await expect.poll(rigTargets, { timeout: 60_000, interval: 1000 }).toEqual(['rig-a cpu https: up', 'rig-b cpu https: up']);
    // Each rig's worker loaded the model from its copy of this machine's models directory.
    for (const rig of [rigs.a, rigs.b]) {
      const key = await core.fleet.access.apiKey(await core.fleet.registry.get(`rig-${rig.name}`));
      const models = JSON.parse((await get(`https://${rig.address}:${core.settings.inference.port}/models`, key)).body) as { models: { path: string }[] };
      expect(models.models.map((m) => m.path)).toEqual([CLASSIFIER]);
    }
  }, 240_000);

  /** GET over HTTPS trusting the console's CA, as Prometheus does. */
  const get = async (url: string, key?: string) => {
    const ca = await core.fleet.access.caCert();
    return new Promise<{ status: number; retryAfter: string | undefined; body: string }>((resolve, reject) => {
      const req = request(url, { ca, headers: key ? { authorization: `Bearer ${key}` } : {} }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined, body }));
      });
      req.on('error', reject).end();
    });
  };

  it('answers 401 without or with a wrong bearer, and 429 with Retry-After to a burst past the rate limit', async () => {
    const url = `https://${rigs.a.address}:${core.settings.inference.port}/models`;
    const key = await core.fleet.access.apiKey(await core.fleet.registry.get('rig-a'));
    expect(await get(url)).toMatchObject({ status: 401, body: expect.stringMatching(/^\{.*\}$/) });
    expect((await get(url, `${key}x`)).status).toBe(401);
    const burst = await Promise.all(Array.from({ length: 6 }, () => get(url, key)));
    expect(burst.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(1);
    const limited = burst.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(2);
    expect(Number(limited[0]!.retryAfter)).toBeGreaterThanOrEqual(1);
  }, 30_000);

  const firing = async (alertname: string) => (await prometheus.alerts()).filter((a) => a.labels.alertname === alertname && a.state === 'firing').map((a) => a.labels.rig ?? '-');
  const amState = async () =>
    Object.fromEntries((await alertmanager.alerts()).filter((a) => a.labels.rig === 'rig-b').map((a) => [a.labels.alertname, a.status.state]));

  it('stops one worker of a rig and starts it again: stopped, it stays there, leaves the targets and pages nobody', async () => {
    type Status = { rigs: { name: string; workers: { worker: string; state: string }[] }[] };
    const states = (status: Status) => status.rigs.map((r) => [r.name, r.workers.map((w) => `${w.worker} ${w.state}`)]);
    expect(states(await ok<Status>('rigs.workerDown', 'rig-a', 'cpu'))).toEqual([['rig-a', ['cpu exited']]]);
    await expect.poll(rigTargets, { timeout: 20_000, interval: 500 }).toEqual(['rig-b cpu https: up']);
    // Longer than workerDownFor and an evaluation: a worker stopped on purpose is no alert.
    await new Promise((r) => setTimeout(r, 4000));
    expect(await firing('WorkerDown')).toEqual([]);
    const unknown = await call('rigs.workerUp', 'rig-a', 'card7');
    expect(unknown.status).toBe(404);
    expect(JSON.stringify(unknown.body)).toMatch(/WORKER_NOT_FOUND.*Rig rig-a has no worker card7 \(it has cpu\)/);
    expect(states(await ok<Status>('rigs.workerUp', 'rig-a', 'cpu'))).toEqual([['rig-a', ['cpu running']]]);
    await expect.poll(rigTargets, { timeout: 60_000, interval: 1000 }).toEqual(['rig-a cpu https: up', 'rig-b cpu https: up']);
  }, 120_000);

  it('sees rig b\'s link cut: RigDown fires once and holds its WorkerDown, the Rigs status says why, and rig a keeps being scraped', async () => {
    await rigs.b.linkDown();
    await expect.poll(() => firing('RigDown'), { timeout: 30_000, interval: 1000 }).toEqual(['rig-b']);
    await expect.poll(amState, { timeout: 30_000, interval: 1000 }).toMatchObject({ RigDown: 'active', WorkerDown: 'suppressed' });
    const status = await ok<{ rigs: { name: string; reachable: boolean; failure: string | null; message: string | null }[] }>('rigs.status');
    expect(status.rigs.find((r) => r.name === 'rig-b')).toMatchObject({ reachable: false, failure: 'timeout', message: expect.stringMatching(/off or its network is down/) });
    expect(status.rigs.find((r) => r.name === 'rig-a')).toMatchObject({ reachable: true });
    expect(await rigTargets()).toContain('rig-a cpu https: up');
    // Rig a keeps serving, not only being scraped.
    const key = await core.fleet.access.apiKey(await core.fleet.registry.get('rig-a'));
    expect((await get(`https://${rigs.a.address}:${core.settings.inference.port}/health`, key)).status).toBe(200);
  }, 90_000);

  it('sees rig b come back: everything resolves', async () => {
    await rigs.b.linkUp();
    await expect.poll(rigTargets, { timeout: 30_000, interval: 1000 }).toEqual(['rig-a cpu https: up', 'rig-b cpu https: up']);
    await expect.poll(() => firing('RigDown'), { timeout: 30_000, interval: 1000 }).toEqual([]);
    await expect.poll(async () => (await ok<{ rigs: { reachable: boolean }[] }>('rigs.status')).rigs.map((r) => r.reachable), { timeout: 30_000, interval: 1000 }).toEqual([true, true]);
  }, 90_000);

  it('removes a rig with its workers, their secrets and models; one that cannot be reached only when forced, its workers left running there', async () => {
    const label = `${LABEL_PROJECT}=${core.settings.project}`;
    const volumes = async () => ((await rigs.a.docker.listVolumes({ filters: { label: [label] } })).Volumes ?? []).map((v) => v.Name.replace(/[0-9a-f]{12}$/, '<hash>')).sort();
    expect(await volumes()).toEqual([`${core.settings.project}-rig-a-inference-secrets`, `${core.settings.project}-rig-a-models-<hash>`]);
    await ok('rigs.remove', 'rig-a');
    expect(await rigs.a.docker.listContainers({ all: true, filters: { label: [label] } })).toEqual([]);
    expect(await volumes()).toEqual([]);

    await rigs.b.linkDown();
    const refused = await call('rigs.remove', 'rig-b');
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.body)).toMatch(/RIG_UNREACHABLE.*would stay behind/);
    expect(await ok('rigs.remove', 'rig-b', { force: true })).toEqual({ removed: 'rig-b', workersLeft: true });
    // Still running on the rig, as the answer says (read through the rig's own socket, not the cut link).
    expect((await rigs.b.docker.listContainers({ filters: { label: [label] } })).map((c) => c.State)).toEqual(['running']);
    expect((await ok<{ rigs: RigView[] }>('rigs.list')).rigs.map((r) => r.name)).toEqual(['local']);
  }, 90_000);
});

import Docker from 'dockerode';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentCommand, renderAgentConfig } from './agent-config';
import { REMOTE_WRITE_SECRET_FILE } from './remote-write';
import { parseSettings } from '../../electron/settings/settings-file';
import { REMOTE_WRITE_SECRET_ENV, type Settings } from '../../electron/api/schemas/settings';
import { PrometheusClient } from '../clients/prometheus-client';
import { StackManager } from '../engine/stack-manager';
import { removeContainer } from '../engine/stack-resources';
import { writeVolumeSecrets } from '../engine/volume-secrets';
import { imageTag, LABEL_PROJECT, SECRETS_TARGET } from '../spec/stack-spec';
import { projectLeftovers } from '../testing/project-leftovers';
import { testStackSettings } from '../testing/test-settings';

// The acceptance check, on the real engine: the stack's Prometheus (test image)
// remote_writes to a real VictoriaMetrics (test image from Debian's binary) that demands basic
// auth, the password reaching Prometheus only as a file in its secrets volume; a query there
// returns the rig's series. A Prometheus agent for a second rig writes beside it, and a wrong
// password is seen on both sides.
const docker = new Docker();
const vmImage = process.env.RX580_OPS_TEST_VICTORIA_METRICS_IMAGE;
const USER = 'rx580-rigs';
const PASSWORD = `pw-${Math.random().toString(36).slice(2)}`;
type Series = { metric: Record<string, string>; value: [number, string] }[];

describe('remote_write to a real VictoriaMetrics', () => {
  let settings: Settings;
  let manager: StackManager;
  let prometheus: PrometheusClient;
  let vmUrl = '';
  /** The containers and volume this test runs beside the stack, under a project label of their own. */
  let store = '';
  const extras: string[] = [];

  const vm = (path: string, auth = `${USER}:${PASSWORD}`) => fetch(`${vmUrl}${path}`, { headers: { authorization: `Basic ${Buffer.from(auth).toString('base64')}` } });
  const vmQuery = async (query: string): Promise<Series> => {
    const res = await vm(`/api/v1/query?query=${encodeURIComponent(query)}`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { data: { result: Series } }).data.result;
  };
  const upSeries = async (rig: string) => (await vmQuery(`up{rig="${rig}"}`)).map((s) => `${s.metric.job} ${s.metric.service} ${s.metric.rig} ${s.value[1]}`).sort();

  beforeAll(async () => {
    if (!vmImage) throw new Error('RX580_OPS_TEST_VICTORIA_METRICS_IMAGE is not set: run eval "$(bash stack/test-images/build.sh)" first (it builds the local VictoriaMetrics image)');
    const base = await testStackSettings('remote-write');
    settings = parseSettings({
      ...base,
      prometheus: {
        ...base.prometheus,
        scrapeInterval: '1s',
        remoteWrite: { enabled: true, kind: 'victoriametrics', url: 'http://victoria-metrics:8428/api/v1/write', auth: 'basic', username: USER },
      },
    });
    store = `${settings.project}-store`;
    // The stack's network made first (as the stack makes it, which adopts it), so the store is
    // there by name before Prometheus sends its first sample.
    const network = `${settings.project}-net`;
    await docker.createNetwork({ Name: network, Driver: 'bridge', Labels: { [LABEL_PROJECT]: settings.project } });
    const container = await docker.createContainer({
      Image: vmImage,
      name: `${store}-victoria-metrics`,
      Labels: { [LABEL_PROJECT]: store },
      // No 30 s delay before fresh samples show in queries: the test asks for them at once.
      Cmd: [`-httpAuth.username=${USER}`, `-httpAuth.password=${PASSWORD}`, '-search.latencyOffset=0s'],
      ExposedPorts: { '8428/tcp': {} },
      HostConfig: { NetworkMode: network, PortBindings: { '8428/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } },
      NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: ['victoria-metrics'] } } },
    });
    extras.push(container.id);
    await container.start();
    vmUrl = `http://127.0.0.1:${(await container.inspect()).NetworkSettings.Ports['8428/tcp']![0]!.HostPort}`;
    for (const deadline = Date.now() + 15_000; (await fetch(`${vmUrl}/health`, { signal: AbortSignal.timeout(2000) }).then((r) => r.status, () => 0)) !== 200; await new Promise((r) => setTimeout(r, 200))) {
      if (Date.now() > deadline) throw new Error(`VictoriaMetrics did not answer at ${vmUrl}/health`);
    }

    manager = new StackManager({ settings, env: { ...process.env, [REMOTE_WRITE_SECRET_ENV]: PASSWORD } });
    await manager.up();
    prometheus = new PrometheusClient(`http://127.0.0.1:${settings.prometheus.port}`);
  }, 120_000);

  afterAll(async () => {
    for (const id of extras) await removeContainer(docker, id);
    await manager?.down().catch(() => undefined);
    await manager?.removeData().catch(() => undefined);
    if (store) await docker.getVolume(`${store}-agent-secrets`).remove().catch(() => undefined);
    await docker.getNetwork(`${settings?.project}-net`).remove().catch(() => undefined);
  });

  it('writes the rig\'s series into VictoriaMetrics, which returns them with their rig and service labels', async () => {
    await expect.poll(() => upSeries('local'), { timeout: 30_000, interval: 1000 }).toEqual(['alertmanager alertmanager local 1', 'prometheus prometheus local 1']);
    // The password went only to the secrets volume: prometheus.yml names its file.
    const yml = await readFile(join(manager.spec.services.find((s) => s.service === 'prometheus')!.configDir!, 'prometheus.yml'), 'utf8');
    expect(yml).toContain(`password_file: ${SECRETS_TARGET}/${REMOTE_WRITE_SECRET_FILE}`);
    expect(yml).not.toContain(PASSWORD);
    expect(await prometheus.query('sum(prometheus_remote_storage_samples_failed_total)')).toMatchObject({ result: [{ value: [expect.any(Number), '0'] }] });
  }, 40_000);

  it('takes an agent-mode Prometheus of another rig beside it, its series named for that rig', async () => {
    const agentSettings = parseSettings({ ...settings, alertmanager: { ...settings.alertmanager, enabled: false } });
    const configDir = join(settings.dataDir, 'agent');
    await mkdir(configDir, { recursive: true });
    await writeFile(join(configDir, 'prometheus.yml'), renderAgentConfig(agentSettings, 'rig-b'));
    const secrets = `${store}-agent-secrets`;
    await writeVolumeSecrets(docker, { volume: secrets, project: store, image: settings.prometheus.image, secrets: [{ name: REMOTE_WRITE_SECRET_FILE, content: PASSWORD, uid: 65534 }] });
    const agent = await docker.createContainer({
      Image: settings.prometheus.image,
      name: `${store}-agent`,
      Labels: { [LABEL_PROJECT]: store },
      Cmd: agentCommand(imageTag(settings.prometheus.image)),
      HostConfig: {
        NetworkMode: `${settings.project}-net`,
        Binds: [`${configDir}:/etc/prometheus:ro`],
        Mounts: [{ Type: 'volume', Source: secrets, Target: SECRETS_TARGET, ReadOnly: true }],
      },
    });
    extras.push(agent.id);
    await agent.start();
    await expect.poll(() => upSeries('rig-b'), { timeout: 30_000, interval: 1000 }).toEqual(['prometheus prometheus rig-b 1']);
    // The agent's own series carry no rig="local": the central store tells the rigs apart.
    expect(await upSeries('local')).toEqual(['alertmanager alertmanager local 1', 'prometheus prometheus local 1']);
    expect((await agent.inspect()).State.Running).toBe(true);
  }, 60_000);

  it('is refused without the right password: VictoriaMetrics answers 401 and Prometheus counts the samples it lost', async () => {
    expect((await vm('/api/v1/query?query=up', `${USER}:wrong`)).status).toBe(401);
    expect((await fetch(`${vmUrl}/api/v1/write`, { method: 'POST', body: '' })).status).toBe(401);
    // Prometheus reads the password file on every request: a changed secret counts at once.
    await manager.putSecrets('prometheus', [{ name: REMOTE_WRITE_SECRET_FILE, content: 'wrong' }]);
    const failed = async () => {
      const r = await prometheus.query('sum(prometheus_remote_storage_samples_failed_total)');
      return r.resultType === 'vector' ? Number(r.result[0]?.value[1] ?? 0) : 0;
    };
    await expect.poll(failed, { timeout: 30_000, interval: 1000 }).toBeGreaterThan(0);
  }, 40_000);

  it('refuses to start without the secret, naming its variable, before anything is created', async () => {
    const base = await testStackSettings('rw-nosecret');
    const secretless = parseSettings({ ...base, prometheus: { ...base.prometheus, remoteWrite: settings.prometheus.remoteWrite } });
    const env = { ...process.env };
    delete env[REMOTE_WRITE_SECRET_ENV];
    const err = await new StackManager({ settings: secretless, env }).up().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'REMOTE_WRITE_SECRET_MISSING', message: expect.stringContaining(REMOTE_WRITE_SECRET_ENV) });
    expect(await projectLeftovers(docker, secretless.project)).toEqual({ containers: [], networks: [], volumes: [] });
  });

  it('leaves no container, network or volume behind', async () => {
    for (const id of extras.splice(0)) await removeContainer(docker, id);
    await docker.getVolume(`${store}-agent-secrets`).remove();
    await manager.down();
    await manager.removeData();
    expect(await projectLeftovers(docker, settings.project)).toEqual({ containers: [], networks: [], volumes: [] });
    expect(await projectLeftovers(docker, store)).toEqual({ containers: [], networks: [], volumes: [] });
  }, 30_000);
});

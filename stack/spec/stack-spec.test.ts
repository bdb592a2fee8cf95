import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { planWorkerGpus } from '../gpu/worker-gpu';
import { prometheusConfigFiles, renderPrometheusConfig } from '../config/prometheus-config';
import { INFERENCE_TARGETS_FILE, inferenceTargetGroups } from '../config/inference-targets';
import { parseSettings } from '../../electron/settings/settings-file';
import { buildStackSpec, containerCreateOptions, LABEL_PROJECT, LABEL_SERVICE, LABEL_WORKER } from './stack-spec';

describe('stack spec', () => {
  const settings = parseSettings({ project: 'demo', dataDir: '/data', prometheus: { port: 19090 }, inference: { runtime: 'container' } });
  const spec = buildStackSpec(settings);

  it('starts Alertmanager first, then node_exporter and the inference workers, the Prometheus that scrapes them, Grafana last', () => {
    expect(spec.services.map((s) => s.id)).toEqual(['alertmanager', 'node-exporter', 'node-exporter-network', 'inference', 'prometheus', 'grafana']);
  });

  it('leaves out services that are switched off, and the inference containers in host mode', () => {
    const off = buildStackSpec(parseSettings({ grafana: { enabled: false }, nodeExporter: { enabled: false }, inference: { enabled: false } }));
    expect(off.services.map((s) => s.service)).toEqual(['alertmanager', 'prometheus']);
    const host = buildStackSpec(parseSettings({ grafana: { enabled: false }, nodeExporter: { enabled: false }, inference: { runtime: 'host' } }));
    expect(host.services.map((s) => s.service)).toEqual(['alertmanager', 'prometheus']);
  });

  it('on a rig (rigs.monitoring), carries each service\'s config in a volume of its own, mounted read-only where the folder was, and runs no worker', () => {
    const onRig = buildStackSpec(parseSettings({ ...settings, rigs: { monitoring: 'rig-a' } }));
    expect(onRig.services.map((s) => s.id)).toEqual(['alertmanager', 'node-exporter', 'node-exporter-network', 'prometheus', 'grafana']);
    for (const service of onRig.services.filter((s) => s.configTarget)) {
      const opts = containerCreateOptions(service, onRig);
      expect(opts.HostConfig?.Binds).toBeUndefined();
      expect(opts.HostConfig?.Mounts).toContainEqual({ Type: 'volume', Source: `demo-${service.service}-config`, Target: service.configTarget, ReadOnly: true });
    }
    // The config is still rendered here first: the volume is filled from this folder.
    expect(onRig.services.find((s) => s.service === 'grafana')?.configDir).toBe('/data/demo/config/grafana');
  });

  it('publishes on loopback only, labels what it creates, mounts config read-only and data on a named volume', () => {
    const prometheus = spec.services.find((s) => s.service === 'prometheus')!;
    const opts = containerCreateOptions(prometheus, spec);
    expect(opts.name).toBe('demo-prometheus');
    expect(opts.HostConfig?.PortBindings).toEqual({ '9090/tcp': [{ HostIp: '127.0.0.1', HostPort: '19090' }] });
    expect(opts.Labels).toEqual({ [LABEL_PROJECT]: 'demo', [LABEL_SERVICE]: 'prometheus' });
    expect(opts.HostConfig?.Binds).toEqual(['/data/demo/config/prometheus:/etc/prometheus:ro']);
    // Its secrets (a remote_write password, each rig's API key and the rigs' CA) on a volume of their own, read-only.
    expect(opts.HostConfig?.Mounts).toEqual([
      { Type: 'volume', Source: 'demo-prometheus-data', Target: '/prometheus' },
      { Type: 'volume', Source: 'demo-prometheus-secrets', Target: '/run/secrets/rx580-ops', ReadOnly: true },
    ]);
    expect(opts.Cmd).toContain('--web.enable-lifecycle');
    expect(opts.Cmd).toContain('--storage.tsdb.path=/prometheus');
    expect(opts.User).toBe('65534');
    expect(opts.HostConfig?.NetworkMode).toBe('demo-net');
  });

  it('runs Alertmanager as a single node, with no cluster port', () => {
    const am = containerCreateOptions(spec.services.find((s) => s.service === 'alertmanager')!, spec);
    expect(am.Cmd).toContain('--cluster.listen-address=');
    expect(Object.keys(am.ExposedPorts ?? {})).toEqual(['9093/tcp']);
  });

  it('runs Grafana as its own user with its data directory on a volume', () => {
    const grafana = containerCreateOptions(spec.services.find((s) => s.service === 'grafana')!, spec);
    expect(grafana.User).toBe('472');
    // Never the seed's admin/admin: the password comes from a secret file on a read-only volume.
    expect(grafana.Env).toContain('GF_SECURITY_ADMIN_PASSWORD__FILE=/run/secrets/rx580-ops/grafana-admin-password');
    expect(grafana.Env?.some((e) => e.startsWith('GF_SECURITY_ADMIN_PASSWORD='))).toBe(false);
    expect(grafana.HostConfig?.Mounts).toContainEqual({ Type: 'volume', Source: 'demo-grafana-secrets', Target: '/run/secrets/rx580-ops', ReadOnly: true });
    expect(grafana.HostConfig?.Mounts?.[0]?.Target).toBe('/var/lib/grafana');
    expect(grafana.HostConfig?.PortBindings?.['3000/tcp']?.[0]?.HostIp).toBe('127.0.0.1');
  });
});

describe('the node_exporter container', () => {
  const node = (extra: object = {}, id = 'node-exporter') => {
    const spec = buildStackSpec(parseSettings({ project: 'demo', dataDir: '/data', ...extra }));
    return containerCreateOptions(spec.services.find((s) => s.id === id)!, spec);
  };

  it("mounts the host's /proc, /sys and root read-only the documented way, with the drm collector on", () => {
    const opts = node();
    expect(opts.HostConfig?.Mounts).toEqual([
      { Type: 'bind', Source: '/proc', Target: '/host/proc', ReadOnly: true },
      { Type: 'bind', Source: '/sys', Target: '/host/sys', ReadOnly: true },
      { Type: 'bind', Source: '/', Target: '/rootfs', ReadOnly: true },
    ]);
    expect(opts.Cmd).toEqual(expect.arrayContaining(['--path.procfs=/host/proc', '--path.sysfs=/host/sys', '--path.rootfs=/rootfs', '--collector.drm', '--no-collector.netdev']));
    expect(opts.Image).toBe('prom/node-exporter:v1.9.1');
    expect(opts.User).toBe('65534');
    expect(opts.HostConfig?.Binds).toBeUndefined();
  });

  it('stays on the stack network unless published, and then on 127.0.0.1 only', () => {
    const internal = node();
    expect(internal.HostConfig?.PortBindings).toEqual({});
    expect(internal.NetworkingConfig?.EndpointsConfig?.['demo-net']?.Aliases).toEqual(['node-exporter']);
    expect(node({ nodeExporter: { publish: true, port: 19100 } }).HostConfig?.PortBindings).toEqual({ '9100/tcp': [{ HostIp: '127.0.0.1', HostPort: '19100' }] });
  });

  it("reads the host's network counters in a second container, from PID 1's network namespace, unpublished", () => {
    const net = node({ nodeExporter: { publish: true, port: 19100 } }, 'node-exporter-network');
    expect(net.Cmd).toEqual(['--path.procfs=/host/proc/1', '--collector.disable-defaults', '--collector.netdev', '--no-collector.netdev.netlink']);
    expect(net.HostConfig?.Mounts).toEqual([{ Type: 'bind', Source: '/proc', Target: '/host/proc', ReadOnly: true }]);
    expect(net.HostConfig?.PortBindings).toEqual({});
    expect(net.HostConfig?.NetworkMode).toBe('demo-net');
  });

  it('is scraped as job "node" with a service label, which the container alerts group by, and labels each card\'s hwmon series with its card', () => {
    const settings = parseSettings({ project: 'demo', dataDir: '/data' });
    const cards = [
      { name: 'card0', pciSlot: '0000:01:00.0' },
      { name: 'card1', pciSlot: null },
    ];
    const jobs = parse(renderPrometheusConfig(settings, cards)).scrape_configs;
    expect(jobs.find((j: { job_name: string }) => j.job_name === 'node')).toEqual({
      job_name: 'node',
      static_configs: [{ targets: ['node-exporter:9100', 'node-exporter-network:9100'], labels: { service: 'node-exporter', rig: 'local' } }],
      metric_relabel_configs: [{ source_labels: ['chip'], regex: '.+_0000:01:00_0', target_label: 'card', replacement: 'card0' }],
    });
  });

  it('reads a fixture tree as sysfs when told to (tests: there is no AMD card here)', () => {
    expect(node({ nodeExporter: { sysfs: '/fixtures/sys' } }).HostConfig?.Mounts).toContainEqual({ Type: 'bind', Source: '/fixtures/sys', Target: '/host/sys', ReadOnly: true });
  });
});

describe('inference worker containers', () => {
  // A fake host with two RX 580s (fixture tree; no AMD GPU exists here): see stack/gpu/fixtures.
  const host = realpathSync(fileURLToPath(new URL('../gpu/fixtures/two-rx580', import.meta.url)));
  const roots = { sys: join(host, 'sys'), dev: join(host, 'dev'), etc: join(host, 'etc') };
  const settings = parseSettings({ project: 'demo', dataDir: '/data', inference: { runtime: 'container', port: 18000, modelsDir: '/srv/models', providers: ['webgpu', 'cpu'] } });

  it('runs one worker per card of the two-card fixture, each given only its own card nodes and sysfs', async () => {
    const spec = buildStackSpec(settings, await planWorkerGpus('all', roots));
    const workers = spec.services.filter((s) => s.service === 'inference').map((s) => containerCreateOptions(s, spec));
    expect(workers.map((w) => w.name)).toEqual(['demo-inference-card0', 'demo-inference-card1']);
    const [card0, card1] = workers;
    expect(card0!.HostConfig?.Devices?.map((d: { PathOnHost: string; PathInContainer: string }) => [d.PathOnHost, d.PathInContainer])).toEqual([
      [join(host, 'dev/dri/card0'), '/dev/dri/card0'],
      [join(host, 'dev/dri/renderD128'), '/dev/dri/renderD128'],
      [join(host, 'dev/kfd'), '/dev/kfd'],
    ]);
    expect(card1!.HostConfig?.Devices?.map((d: { PathInContainer: string }) => d.PathInContainer)).toEqual(['/dev/dri/card1', '/dev/dri/renderD129', '/dev/kfd']);
    expect(card0!.HostConfig?.GroupAdd).toEqual(['44', '109']);
    // Its own card's sysfs, read-only, where its --sys-root points; and the models, read-only.
    expect(card0!.HostConfig?.Mounts).toEqual([
      { Type: 'bind', Source: '/srv/models', Target: '/models', ReadOnly: true },
      { Type: 'bind', Source: join(host, 'sys/devices/pci0000_00/0000_00_01.0/0000_01_00.0'), Target: '/run/rx580-ops/sys/class/drm/card0/device', ReadOnly: true },
    ]);
    expect(card0!.Cmd).toEqual(['--in-container', '--port', '8000', '--sys-root', '/run/rx580-ops/sys']);
    expect(JSON.stringify(card0)).not.toMatch(/card1|renderD129|0000_03_00/);
    expect(JSON.stringify(card1)).not.toMatch(/card0"|renderD128|0000_01_00/);
    // Each publishes its own port on loopback; the service's settings reach it as its variables.
    expect(workers.map((w) => w.HostConfig?.PortBindings)).toEqual([
      { '8000/tcp': [{ HostIp: '127.0.0.1', HostPort: '18000' }] },
      { '8000/tcp': [{ HostIp: '127.0.0.1', HostPort: '18001' }] },
    ]);
    expect(card0!.Env).toEqual(expect.arrayContaining(['RX580_OPS_INFERENCE_PROVIDERS=webgpu,cpu', 'RX580_OPS_INFERENCE_MODELS_DIR=/models']));
    expect(card0!.Labels).toMatchObject({ [LABEL_PROJECT]: 'demo', [LABEL_SERVICE]: 'inference', [LABEL_WORKER]: 'card0' });
    expect(card0!.HostConfig?.RestartPolicy).toEqual({ Name: 'unless-stopped' });
    expect(card0!.User).toBe('1000');
    // Never the Docker socket.
    expect(JSON.stringify(workers)).not.toContain('docker.sock');
  });

  it('has Prometheus scrape each worker by its alias on the stack network, from a file_sd file, labelled rig and gpu', async () => {
    const spec = buildStackSpec(settings, await planWorkerGpus('all', roots));
    const files = await prometheusConfigFiles(settings, spec);
    const job = (parse(files['prometheus.yml']!) as { scrape_configs: { job_name: string }[] }).scrape_configs.find((j) => j.job_name === 'rx580-api');
    expect(job).toEqual({ job_name: 'rx580-api', file_sd_configs: [{ files: [INFERENCE_TARGETS_FILE] }] });
    expect(JSON.parse(files[INFERENCE_TARGETS_FILE]!)).toEqual([
      { targets: ['inference-card0:8000'], labels: { service: 'inference', rig: 'local', gpu: 'card0' } },
      { targets: ['inference-card1:8000'], labels: { service: 'inference', rig: 'local', gpu: 'card1' } },
    ]);
    const aliases = spec.services.filter((s) => s.service === 'inference').map((s) => containerCreateOptions(s, spec).NetworkingConfig?.EndpointsConfig?.['demo-net']?.Aliases);
    expect(aliases).toEqual([['inference-card0'], ['inference-card1']]);
  });

  it('runs one plain CPU worker without a card, or several named cpu0, cpu1', () => {
    const one = buildStackSpec(settings);
    expect(one.services.filter((s) => s.service === 'inference').map((s) => [s.id, s.containerName, s.worker, s.gpu])).toEqual([['inference', 'demo-inference', 'cpu', null]]);
    const two = buildStackSpec(parseSettings({ ...settings, inference: { ...settings.inference, cpuWorkers: 2 } }));
    expect(two.services.filter((s) => s.service === 'inference').map((s) => [s.id, s.hostPort])).toEqual([
      ['inference-cpu0', 18000],
      ['inference-cpu1', 18001],
    ]);
    expect(containerCreateOptions(one.services.find((s) => s.id === 'inference')!, one).HostConfig?.Devices).toBeUndefined();
  });

  it('scrapes the host process through the host gateway in host mode', () => {
    const hostMode = parseSettings({ ...settings, inference: { ...settings.inference, runtime: 'host' } });
    expect(inferenceTargetGroups(hostMode, buildStackSpec(hostMode))).toEqual([{ targets: ['host.docker.internal:18000'], labels: { service: 'inference', rig: 'local' } }]);
  });
});

import type Docker from 'dockerode';
import { rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDocker } from '../engine/docker-engine';
import { LABEL_PROJECT } from '../spec/stack-spec';
import { execIn } from '../testing/container-exec';
import { chipLabel, fixtureCards, mountableFixture, readAttr, readNumber, versionAtLeast } from '../testing/node-exporter-fixture';
import { parseMetrics, select, valueOf, type Sample } from '../testing/prometheus-text';

/**
 * The node exporter image (RX580_OPS_NODE_EXPORTER_IMAGE: the local stand-in for
 * prom/node-exporter that `eval "$(bash stack/test-images/build.sh)"` builds from Debian's binary)
 * run on fixture sysfs trees, as the stack runs it on a host with AMD cards: the drm and hwmon
 * series it exposes carry exactly the numbers in the fixture's files, read here, not copied.
 */

const image = process.env.RX580_OPS_NODE_EXPORTER_IMAGE;
/** A host whose card0 is an Intel iGPU (i915) and card1 an RX 580 without amdgpu attributes. */
const INTEL_FIXTURE = fileURLToPath(new URL('../gpu/fixtures/intel-and-rx580/sys', import.meta.url));

describe('node exporter image', () => {
  const docker = connectDocker();
  const project = `rx580-node-exporter-test-${process.pid}`;
  const containers: Docker.Container[] = [];
  let work = '';
  /** The fixture tree with the kernel's PCI dir names, as the container sees it. */
  let sys = '';
  let fixture: Sample[] = [];

  /** Starts the image on a sysfs tree mounted read-only, with the drm collector on; its container and parsed /metrics. */
  async function runOn(tree: string, name: string, flags: string[] = []): Promise<{ container: Docker.Container; samples: Sample[] }> {
    const container = await docker.createContainer({
      Image: image!,
      name: `${project}-${name}`,
      Labels: { [LABEL_PROJECT]: project },
      Cmd: ['--path.sysfs=/host/sys', '--collector.drm', ...flags],
      ExposedPorts: { '9100/tcp': {} },
      HostConfig: {
        PortBindings: { '9100/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] },
        Mounts: [{ Type: 'bind', Source: tree, Target: '/host/sys', ReadOnly: true }],
      },
    });
    containers.push(container);
    await container.start();
    const port = (await container.inspect()).NetworkSettings.Ports['9100/tcp']![0]!.HostPort;
    let res: Response | null = null;
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
      res = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(2000) }).catch(() => null);
      if (res?.ok) break;
      expect((await container.inspect()).State.Running, 'the container exited').toBe(true);
    }
    expect(res?.status).toBe(200);
    return { container, samples: parseMetrics(await res!.text()) };
  }

  beforeAll(async () => {
    if (!image) {
      throw new Error('RX580_OPS_NODE_EXPORTER_IMAGE is not set: run eval "$(bash stack/test-images/build.sh)" first (it builds the local node exporter image)');
    }
    ({ work, sys } = await mountableFixture());
    fixture = (await runOn(sys, 'fixture')).samples;
  });

  afterAll(async () => {
    await Promise.all(containers.map((c) => c.remove({ force: true, v: true }).catch(() => {})));
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('is built like prom/node-exporter: /bin/node_exporter as entrypoint, no default flags, user nobody (65534), port 9100', async () => {
    const config = (await docker.getImage(image!).inspect()).Config;
    expect(config.Entrypoint).toEqual(['/bin/node_exporter']);
    expect(config.Cmd ?? []).toEqual([]);
    expect(config.User).toBe('nobody');
    expect(Object.keys(config.ExposedPorts ?? {})).toEqual(['9100/tcp']);
    const status = await execIn(containers[0]!, ['cat', '/proc/1/status']);
    expect(status.out).toMatch(/^Uid:\s+65534\s+65534\s+65534\s+65534$/m);
    // The tag names the version the binary reports (v1.9.1 for prom/node-exporter:v1.9.1).
    const [info] = select(fixture, 'node_exporter_build_info');
    expect(info!.labels.version).toBe(image!.split(':').pop()!.replace(/^v/, ''));
  });

  it('reports each amdgpu card of the fixture under class/drm, and nothing else there, with the numbers of its files', async () => {
    const cards = await fixtureCards(sys);
    expect(cards.map((c) => c.driver)).toEqual(['amdgpu', 'amdgpu']);
    // card0-DP-1, renderD128 and version are no cards.
    expect(select(fixture, 'node_drm_card_info').map((s) => s.labels.card).sort()).toEqual(cards.map((c) => c.card));
    for (const { card, deviceDir } of cards) {
      const attr = (file: string) => readNumber(join(deviceDir, file));
      expect(select(fixture, 'node_drm_card_info', { card })[0]!.labels).toEqual({
        card,
        memory_vendor: await readAttr(join(deviceDir, 'mem_info_vram_vendor')),
        power_performance_level: await readAttr(join(deviceDir, 'power_dpm_force_performance_level')),
        // An RX 580 (Polaris) has no unique_id file: the label is empty.
        unique_id: (await readAttr(join(deviceDir, 'unique_id'))) ?? '',
        vendor: 'amd',
      });
      expect(select(fixture, 'node_drm_card_info', { card })[0]!.value).toBe(1);
      const l = { card };
      expect(valueOf(fixture, 'node_drm_gpu_busy_percent', l)).toBe(await attr('gpu_busy_percent'));
      expect(valueOf(fixture, 'node_drm_memory_vram_size_bytes', l)).toBe(await attr('mem_info_vram_total'));
      expect(valueOf(fixture, 'node_drm_memory_vram_used_bytes', l)).toBe(await attr('mem_info_vram_used'));
      expect(valueOf(fixture, 'node_drm_memory_vis_vram_size_bytes', l)).toBe(await attr('mem_info_vis_vram_total'));
      expect(valueOf(fixture, 'node_drm_memory_vis_vram_used_bytes', l)).toBe(await attr('mem_info_vis_vram_used'));
      expect(valueOf(fixture, 'node_drm_memory_gtt_size_bytes', l)).toBe(await attr('mem_info_gtt_total'));
      expect(valueOf(fixture, 'node_drm_memory_gtt_used_bytes', l)).toBe(await attr('mem_info_gtt_used'));
    }
    // The cards' busy and used-memory readings differ: a value read from the wrong card would show.
    expect(new Set(select(fixture, 'node_drm_gpu_busy_percent').map((s) => s.value)).size).toBe(2);
    expect(new Set(select(fixture, 'node_drm_memory_vram_used_bytes').map((s) => s.value)).size).toBe(2);
  });

  it("names each card's hwmon chip after its PCI path, which node_drm_card_info does not carry", async () => {
    const cards = await fixtureCards(sys);
    const chipNames = select(fixture, 'node_hwmon_chip_names');
    for (const { card, deviceDir, chips } of cards) {
      // One amdgpu hwmon per card, under the card's PCI device: `<bridge>_<slot>` with `.` as `_`.
      expect(chips).toHaveLength(1);
      const chip = chips[0]!;
      expect(chip).toBe(chipLabel(deviceDir));
      expect(chip).toMatch(/^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}_[0-7]_[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}_[0-7]$/);
      expect(valueOf(fixture, 'node_hwmon_chip_names', { chip, chip_name: 'amdgpu' })).toBe(1);
      // Nothing of the PCI address is in the drm series: a dashboard joins card to chip by a mapping from outside.
      const info = select(fixture, 'node_drm_card_info', { card })[0]!;
      expect(Object.keys(info.labels).sort()).toEqual(['card', 'memory_vendor', 'power_performance_level', 'unique_id', 'vendor']);
      const busAndDevice = basename(deviceDir).split(':').slice(1).join(':'); // 01:00.0
      expect(Object.values(info.labels).filter((v) => v.includes(busAndDevice) || v.includes(busAndDevice.replace('.', '_')))).toEqual([]);
    }
    // The CPU's sensor is a chip too, with its own chip_name: GPU panels select chip_name="amdgpu".
    expect(chipNames.map((s) => s.labels.chip_name).sort()).toEqual(['amdgpu', 'amdgpu', 'k10temp']);
  });

  it('reports each card\'s temperature, power, fan, voltage and clocks in base units, from the files of its hwmon', async () => {
    const version = select(fixture, 'node_exporter_build_info')[0]!.labels.version!;
    for (const { hwmonDirs, chips } of await fixtureCards(sys)) {
      const chip = chips[0]!;
      const hwmonDir = hwmonDirs[0]!;
      const raw = (file: string) => readNumber(join(hwmonDir, file));
      const sensor = (s: string) => ({ chip, sensor: s });
      // millidegrees Celsius, as node_exporter scales them (× 0.001, not / 1000: the same double).
      expect(valueOf(fixture, 'node_hwmon_temp_celsius', sensor('temp1'))).toBe((await raw('temp1_input')) * 0.001);
      expect(valueOf(fixture, 'node_hwmon_temp_crit_celsius', sensor('temp1'))).toBe((await raw('temp1_crit')) * 0.001);
      expect(valueOf(fixture, 'node_hwmon_sensor_label', { ...sensor('temp1'), label: (await readAttr(join(hwmonDir, 'temp1_label')))! })).toBe(1);
      // microwatts; the unit in the name is `watt`.
      expect(valueOf(fixture, 'node_hwmon_power_average_watt', sensor('power1'))).toBe((await raw('power1_average')) / 1e6);
      expect(valueOf(fixture, 'node_hwmon_power_cap_watt', sensor('power1'))).toBe((await raw('power1_cap')) / 1e6);
      expect(valueOf(fixture, 'node_hwmon_fan_rpm', sensor('fan1'))).toBe(await raw('fan1_input'));
      expect(valueOf(fixture, 'node_hwmon_fan_max_rpm', sensor('fan1'))).toBe(await raw('fan1_max'));
      expect(valueOf(fixture, 'node_hwmon_pwm', sensor('pwm1'))).toBe(await raw('pwm1'));
      // millivolts
      expect(valueOf(fixture, 'node_hwmon_in_volts', sensor('in0'))).toBe((await raw('in0_input')) * 0.001);
      // Clocks (Hz) are read from node_exporter 1.9.0 on, as MHz under the sensor's label (sclk, mclk).
      const clocks = select(fixture, 'node_hwmon_freq_freq_mhz', { chip });
      if (versionAtLeast(version, 1, 9)) {
        for (const n of [1, 2]) {
          const label = (await readAttr(join(hwmonDir, `freq${n}_label`)))!;
          expect(valueOf(fixture, 'node_hwmon_freq_freq_mhz', sensor(label))).toBe((await raw(`freq${n}_input`)) / 1e6);
        }
      } else {
        expect(clocks).toEqual([]);
      }
    }
    // Every hwmon series but the chip names is labelled by chip and sensor.
    for (const x of fixture.filter((s) => s.name.startsWith('node_hwmon_') && s.name !== 'node_hwmon_chip_names')) {
      expect(Object.keys(x.labels), x.name).toEqual(expect.arrayContaining(['chip', 'sensor']));
    }
    expect(valueOf(fixture, 'node_scrape_collector_success', { collector: 'drm' })).toBe(1);
    expect(valueOf(fixture, 'node_scrape_collector_success', { collector: 'hwmon' })).toBe(1);
  });

  it('lists a card of another driver as an "amd" card with zeros: GPU panels must pick the amdgpu cards', async () => {
    // procfs reads only amdgpu cards' attributes but still returns every card[0-9] (1.5.0 to 1.9.x).
    const { samples } = await runOn(INTEL_FIXTURE, 'intel', ['--collector.disable-defaults']);
    const cards = await fixtureCards(INTEL_FIXTURE);
    const other = cards.find((c) => c.driver !== 'amdgpu')!;
    expect(other.driver).toBe('i915');
    expect(select(samples, 'node_drm_card_info').map((s) => s.labels.card).sort()).toEqual(cards.map((c) => c.card));
    expect(select(samples, 'node_drm_card_info', { card: other.card })[0]!.labels).toMatchObject({ vendor: 'amd', memory_vendor: '', power_performance_level: '' });
    expect(valueOf(samples, 'node_drm_memory_vram_size_bytes', { card: other.card })).toBe(0);
  });
});

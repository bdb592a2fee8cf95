import Docker from 'dockerode';
import { readFile, rm, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertRuleGroups } from './alert-rules';
import { JOBS } from './scrape-jobs';
import { SYSTEM_RESOURCES } from '../../electron/api/dashboards/system-resources';
import type { DashboardPanel } from '../../electron/api/dashboards/dashboard';
import { parseSettings } from '../../electron/settings/settings-file';
import type { Settings } from '../../electron/api/schemas/settings';
import { PrometheusClient } from '../clients/prometheus-client';
import { StackManager } from '../engine/stack-manager';
import { nodeExporterTargets } from '../spec/node-exporter-spec';
import { fixtureCards, mountableFixture, readNumber, readAttr, versionAtLeast, type FixtureCard } from '../testing/node-exporter-fixture';
import { projectLeftovers } from '../testing/project-leftovers';
import { testStackSettings } from '../testing/test-settings';

// The acceptance check, on the real engine: node_exporter (test image) runs as the stack
// runs it, with the fixture sysfs of two RX 580s (stack/test-images/fixtures/node-exporter-sys)
// mounted as its /sys and this host's /proc and / as they are, scraped by the real Prometheus.
// Every System Resources panel's query, evaluated as the panel has it, gives per card the numbers
// of the fixture's files (read here) and for the host what this host reports itself.
const docker = new Docker();

type Vector = { metric: Record<string, string>; value: number }[];

/** `bytes` received and sent by each interface in a /proc/net/dev. */
async function netDev(): Promise<Map<string, { rx: number; tx: number }>> {
  const lines = (await readFile('/proc/net/dev', 'utf8')).split('\n').slice(2);
  const counters = new Map<string, { rx: number; tx: number }>();
  for (const line of lines) {
    const m = /^\s*([^:\s]+):\s*(.*)$/.exec(line);
    if (!m) continue;
    const fields = m[2]!.trim().split(/\s+/).map(Number);
    counters.set(m[1]!, { rx: fields[0]!, tx: fields[8]! });
  }
  return counters;
}

/** The host's interface with the most traffic, loopback aside. */
async function busiestInterface(): Promise<string> {
  const [name] = [...(await netDev())].filter(([n]) => n !== 'lo').sort(([, a], [, b]) => b.rx + b.tx - (a.rx + a.tx))[0] ?? [];
  if (!name) throw new Error('this host has no network interface but lo in /proc/net/dev');
  return name;
}

async function memTotalBytes(): Promise<number> {
  const kb = /^MemTotal:\s+(\d+) kB$/m.exec(await readFile('/proc/meminfo', 'utf8'))?.[1];
  if (!kb) throw new Error('no MemTotal in /proc/meminfo');
  return Number(kb) * 1024;
}

const panel = (id: string): DashboardPanel => {
  const found = SYSTEM_RESOURCES.panels.find((p) => p.id === id);
  if (!found) throw new Error(`System Resources has no panel ${id}`);
  return found;
};

describe('node_exporter on the real stack, on the fixture sysfs of two RX 580s', () => {
  let settings: Settings;
  let manager: StackManager;
  let prometheus: PrometheusClient;
  let work = '';
  let cards: FixtureCard[] = [];

  const vector = async (query: string): Promise<Vector> => {
    const r = await prometheus.query(query);
    if (r.resultType !== 'vector') throw new Error(`${query} gave a ${r.resultType}, not a vector`);
    return r.result.map((s) => ({ metric: s.metric, value: Number(s.value[1]) }));
  };
  /** A query's values by the given labels (`card`, `card sensor`), each key once. */
  const valuesBy = async (query: string, labels: string[]): Promise<Record<string, number>> => {
    const values: Record<string, number> = {};
    for (const { metric, value } of await vector(query)) {
      const key = labels.map((l) => metric[l] ?? '').join(' ');
      expect(values, `${query}: more than one series for ${key}`).not.toHaveProperty([key]);
      values[key] = value;
    }
    return values;
  };
  /** The values a panel's series shows, by card, as its instant query gives them. */
  const panelByCard = (id: string, series = 0) => valuesBy(panel(id).series[series]!.query, ['card']);
  /** What the fixture's files of each card hold, by card. */
  const fromFixture = async (read: (card: FixtureCard) => Promise<number>) =>
    Object.fromEntries(await Promise.all(cards.map(async (c) => [c.card, await read(c)] as const)));
  const device = (file: string) => (c: FixtureCard) => readNumber(join(c.deviceDir, file));
  /** The values of each series of a panel, once every one of them has one (rate() over [1m] needs two scrapes). */
  const shown = async (id: string): Promise<number[][]> => {
    const values = async () => Promise.all(panel(id).series.map(async (s) => (await vector(s.query)).map((x) => x.value)));
    await expect.poll(async () => (await values()).map((v) => v.length), { timeout: 15_000, interval: 500 }).toEqual(panel(id).series.map(() => 1));
    return values();
  };
  const hwmon = (file: string, scale = 1) => async (c: FixtureCard) => (await readNumber(join(c.hwmonDirs[0]!, file))) / scale;

  beforeAll(async () => {
    const fixture = await mountableFixture();
    work = fixture.work;
    cards = (await fixtureCards(fixture.sys)).filter((c) => c.driver === 'amdgpu');
    const base = await testStackSettings('node', { nodeExporter: { sysfs: fixture.sys } });
    // Scrapes and rule evaluations every 2 s, so the test waits seconds; ContainerDown at once.
    settings = parseSettings({
      ...base,
      prometheus: { ...base.prometheus, scrapeInterval: '2s' },
      alerts: { ...base.alerts, evaluationInterval: '2s', containerDownFor: '0s' },
    });
    manager = new StackManager({ settings });
    const up = await manager.up();
    expect(up.services.filter((s) => s.enabled).map((s) => [s.id, s.state, s.health]).sort()).toEqual([
      ['alertmanager', 'running', 'healthy'],
      ['node-exporter', 'running', 'healthy'],
      ['node-exporter-network', 'running', 'healthy'],
      ['prometheus', 'running', 'healthy'],
    ]);
    prometheus = new PrometheusClient(`http://127.0.0.1:${settings.prometheus.port}`);
    // Both targets scraped once (whatever their up), so every test finds their series.
    for (const deadline = Date.now() + 20_000; (await vector(`up{job="${JOBS.nodeExporter}"}`)).length < 2; await new Promise((r) => setTimeout(r, 250))) {
      if (Date.now() > deadline) throw new Error('Prometheus did not scrape both node_exporter targets within 20 s');
    }
  }, 60_000);

  afterAll(async () => {
    await manager?.down().catch(() => undefined);
    await manager?.removeData().catch(() => undefined);
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('scrapes both node_exporter containers over the stack network: up == 1, service="node-exporter"', async () => {
    const up = async () => (await vector(`up{job="${JOBS.nodeExporter}"}`)).map((s) => `${s.metric.instance} ${s.metric.service} ${s.value}`).sort();
    await expect.poll(up, { timeout: 10_000, interval: 500 }).toEqual(nodeExporterTargets().map((t) => `${t} node-exporter 1`).sort());
  });

  it('accepts every query of every System Resources panel', async () => {
    for (const q of SYSTEM_RESOURCES.panels.flatMap((p) => p.series.map((s) => s.query))) await expect(prometheus.query(q), q).resolves.toBeDefined();
  });

  it("shows each card's VRAM and busy share from the drm collector, with the numbers of its files", async () => {
    expect(cards.map((c) => c.card)).toEqual(['card0', 'card1']);
    expect(await panelByCard('gpu-vram', 0)).toEqual(await fromFixture(device('mem_info_vram_used')));
    expect(await panelByCard('gpu-vram', 1)).toEqual(await fromFixture(device('mem_info_vram_total')));
    expect(await panelByCard('gpu-busy')).toEqual(await fromFixture(device('gpu_busy_percent')));
  });

  it("shows each card's temperature, power and fan from its hwmon chip, labelled with its card, the CPU's chip left out", async () => {
    const close = (actual: Record<string, number>, expected: Record<string, number>) => {
      expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
      for (const [card, value] of Object.entries(expected)) expect(actual[card], card).toBeCloseTo(value, 9);
    };
    close(await panelByCard('gpu-temperature'), await fromFixture(hwmon('temp1_input', 1000)));
    close(await panelByCard('gpu-power'), await fromFixture(hwmon('power1_average', 1e6)));
    close(await panelByCard('gpu-fan'), await fromFixture(hwmon('fan1_input')));
    // The sensors shown are each card's own, by their node_exporter names.
    expect(Object.keys(await valuesBy(panel('gpu-temperature').series[0]!.query, ['card', 'sensor'])).sort()).toEqual(['card0 temp1', 'card1 temp1']);
    expect(Object.keys(await valuesBy(panel('gpu-fan').series[0]!.query, ['card', 'sensor'])).sort()).toEqual(['card0 fan1', 'card1 fan1']);
  });

  it('shows clocks from node_exporter 1.9 on, and says so where it is older', async () => {
    const [info] = await vector(`node_exporter_build_info{job="${JOBS.nodeExporter}",instance="${nodeExporterTargets()[0]}"}`);
    const version = info!.metric.version!;
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    const clocks = await valuesBy(panel('gpu-clocks').series[0]!.query, ['card', 'sensor']);
    if (!versionAtLeast(version, 1, 9)) {
      expect(clocks).toEqual({});
      expect(panel('gpu-clocks').noData).toMatch(/from version 1\.9/);
      return;
    }
    const expected: Record<string, number> = {};
    for (const c of cards) {
      for (const n of [1, 2]) {
        const label = (await readAttr(join(c.hwmonDirs[0]!, `freq${n}_label`)))!;
        expected[`${c.card} ${label}`] = (await readNumber(join(c.hwmonDirs[0]!, `freq${n}_input`))) / 1e6;
      }
    }
    expect(Object.keys(clocks).sort()).toEqual(Object.keys(expected).sort());
    for (const [key, value] of Object.entries(expected)) expect(clocks[key], key).toBeCloseTo(value, 9);
  });

  it("shows the host's CPU, memory, root filesystem and disk I/O as this host reports them", async () => {
    const [[cpu]] = (await shown('host-cpu')) as [[number]];
    expect(cpu).toBeGreaterThanOrEqual(0);
    expect(cpu).toBeLessThanOrEqual(1);

    const [[memUsed], [memTotal]] = (await shown('host-memory')) as [[number], [number]];
    expect(memTotal).toBe(await memTotalBytes());
    expect(memUsed).toBeGreaterThan(0);
    expect(memUsed).toBeLessThan(memTotal);

    const [[diskUsed], [diskSize]] = (await shown('host-disk')) as [[number], [number]];
    const root = await statfs('/');
    const size = root.blocks * root.bsize;
    expect(Math.abs(diskSize - size) / size).toBeLessThan(0.001);
    expect(diskUsed).toBeGreaterThan(0);
    expect(diskUsed).toBeLessThan(diskSize);

    const [[read], [written]] = (await shown('host-disk-io')) as [[number], [number]];
    expect(Math.min(read, written)).toBeGreaterThanOrEqual(0);
  });

  it("shows the host's network traffic, not the container's: its counters lie between two reads of this host's /proc/net/dev", async () => {
    const [[received], [sent]] = (await shown('host-network')) as [[number], [number]];
    expect(Math.min(received, sent)).toBeGreaterThanOrEqual(0);
    const iface = await busiestInterface();
    const counter = (direction: 'receive' | 'transmit') => `node_network_${direction}_bytes_total{job="${JOBS.nodeExporter}",device="${iface}"}`;
    const before = (await netDev()).get(iface)!;
    const readAt = Date.now();
    // A scrape that started after that read: node_exporter read /proc/net/dev later still.
    await expect
      .poll(async () => (await vector(`min(timestamp(${counter('receive')}) and timestamp(${counter('transmit')}))`))[0]?.value ?? 0, { timeout: 10_000, interval: 250 })
      .toBeGreaterThan(readAt / 1000);
    const [rx] = await vector(counter('receive'));
    const [tx] = await vector(counter('transmit'));
    const after = (await netDev()).get(iface)!;
    // Only the container that reads PID 1's /proc/net/dev reports network counters.
    expect(rx!.metric.instance).toBe(nodeExporterTargets()[1]);
    expect(rx!.value).toBeGreaterThanOrEqual(before.rx);
    expect(rx!.value).toBeLessThanOrEqual(after.rx);
    expect(tx!.value).toBeGreaterThanOrEqual(before.tx);
    expect(tx!.value).toBeLessThanOrEqual(after.tx);
  });

  it('sees node_exporter stopped from outside: its up goes to 0 and ContainerDown fires for service="node-exporter"', async () => {
    const expr = alertRuleGroups(settings.alerts)
      .flatMap((g) => g.rules)
      .find((r) => r.alert === 'ContainerDown')!.expr;
    const [main, network] = nodeExporterTargets();
    expect(await vector(expr)).toEqual([]);
    await docker.getContainer(`${settings.project}-node-exporter`).stop({ t: 1 });
    await expect.poll(async () => (await vector(`up{job="${JOBS.nodeExporter}",instance="${main}"}`))[0]?.value, { timeout: 15_000, interval: 500 }).toBe(0);
    expect((await vector(expr)).map((s) => `${s.metric.service} ${s.metric.instance}`)).toEqual([`node-exporter ${main}`]);
    expect((await vector(`up{job="${JOBS.nodeExporter}",instance="${network}"}`))[0]?.value).toBe(1);
    await expect
      .poll(async () => (await prometheus.alerts()).filter((a) => a.labels.alertname === 'ContainerDown').map((a) => `${a.labels.service} ${a.labels.instance} ${a.state}`), { timeout: 10_000, interval: 500 })
      .toEqual([`node-exporter ${main} firing`]);
  });

  it('leaves no container, network or volume behind', async () => {
    await manager.down();
    await manager.removeData();
    expect(await projectLeftovers(docker, settings.project)).toEqual({ containers: [], networks: [], volumes: [] });
  });
});

import type { Dashboard, DashboardPanel } from './dashboard';
import { NODE_METRICS as M } from './node-exporter-metrics';
import { scoped } from './scope';

/** A card's series, narrowed by rig and by `card` (what the GPU selection is on node_exporter). */
const cardSeries = (metric: string, matchers?: string) => scoped(metric, 'card', matchers);
/** The host's own series (CPU, memory, disk, network): narrowed by rig only. */
const hostSeries = (metric: string, matchers?: string) => scoped(metric, null, matchers);

/**
 * The drm collector lists every DRM card as AMD, an Intel iGPU with all zeros among them: a card
 * counts when it reports VRAM.
 */
const amdCard = (metric: string) => `${cardSeries(metric)} and on (rig, card) ${cardSeries(M.drmVramSize)} > 0`;
/**
 * A card's hwmon sensors: Prometheus labels them with their card (stack/config/prometheus-config.ts),
 * so a host's CPU and board sensors, hwmon chips too, stay out.
 */
const cardSensor = (metric: string) => cardSeries(metric, 'card!=""');

const NO_CARD = "No AMD card found by node_exporter's drm collector: the amdgpu driver shows none in /sys/class/drm (no card, another driver, or node_exporter cannot read the host's /sys).";
const NO_SENSOR = (what: string) => `No ${what} reported: no AMD card's hwmon sensors found in /sys/class/hwmon (no AMD card, or its driver does not report this sensor).`;
/** Physical interfaces only: loopback and Docker's bridges and veths would count traffic twice. */
const PHYSICAL = 'device!~"lo|veth.+|docker.+|br-.+"';
const ROOT = 'mountpoint="/"';

const gpu = (p: Omit<DashboardPanel, 'source'>): DashboardPanel => ({ ...p, source: 'node-exporter' });
const host = (p: Omit<DashboardPanel, 'source' | 'noData'>): DashboardPanel => ({
  ...p,
  noData: 'No data from node_exporter yet: it is scraped every scrape interval once it runs.',
  source: 'node-exporter',
});

/** The seed's promised "System Resources" dashboard: each AMD card, then the host, from node_exporter. */
export const SYSTEM_RESOURCES: Dashboard = {
  id: 'system-resources',
  title: 'System Resources',
  description: "Per AMD card (node_exporter's drm and hwmon collectors) and the host's CPU, memory, disk and network.",
  panels: [
    gpu({
      id: 'gpu-vram',
      title: 'VRAM used and total, by card',
      unit: 'bytes',
      series: [
        { query: amdCard(M.drmVramUsed), legend: '{{card}} used' },
        { query: amdCard(M.drmVramSize), legend: '{{card}} total' },
      ],
      noData: NO_CARD,
    }),
    gpu({ id: 'gpu-busy', title: 'GPU busy, by card', unit: 'percent', series: [{ query: amdCard(M.drmBusy), legend: '{{card}}' }], noData: NO_CARD }),
    gpu({ id: 'gpu-temperature', title: 'GPU temperature', unit: 'celsius', series: [{ query: cardSensor(M.hwmonTemp), legend: '{{card}} {{sensor}}' }], noData: NO_SENSOR('temperature') }),
    gpu({ id: 'gpu-power', title: 'GPU power', unit: 'watts', series: [{ query: cardSensor(M.hwmonPower), legend: '{{card}}' }], noData: NO_SENSOR('power draw') }),
    gpu({ id: 'gpu-fan', title: 'GPU fan speed', unit: 'rpm', series: [{ query: cardSensor(M.hwmonFan), legend: '{{card}} {{sensor}}' }], noData: NO_SENSOR('fan speed') }),
    gpu({ id: 'gpu-clocks', title: 'GPU clocks', unit: 'megahertz', series: [{ query: cardSensor(M.hwmonFreq), legend: '{{card}} {{sensor}}' }], noData: NO_SENSOR('clock') + ' node_exporter reports clocks from version 1.9.' }),
    host({ id: 'host-cpu', title: 'Host CPU busy', unit: 'ratio', series: [{ query: `1 - avg(rate(${hostSeries(M.cpuSeconds, 'mode="idle"')}[1m]))`, legend: 'busy' }] }),
    host({
      id: 'host-memory',
      title: 'Host memory',
      unit: 'bytes',
      series: [
        { query: `${hostSeries(M.memTotal)} - ${hostSeries(M.memAvailable)}`, legend: 'used' },
        { query: hostSeries(M.memTotal), legend: 'total' },
      ],
    }),
    host({
      id: 'host-disk',
      title: 'Root filesystem',
      unit: 'bytes',
      series: [
        { query: `${hostSeries(M.fsSize, ROOT)} - ${hostSeries(M.fsAvail, ROOT)}`, legend: 'used' },
        { query: hostSeries(M.fsSize, ROOT), legend: 'size' },
      ],
    }),
    host({
      id: 'host-disk-io',
      title: 'Disk I/O',
      unit: 'bytesps',
      series: [
        { query: `sum(rate(${hostSeries(M.diskRead)}[1m]))`, legend: 'read' },
        { query: `sum(rate(${hostSeries(M.diskWritten)}[1m]))`, legend: 'written' },
      ],
    }),
    host({
      id: 'host-network',
      title: 'Network',
      unit: 'bytesps',
      series: [
        { query: `sum(rate(${hostSeries(M.netReceive, PHYSICAL)}[1m]))`, legend: 'received' },
        { query: `sum(rate(${hostSeries(M.netTransmit, PHYSICAL)}[1m]))`, legend: 'sent' },
      ],
    }),
  ],
};

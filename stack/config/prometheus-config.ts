import { stringify } from 'yaml';
import { ALERT_RULE_FILES, renderAlertRules } from './alert-rules';
import { JOBS } from './scrape-jobs';
import { remoteWriteSection } from './remote-write';
import { INFERENCE_TARGETS_FILE, LOCAL_RIG, inferenceTargetGroups, renderInferenceTargets } from './inference-targets';
import { nodeExporterTargets } from '../spec/node-exporter-spec';
import { discoverAmdCards, type AmdCard } from '../gpu/amd-cards';
import type { Settings } from '../../electron/api/schemas/settings';
import { SECRETS_TARGET, type StackSpec } from '../spec/service-spec';
import type { StoredRig } from '../../electron/api/schemas/rigs';
import { rigScrapeJobs } from './rig-scrape-jobs';

/** Container-side names the rendered configs use to reach each other on the stack network. */
export const PROMETHEUS_HOST = 'prometheus:9090';
export const ALERTMANAGER_HOST = 'alertmanager:9093';
const GRAFANA_HOST = 'grafana:3000';

type Relabel = { source_labels: string[]; regex: string; target_label: string; replacement: string };
/** A stack service's job: its targets on this rig, labelled with the service the container alerts group by. */
const job = (name: string, service: string, targets: string[], relabels: Relabel[] = []) => ({
  job_name: name,
  static_configs: [{ targets, labels: { service, rig: LOCAL_RIG } }],
  ...(relabels.length ? { metric_relabel_configs: relabels } : {}),
});

/** An AMD card as node_exporter's two collectors name it: drm by card, hwmon by PCI path. */
export type CardSlot = Pick<AmdCard, 'name' | 'pciSlot'>;

/**
 * node_exporter names a card's hwmon chip after its PCI path (`0000:00:01_0_0000:01:00_0`) and
 * its drm series after the card (`card0`), and no series joins the two: each card's hwmon series
 * get a `card` label here, from the slot the console read in sysfs, so the dashboards show both
 * by card.
 */
function cardLabels(cards: CardSlot[]): Relabel[] {
  return cards.flatMap(({ name, pciSlot }) =>
    pciSlot ? [{ source_labels: ['chip'], regex: `.+_${pciSlot.replace(/[^a-z0-9:]/gi, '_').toLowerCase()}`, target_label: 'card', replacement: name }] : [],
  );
}

/**
 * Renders prometheus.yml with the `yaml` library from typed settings, never by concatenation.
 * Every target carries a `service` label, which the container alerts group by, and its `rig`:
 * Prometheus itself sees each service's `up` and process start time, so no alert depends on a
 * process of the console's. The inference workers come from a file_sd file (inference-targets.ts).
 */
export function renderPrometheusConfig(settings: Settings, cards: CardSlot[] = [], rigs: StoredRig[] = []): string {
  const scrapeConfigs: object[] = [job(JOBS.prometheus, 'prometheus', ['localhost:9090'])];
  if (settings.alertmanager.enabled) scrapeConfigs.push(job(JOBS.alertmanager, 'alertmanager', [ALERTMANAGER_HOST]));
  if (settings.grafana.enabled) scrapeConfigs.push(job(JOBS.grafana, 'grafana', [GRAFANA_HOST]));
  if (settings.nodeExporter.enabled) scrapeConfigs.push(job(JOBS.nodeExporter, 'node-exporter', nodeExporterTargets(), cardLabels(cards)));
  if (settings.inference.enabled) scrapeConfigs.push({ job_name: JOBS.inference, file_sd_configs: [{ files: [INFERENCE_TARGETS_FILE] }] });
  scrapeConfigs.push(...rigScrapeJobs(rigs, SECRETS_TARGET));
  const config = {
    global: { scrape_interval: settings.prometheus.scrapeInterval, evaluation_interval: settings.alerts.evaluationInterval },
    rule_files: Object.values(ALERT_RULE_FILES),
    ...(settings.alertmanager.enabled ? { alerting: { alertmanagers: [{ static_configs: [{ targets: [ALERTMANAGER_HOST] }] }] } } : {}),
    scrape_configs: scrapeConfigs,
    ...remoteWriteSection(settings),
  };
  return stringify(config);
}

/**
 * Every file of Prometheus's config directory: prometheus.yml and the rule files it names, with
 * the AMD cards node_exporter will see (in the sysfs it is given) found first, and a job for
 * each rig besides this machine.
 */
export async function prometheusConfigFiles(settings: Settings, stack: StackSpec, rigs: StoredRig[] = [], stoppedWorkers: ReadonlySet<string> = new Set()): Promise<Record<string, string>> {
  const cards = settings.nodeExporter.enabled ? await discoverAmdCards({ sys: settings.nodeExporter.sysfs }) : [];
  return {
    'prometheus.yml': renderPrometheusConfig(settings, cards, rigs),
    ...renderAlertRules(settings.alerts),
    ...(settings.inference.enabled ? { [INFERENCE_TARGETS_FILE]: inferenceTargetsFile(settings, stack, stoppedWorkers) } : {}),
  };
}

/** This machine's inference targets file: every worker but those stopped on purpose, which page nobody. */
export function inferenceTargetsFile(settings: Settings, stack: StackSpec, stoppedWorkers: ReadonlySet<string> = new Set()): string {
  return renderInferenceTargets(inferenceTargetGroups(settings, stack).filter((g) => !stoppedWorkers.has(g.labels.gpu ?? '')));
}

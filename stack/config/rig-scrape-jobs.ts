import { parse } from 'yaml';
import type { StoredRig } from '../../electron/api/schemas/rigs';
import { workerName, type ServiceSpec } from '../spec/service-spec';
import { FILE_SD_DIR, renderInferenceTargets, type TargetGroup } from './inference-targets';
import { JOBS } from './scrape-jobs';

/** A rig's worker targets file, relative to prometheus.yml (file_sd: no reload when workers come and go). */
export const rigTargetsFile = (rig: string) => `${FILE_SD_DIR}/rig-${rig}.json`;
/** Secret files Prometheus reads for a rig, in its secrets directory. */
export const rigKeyFile = (rig: string) => `rig-${rig}.api-key`;
export const RIGS_CA_FILE = 'rigs-ca.crt';
/** A rig's scrape job (unique per rig; its `job` label is the inference job's, see below). */
export const rigJobName = (rig: string) => `${JOBS.inference}@${rig}`;

/**
 * One scrape job per rig: a rig's workers answer only over TLS and with the rig's own API key,
 * which Prometheus reads from files, and a job is where those are set. Each job's `job` label
 * is relabelled to the inference job's name, so every alert, dashboard and query sees one
 * `rx580-api` job across rigs, told apart by `rig`.
 */
export function rigScrapeJobs(rigs: StoredRig[], secretsDir: string): object[] {
  return rigs.map((rig) => ({
    job_name: rigJobName(rig.name),
    scheme: 'https',
    authorization: { type: 'Bearer', credentials_file: `${secretsDir}/${rigKeyFile(rig.name)}` },
    tls_config: { ca_file: `${secretsDir}/${RIGS_CA_FILE}` },
    file_sd_configs: [{ files: [rigTargetsFile(rig.name)] }],
    relabel_configs: [{ target_label: 'job', replacement: JOBS.inference }],
  }));
}

/**
 * The rigs a prometheus.yml has a scrape job for, read from its scrape_configs (a comment or a
 * label value naming a rig's job does not count); none from a file that does not parse.
 */
export function rigsScrapedBy(prometheusYml: string): string[] {
  let config: unknown;
  try {
    config = parse(prometheusYml);
  } catch {
    return [];
  }
  const jobs = (config as { scrape_configs?: unknown } | null)?.scrape_configs;
  if (!Array.isArray(jobs)) return [];
  const prefix = rigJobName('');
  return jobs.flatMap((j) => {
    const name = (j as { job_name?: unknown } | null)?.job_name;
    return typeof name === 'string' && name.startsWith(prefix) ? [name.slice(prefix.length)] : [];
  });
}

/** What Prometheus needs of a worker to scrape it: its card (or cpu) and its published port. */
export type WorkerTarget = Pick<ServiceSpec, 'worker' | 'hostPort'>;

/** The targets file of one rig's workers, each at the rig's address, labelled rig and gpu. */
export function rigTargets(rig: StoredRig, workers: WorkerTarget[]): string {
  const groups: TargetGroup[] = workers.map((w) => ({ targets: [`${rig.address.includes(':') ? `[${rig.address}]` : rig.address}:${w.hostPort}`], labels: { service: 'inference', rig: rig.name, gpu: workerName(w.worker) } }));
  return renderInferenceTargets(groups);
}

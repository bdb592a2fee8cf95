/**
 * The Prometheus side of `npm run bench:fleet`: the console's own rendered config (prometheus.yml,
 * the alert rule files, one scrape job and one file_sd targets file per rig, as the console writes
 * them for real rigs) pointed at synthetic workers on loopback, and the test image's Prometheus
 * run with host networking so it reaches them.
 */
import type Docker from 'dockerode';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { Settings } from '../../electron/api/schemas/settings';
import type { StoredRig } from '../../electron/api/schemas/rigs';
import { INFERENCE_TARGETS_FILE, renderInferenceTargets } from '../config/inference-targets';
import { prometheusConfigFiles } from '../config/prometheus-config';
import { rigTargets, rigTargetsFile } from '../config/rig-scrape-jobs';
import { JOBS } from '../config/scrape-jobs';
import { buildStackSpec, LABEL_PROJECT, type ServiceSpec } from '../spec/stack-spec';

/** A simulated rig reached over SSH at loopback: what rigs.json holds for it (no engine is ever opened). */
export function syntheticRig(name: string): StoredRig {
  return { name, endpoint: { protocol: 'ssh', host: '127.0.0.1', port: 22, username: 'bench' }, address: '127.0.0.1', gpus: 'all', sysfs: '/sys', auth: 'agent', hostKey: null };
}

/**
 * Writes Prometheus's config directory for the simulated fleet: the console's files for these
 * rigs, with three changes for a plain-HTTP simulation on loopback: the rig jobs lose their
 * scheme, bearer key and CA (the real rigs' HTTPS and key are stock Prometheus features, tested
 * by stack/rigs/fleet.int.test.ts), Prometheus scrapes itself at the address it listens on
 * (host networking), and this machine has no worker of its own (an empty local targets file).
 */
export async function writeFleetConfig(dir: string, settings: Settings, rigs: { rig: StoredRig; workers: { gpu: string; port: number }[] }[], listen: string): Promise<void> {
  const files = await prometheusConfigFiles(settings, buildStackSpec(settings), rigs.map((r) => r.rig));
  const config = parse(files['prometheus.yml']!) as { scrape_configs: Record<string, unknown>[] };
  for (const job of config.scrape_configs) {
    if (job.job_name === JOBS.prometheus) (job.static_configs as { targets: string[] }[])[0]!.targets = [listen];
    if (String(job.job_name).startsWith(`${JOBS.inference}@`)) {
      delete job.scheme;
      delete job.authorization;
      delete job.tls_config;
    }
  }
  files['prometheus.yml'] = stringify(config);
  files[INFERENCE_TARGETS_FILE] = renderInferenceTargets([]);
  for (const { rig, workers } of rigs) {
    // rigTargets reads a worker spec's published port and card only.
    const specs = workers.map((w) => ({ hostPort: w.port, worker: w.gpu }) as unknown as ServiceSpec);
    files[rigTargetsFile(rig.name)] = rigTargets(rig, specs);
  }
  await chmod(dir, 0o755); // Prometheus runs as nobody.
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, rel)), { recursive: true, mode: 0o755 });
    await writeFile(join(dir, rel), content, { mode: 0o644 });
  }
}

export interface BenchPrometheus {
  url: string;
  remove(): Promise<void>;
}

/**
 * Runs the Prometheus test image on the host's network, listening on 127.0.0.1:port, its TSDB on
 * a named volume: the container and the volume carry the project label, and remove() takes both.
 */
export async function runPrometheus(docker: Docker, o: { project: string; name: string; image: string; configDir: string; port: number }): Promise<BenchPrometheus> {
  const labels = { [LABEL_PROJECT]: o.project };
  const volume = `${o.name}-data`;
  const remove = async () => {
    await docker.getContainer(o.name).remove({ force: true, v: true }).catch(() => undefined);
    await docker.getVolume(volume).remove().catch(() => undefined);
  };
  try {
    await docker.createVolume({ Name: volume, Labels: labels });
    const container = await docker.createContainer({
      name: o.name,
      Image: o.image,
      Labels: labels,
      Cmd: ['--config.file=/etc/prometheus/prometheus.yml', '--storage.tsdb.path=/prometheus', `--web.listen-address=127.0.0.1:${o.port}`],
      HostConfig: {
        NetworkMode: 'host',
        Binds: [`${o.configDir}:/etc/prometheus:ro`],
        Mounts: [{ Type: 'volume', Source: volume, Target: '/prometheus' }],
      },
    });
    await container.start();
    const url = `http://127.0.0.1:${o.port}`;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const ok = await fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
      if (ok) break;
      const state = (await container.inspect()).State;
      if (!state.Running) throw new Error(`Prometheus exited (${state.ExitCode}): ${(await container.logs({ stdout: true, stderr: true, tail: 20 })).toString()}`);
      if (Date.now() > deadline) throw new Error('Prometheus was not ready within 60 s');
      await new Promise((r) => setTimeout(r, 250));
    }
    return { url, remove };
  } catch (err) {
    await remove();
    throw err;
  }
}

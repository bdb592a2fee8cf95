import type Docker from 'dockerode';
import type { Settings } from '../../electron/api/schemas/settings';
import type { RigFleetStatus, RigStatus, StoredRig } from '../../electron/api/schemas/rigs';
import type { ImageProgress } from '../engine/image-provider';
import { writeVolumeSecrets } from '../engine/volume-secrets';
import { inferenceModelsDir, MODELS_TARGET } from '../spec/inference-spec';
import { LABEL_PROJECT } from '../spec/stack-spec';
import { containerWorker } from '../engine/worker-control';
import type { WorkerTarget } from '../config/rig-scrape-jobs';
import { ConsoleError } from '../console-error';
import { RigConnectionError, classifySshError } from './rig-errors';
import { copyImageToRig } from '../engine/image-copy';
import { copyModelsToRig, modelsManifest, removeOtherModelVolumes } from './rig-models';
import { rigCards, rigGpuGroupIds } from './rig-probe';
import type { RigRegistry } from './rig-registry';
import { LABEL_RIG, RIG_SECRET_FILES, rigSecretsVolume, rigWorkerCreateOptions, rigWorkerSpecs } from './rig-workers';

/** What a rig's workers need to be reached beyond loopback: its API key and TLS, from the console. */
export interface RigAccess {
  apiKey(rig: StoredRig): Promise<string>;
  tls(rig: StoredRig): Promise<{ cert: string; key: string }>;
}

export interface FleetOptions {
  settings: Settings;
  registry: RigRegistry;
  /** This machine's engine, where the inference image is built. */
  local: Docker;
  /** The inference image's tag on this machine (built or pulled by the local stack). */
  image: () => Promise<string>;
  access: RigAccess;
  /** The workers' healthcheck inside the container (TLS and key aware). */
  healthcheck: string[];
  /** Told each rig's worker targets after a change, for Prometheus's file_sd. */
  onTargets?: (rig: StoredRig, workers: WorkerTarget[]) => Promise<void>;
  onProgress?: (rig: string, p: ImageProgress) => void;
  /** How long a rig may take to answer a status read before it counts as unreachable. */
  statusTimeoutMs?: number;
}

/** The worker's uid in the inference image (`node`), which must read its secrets. */
const INFERENCE_UID = 1000;

const withTimeout = <T>(work: Promise<T>, ms: number, rig: StoredRig): Promise<T> =>
  Promise.race([work, new Promise<T>((_, reject) => setTimeout(() => reject(new RigConnectionError('timeout', `${rig.address} did not answer within ${ms / 1000} s: the rig is off or its network is down.`)), ms).unref())]);

const failureOf = (err: unknown, rig: StoredRig) => (err instanceof RigConnectionError ? err : classifySshError(err as Error, rig.endpoint));

/**
 * The inference workers on every rig besides this machine: started and stopped per rig, each
 * rig on its own so that one unreachable rig never holds up or fails the others. The workers
 * run on the rigs' engines with a restart policy; nothing of them depends on the console.
 */
export class Fleet {
  /** The last start or stop that failed on a rig, shown with its status until one succeeds. */
  private readonly errors = new Map<string, string>();

  constructor(private readonly options: FleetOptions) {}

  /** Starts the workers of one rig, or of every rig; resolves with each rig's outcome. */
  async up(name?: string): Promise<RigFleetStatus> {
    await this.eachRig(name, (rig) => this.upRig(rig));
    return this.status(name);
  }

  async down(name?: string): Promise<RigFleetStatus> {
    await this.eachRig(name, (rig) => this.downRig(rig));
    return this.status(name);
  }

  /** Every rig's workers as its engine reports them, or why the rig cannot be read. */
  async status(name?: string): Promise<RigFleetStatus> {
    const rigs = await this.rigs(name);
    return { rigs: await Promise.all(rigs.map((rig) => this.rigStatus(rig))) };
  }

  /**
   * Starts or stops one worker of a rig (by its card, or cpu). A stopped worker stays on the rig,
   * stopped across its reboots too, until started here or by the rig's Start; it leaves
   * Prometheus's targets, so stopping it on purpose pages nobody.
   */
  async worker(name: string, worker: string, action: 'start' | 'stop'): Promise<RigFleetStatus> {
    const rig = await this.options.registry.get(name);
    try {
      const docker = (await this.options.registry.engine(rig.name)).docker;
      const containers = await this.rigContainers(docker, rig);
      const found = containers.find((c) => containerWorker(c) === worker);
      if (!found) {
        const has = containers.length ? ` (it has ${containers.map(containerWorker).sort().join(', ')})` : '';
        throw new ConsoleError('WORKER_NOT_FOUND', `Rig ${rig.name} has no worker ${worker}${has}: start the rig's workers first.`, 404);
      }
      const container = docker.getContainer(found.Id);
      if (action === 'start' && found.State !== 'running') await container.start();
      if (action === 'stop' && found.State !== 'exited') await container.stop({ t: 5 });
      await this.options.onTargets?.(rig, await this.liveTargets(docker, rig));
    } catch (err) {
      throw err instanceof ConsoleError ? err : failureOf(err, rig);
    }
    return this.status(name);
  }

  /** The workers of a rig that should answer: all but those stopped on purpose, each at its published port. */
  private async liveTargets(docker: Docker, rig: StoredRig): Promise<WorkerTarget[]> {
    const live = (await this.rigContainers(docker, rig)).filter((c) => !['exited', 'created', 'dead'].includes(c.State));
    return Promise.all(
      live.map(async (c) => {
        const bindings = Object.values((await docker.getContainer(c.Id).inspect()).HostConfig.PortBindings ?? {}) as { HostPort: string }[][];
        return { worker: containerWorker(c), hostPort: Number(bindings[0]?.[0]?.HostPort) };
      }),
    );
  }

  /** Removes everything of a rig's on its engine (workers, their secrets and models volumes). */
  async purge(rig: StoredRig): Promise<void> {
    await this.downRig(rig);
    const docker = (await this.options.registry.engine(rig.name)).docker;
    await docker.getVolume(rigSecretsVolume(this.options.settings, rig)).remove().catch(() => undefined);
    await removeOtherModelVolumes(docker, this.options.settings.project, rig.name, null);
  }

  private async rigs(name?: string): Promise<StoredRig[]> {
    return name ? [await this.options.registry.get(name)] : this.options.registry.stored();
  }

  /** Runs work on each rig in parallel; a rig's failure is its status's, never another rig's. */
  private async eachRig(name: string | undefined, work: (rig: StoredRig) => Promise<void>): Promise<void> {
    const rigs = await this.rigs(name);
    const outcomes = await Promise.allSettled(rigs.map(work));
    outcomes.forEach((o, i) => {
      const rig = rigs[i]!;
      if (o.status === 'rejected') this.errors.set(rig.name, failureOf(o.reason, rig).message);
      else this.errors.delete(rig.name);
    });
    // One rig asked for: its failure is the answer. All rigs: the others' work stands, the status tells.
    const [first] = outcomes;
    if (name && first?.status === 'rejected') throw failureOf(first.reason, rigs[0]!);
  }

  private async upRig(rig: StoredRig): Promise<void> {
    const { settings, registry, local, access } = this.options;
    const engine = await registry.engine(rig.name);
    const image = await this.options.image();
    const progress = (p: ImageProgress) => this.options.onProgress?.(rig.name, p);
    await copyImageToRig(local, engine.docker, image, progress);
    const modelsDir = inferenceModelsDir(settings);
    const models = modelsDir ? await copyModelsToRig(engine.docker, modelsDir, await modelsManifest(modelsDir), { project: settings.project, rig: rig.name, image, onProgress: progress }) : null;
    const specs = rigWorkerSpecs(settings, rig, await rigCards(engine, rig.sysfs), image, await rigGpuGroupIds(engine), models);
    const tls = await access.tls(rig);
    await writeVolumeSecrets(engine.docker, {
      volume: rigSecretsVolume(settings, rig),
      project: settings.project,
      image,
      secrets: [
        { name: RIG_SECRET_FILES.apiKeys, content: `${await access.apiKey(rig)}\n`, uid: INFERENCE_UID },
        { name: RIG_SECRET_FILES.tlsCert, content: tls.cert, uid: INFERENCE_UID },
        { name: RIG_SECRET_FILES.tlsKey, content: tls.key, uid: INFERENCE_UID },
      ],
    });
    const imageId = (await engine.docker.getImage(image).inspect()).Id;
    for (const spec of specs) {
      const running = await engine.docker.getContainer(spec.containerName).inspect().catch(() => null);
      // Adopt what runs from the same image and models; anything else is made anew.
      const modelsMount = running?.Mounts.find((m) => m.Destination === MODELS_TARGET)?.Name ?? null;
      if (running?.State.Running && running.Image === imageId && modelsMount === models) continue;
      if (running) await engine.docker.getContainer(spec.containerName).remove({ force: true });
      const container = await engine.docker.createContainer(rigWorkerCreateOptions(spec, rig, settings.project, this.options.healthcheck));
      await container.start();
    }
    await removeOtherModelVolumes(engine.docker, settings.project, rig.name, models);
    await this.options.onTargets?.(rig, specs);
  }

  private async downRig(rig: StoredRig): Promise<void> {
    const docker = (await this.options.registry.engine(rig.name)).docker;
    for (const c of await this.rigContainers(docker, rig)) await docker.getContainer(c.Id).remove({ force: true });
    await this.options.onTargets?.(rig, []);
  }

  private rigContainers(docker: Docker, rig: StoredRig): Promise<Docker.ContainerInfo[]> {
    return docker.listContainers({ all: true, filters: { label: [`${LABEL_PROJECT}=${this.options.settings.project}`, `${LABEL_RIG}=${rig.name}`] } });
  }

  private async rigStatus(rig: StoredRig): Promise<RigStatus> {
    const base = { name: rig.name, address: rig.address, error: this.errors.get(rig.name) ?? null };
    try {
      const docker = (await this.options.registry.engine(rig.name)).docker;
      const containers = await withTimeout(this.rigContainers(docker, rig), this.options.statusTimeoutMs ?? 5_000, rig);
      const workers = containers
        .map((c) => {
          const port = c.Ports.find((p) => p.PublicPort)?.PublicPort ?? null;
          const health = /\((healthy|unhealthy|health: starting)\)/.exec(c.Status)?.[1]?.replace('health: ', '') ?? null;
          return { id: c.Names[0]?.replace(/^\//, '') ?? c.Id, worker: containerWorker(c), state: c.State, health, url: port ? `https://${rig.address}:${port}` : null };
        })
        .sort((a, b) => a.id.localeCompare(b.id));
      return { ...base, reachable: true, failure: null, message: null, workers };
    } catch (err) {
      const e = failureOf(err, rig);
      return { ...base, reachable: false, failure: e.failure, message: e.message, workers: [] };
    }
  }
}

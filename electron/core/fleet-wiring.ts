import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Settings } from '../api/schemas/settings';
import { LOCAL_RIG_NAME, type RigView, type StoredRig } from '../api/schemas/rigs';
import { RIGS_CA_FILE, rigKeyFile, rigsScrapedBy, rigTargets, rigTargetsFile, type WorkerTarget } from '../../stack/config/rig-scrape-jobs';
import type { ServiceSecret, StackManager } from '../../stack/engine/stack-manager';
import { aesGcmFileCipher, type SecretCipher } from '../../stack/notifications/secret-store';
import { Fleet } from '../../stack/rigs/fleet';
import { rigAccess } from '../../stack/rigs/rig-access';
import { RigRegistry } from '../../stack/rigs/rig-registry';
import { RIG_WORKER_HEALTHCHECK } from '../../stack/spec/inference-spec';

export interface FleetParts {
  registry: RigRegistry;
  fleet: Fleet;
  /** Each rig's API key and certificate, and the CA that signs them. */
  access: ReturnType<typeof rigAccess>;
  /** This machine's rig as the Rigs page lists it. */
  local: () => RigView;
  /** Takes a removed rig out of Prometheus. */
  forget: (name: string) => Promise<void>;
  /** What Prometheus needs to scrape every rig: each one's API key and the CA, as files of its secrets volume. */
  prometheusSecrets: () => Promise<ServiceSecret[]>;
}

/** The ports a rig's workers publish: the same as this machine's (inference.port and up). */
function workerPorts(settings: Settings): number[] {
  return Array.from({ length: 16 }, (_, i) => settings.inference.port + i);
}

const rigsDir = (settings: Settings) => join(settings.dataDir, settings.project, 'rigs');

/** The rig registry and its secrets, beside the console's other state. */
export function createRigRegistry(settings: Settings, cipher?: SecretCipher, env: NodeJS.ProcessEnv = process.env): RigRegistry {
  const dir = rigsDir(settings);
  return new RigRegistry({ dir, cipher: cipher ?? aesGcmFileCipher(join(dir, 'secrets.key')), workerPorts: workerPorts(settings), connect: { agentSocket: env.SSH_AUTH_SOCK } });
}

/**
 * The fleet as the console runs it: each rig's workers started from this machine's inference
 * image, and the stack's Prometheus told of every rig's workers (targets file, API key, the CA)
 * as they change, wherever the stack runs.
 */
export function createFleet(settings: Settings, stack: StackManager, registry: RigRegistry): FleetParts {
  const access = rigAccess(registry, join(rigsDir(settings), 'ca'));

  const prometheusDir = () => stack.spec.services.find((s) => s.service === 'prometheus')?.configDir ?? null;
  /** Every rig's key and the CA where Prometheus reads them, then its jobs re-rendered if it runs. */
  const prometheusSecrets = async (): Promise<ServiceSecret[]> => {
    const rigs = await registry.stored();
    if (!rigs.length) return [];
    const keys = await Promise.all(rigs.map(async (rig) => ({ name: rigKeyFile(rig.name), content: await access.apiKey(rig) })));
    return [...keys, { name: RIGS_CA_FILE, content: await access.caCert() }];
  };
  const syncPrometheus = async () => {
    await stack.putSecrets('prometheus', await prometheusSecrets());
    const running = (await stack.status()).services.some((s) => s.name === 'prometheus' && s.state === 'running');
    if (running) await stack.applyPrometheusConfig();
  };

  const tellPrometheus = async (rig: StoredRig, workers: WorkerTarget[]) => {
    const dir = prometheusDir();
    if (!dir) return;
    await stack.writeConfigFile('prometheus', rigTargetsFile(rig.name), rigTargets(rig, workers));
    // A rig new to prometheus.yml needs its job (its key and CA files); its workers coming and going need no reload.
    const live = await readFile(join(dir, 'prometheus.yml'), 'utf8').catch(() => '');
    if (!rigsScrapedBy(live).includes(rig.name)) await syncPrometheus();
  };

  /** After a rig is removed: its targets file and its job go. */
  const forget = async (name: string) => {
    const dir = prometheusDir();
    if (!dir) return;
    await rm(join(dir, rigTargetsFile(name)), { force: true });
    await syncPrometheus();
  };

  const fleet = new Fleet({
    settings,
    registry,
    local: stack.engine,
    image: () => stack.inferenceImage(),
    access,
    healthcheck: RIG_WORKER_HEALTHCHECK,
    onTargets: tellPrometheus,
    // Copying the inference image to a rig is the long part of its first start: the Start button's progress shows it.
    onProgress: (rig, p) => stack.emit('progress', { service: rig, step: 'pull', message: `${rig}: ${p.message}`, current: p.current, total: p.total }),
  });
  const local = (): RigView => ({
    name: LOCAL_RIG_NAME,
    url: 'this machine',
    address: '127.0.0.1',
    gpus: settings.inference.gpus,
    sysfs: '/sys',
    auth: 'agent',
    hostKey: null,
    local: true,
    probe: null,
    checkedAt: null,
  });
  return { registry, fleet, access, local, forget, prometheusSecrets };
}

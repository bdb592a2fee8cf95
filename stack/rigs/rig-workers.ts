import type Docker from 'dockerode';
import { serviceSettingsEnv } from '../../inference/service-settings';
import type { Settings } from '../../electron/api/schemas/settings';
import type { StoredRig } from '../../electron/api/schemas/rigs';
import { inferenceWorkerSpecs, MODELS_TARGET } from '../spec/inference-spec';
import { LABEL_PROJECT, LABEL_SERVICE, LABEL_WORKER, SECRETS_TARGET, workerName, type ServiceSpec } from '../spec/stack-spec';
import type { WorkerGpu } from '../gpu/worker-gpu';

/** The rig a container runs for; the local rig's containers have none. */
export const LABEL_RIG = 'io.rx580-ops.rig';

/** Files of a rig's workers' secrets volume (API key, TLS certificate and key), as the service reads them. */
export const RIG_SECRET_FILES = { apiKeys: 'api-keys', tlsCert: 'tls.crt', tlsKey: 'tls.key' } as const;

const SECOND_NS = 1_000_000_000;

/** A card of a rig: its name and the /dev/dri nodes that are its, on the rig. */
export interface RigCard {
  name: string;
  nodes: string[];
}

/** What names a rig's things on its engine: the same project, suffixed by the rig. */
export const rigSecretsVolume = (settings: Settings, rig: StoredRig) => `${settings.project}-${rig.name}-inference-secrets`;

/**
 * The workers of one rig: the local rig's worker specs (same service settings, image and
 * command), one per selected card of the rig or CPU workers, each publishing its port on the
 * rig's address, and always with an API key and TLS, since that address is beyond loopback.
 */
export function rigWorkerSpecs(settings: Settings, rig: StoredRig, cards: RigCard[], image: string, groupIds: number[] = [], modelsVolume: string | null = null): ServiceSpec[] {
  const wanted = rig.gpus === 'none' ? [] : cards.filter((c) => rig.gpus === 'all' || rig.gpus.includes(c.name));
  // The rig's own render and video gids: its card nodes belong to them, not to this machine's.
  const groupAdd = groupIds.map(String);
  const gpus: WorkerGpu[] = wanted.map((c) => ({ card: c.name, sysRoot: null, devices: c.nodes.map((n) => ({ PathOnHost: n, PathInContainer: n, CgroupPermissions: 'rwm' })), groupAdd, mounts: [] }));
  const access = serviceSettingsEnv({
    apiKeysFile: `${SECRETS_TARGET}/${RIG_SECRET_FILES.apiKeys}`,
    requireApiKey: true,
    rateLimit: settings.inference.rateLimit,
    rateLimitBurst: settings.inference.rateLimitBurst,
    tlsCertFile: `${SECRETS_TARGET}/${RIG_SECRET_FILES.tlsCert}`,
    tlsKeyFile: `${SECRETS_TARGET}/${RIG_SECRET_FILES.tlsKey}`,
  });
  return inferenceWorkerSpecs(settings, gpus).map((spec) => ({
    ...spec,
    containerName: `${settings.project}-${rig.name}-${spec.id}`,
    image,
    build: false,
    env: [...spec.env, ...Object.entries(access).map(([k, v]) => `${k}=${v}`)],
    secretsVolume: rigSecretsVolume(settings, rig),
    // The rig's copy of this machine's models (rig-models.ts), never this machine's folder's path.
    mounts: [...spec.mounts.filter((m) => m.Target !== MODELS_TARGET), ...(modelsVolume ? [{ Type: 'volume' as const, Source: modelsVolume, Target: MODELS_TARGET, ReadOnly: true }] : [])],
  }));
}

/** A rig worker's container: published on the rig's address only, on the engine's default network. */
export function rigWorkerCreateOptions(spec: ServiceSpec, rig: StoredRig, project: string, healthcheck: string[]): Docker.ContainerCreateOptions {
  const portKey = `${spec.containerPort}/tcp`;
  const gpu = spec.gpu;
  return {
    name: spec.containerName,
    Image: spec.image,
    Cmd: spec.cmd,
    Env: spec.env,
    User: spec.user,
    Labels: { [LABEL_PROJECT]: project, [LABEL_SERVICE]: 'inference', [LABEL_WORKER]: workerName(spec.worker), [LABEL_RIG]: rig.name },
    ExposedPorts: { [portKey]: {} },
    Healthcheck: { Test: healthcheck, Interval: 10 * SECOND_NS, Timeout: 3 * SECOND_NS, Retries: 3, StartPeriod: 30 * SECOND_NS },
    HostConfig: {
      PortBindings: { [portKey]: [{ HostIp: rig.address, HostPort: String(spec.hostPort) }] },
      Mounts: [...spec.mounts, { Type: 'volume', Source: spec.secretsVolume!, Target: SECRETS_TARGET, ReadOnly: true }],
      ...(gpu && gpu.devices.length ? { Devices: gpu.devices, GroupAdd: gpu.groupAdd } : {}),
      RestartPolicy: { Name: 'unless-stopped' },
    },
  };
}

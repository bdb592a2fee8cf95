import type Docker from 'dockerode';
import { join } from 'node:path';
import { GRAFANA_ADMIN_USER } from '../config/grafana-admin';
import { GRAFANA_PROVISIONING_TARGET } from '../config/grafana-provisioning';
import type { WorkerGpu } from '../gpu/worker-gpu';
import { SECRETS_TARGET, type ServiceSpec, type StackSpec } from './service-spec';
import { inferenceWorkerSpecs } from './inference-spec';
import { nodeExporterSpecs } from './node-exporter-spec';
import { serviceSettingsOf, type Settings } from '../../electron/api/schemas/settings';
import type { MonitoringService } from '../../electron/api/schemas/stack-status';
import { LOCAL_RIG_NAME } from '../../electron/api/schemas/rigs';

/** Labels that mark what this console created, so it can adopt, list and remove exactly that. */
export const LABEL_PROJECT = 'io.rx580-ops.project';
export const LABEL_SERVICE = 'io.rx580-ops.service';
/** Marks a short-lived helper container (a config check, a secrets carrier): the project's, but no service. */
export const LABEL_HELPER = 'io.rx580-ops.helper';
/** The inference worker a container runs (`card0`, `cpu`). */
export const LABEL_WORKER = 'io.rx580-ops.worker';

export type { ServiceSpec, StackSpec } from './service-spec';
// Defined beside the spec so the config renderers can name secret files without an import cycle.
export { SECRETS_TARGET, workerName } from './service-spec';

export function secretsDirFor(settings: Settings): string {
  return join(settings.dataDir, settings.project, 'secrets');
}


/** The tag of an image reference (`prom/alertmanager:v0.28.1` -> `v0.28.1`), null without one. */
export function imageTag(image: string): string | null {
  const last = image.split('/').pop() ?? '';
  return last.includes(':') ? last.slice(last.lastIndexOf(':') + 1) : null;
}

/** True when the monitoring stack runs on a rig rather than this machine's engine. */
export function stackOnRig(settings: Settings): boolean {
  return settings.rigs.monitoring !== LOCAL_RIG_NAME;
}

export function configDirFor(settings: Settings, service: MonitoringService): string {
  return join(settings.dataDir, settings.project, 'config', service);
}

/** The official images ship busybox, so wget is there (the test images mirror that). */
const wgetHealthcheck = (port: number, path: string) => ['CMD', 'wget', '-q', '--spider', `http://localhost:${port}${path}`];

/** What a monitoring service's spec says for itself; the rest follows from its name and settings. */
type MonitoringOwn = Pick<ServiceSpec, 'containerPort' | 'configTarget' | 'dataTarget' | 'cmd' | 'readyPath' | 'user' | 'env' | 'secretsVolume'>;

/**
 * A monitoring service: a registry image, no worker, no GPU, its config directory and data
 * volume named for it, and Docker's healthcheck asking the same ready path the console waits on.
 */
function monitoringSpec(settings: Settings, service: MonitoringService, own: MonitoringOwn, onRig: boolean): ServiceSpec {
  return {
    ...own,
    id: service,
    service,
    worker: null,
    containerName: `${settings.project}-${service}`,
    image: settings[service].image,
    build: false,
    hostPort: settings[service].port,
    configDir: configDirFor(settings, service),
    configVolume: onRig ? `${settings.project}-${service}-config` : null,
    volumeName: `${settings.project}-${service}-data`,
    healthcheck: wgetHealthcheck(own.containerPort, own.readyPath),
    mounts: [],
    gpu: null,
  };
}

/**
 * Alertmanager and Prometheus come from one project and lay out their images alike: config in
 * /etc/<service>, data in /<service>, run as nobody, ready at /-/ready.
 */
function prometheusProjectSpec(
  settings: Settings,
  service: 'alertmanager' | 'prometheus',
  own: Pick<ServiceSpec, 'containerPort' | 'cmd' | 'secretsVolume'>,
  onRig: boolean,
): ServiceSpec {
  return monitoringSpec(settings, service, { ...own, configTarget: `/etc/${service}`, dataTarget: `/${service}`, readyPath: '/-/ready', user: '65534', env: [] }, onRig);
}

/**
 * Every container of the stack, in start order: Alertmanager, node_exporter, the inference
 * workers (one per selected GPU, else CPU workers; none when the service runs on the host),
 * Prometheus that scrapes and alerts on them, Grafana last. `gpus` is the worker plan (stack/gpu/worker-gpu.ts).
 * On a rig (`rigs.monitoring`), the monitoring services carry their config in volumes and the
 * stack has no workers of its own: the fleet runs every rig's, that one's too.
 */
export function buildStackSpec(settings: Settings, gpus: WorkerGpu[] = []): StackSpec {
  const { project } = settings;
  const onRig = stackOnRig(settings);
  const all: ServiceSpec[] = [
    prometheusProjectSpec(settings, 'alertmanager', {
      containerPort: 9093,
      // One node, no cluster: no gossip port 9094, and no wait for gossip to settle before the
      // first notification goes out.
      cmd: ['--config.file=/etc/alertmanager/alertmanager.yml', '--storage.path=/alertmanager', '--cluster.listen-address='],
      // Notification secrets (webhook URLs, SMTP password) read through *_file fields.
      secretsVolume: `${project}-alertmanager-secrets`,
    }, onRig),
    ...nodeExporterSpecs(settings),
    ...(settings.inference.enabled && settings.inference.runtime === 'container' && !onRig ? inferenceWorkerSpecs(settings, gpus) : []),
    prometheusProjectSpec(settings, 'prometheus', {
      containerPort: 9090,
      // Overriding the command means restating the image's defaults; the lifecycle API lets
      // the console reload a changed config without a restart.
      cmd: ['--config.file=/etc/prometheus/prometheus.yml', '--storage.tsdb.path=/prometheus', '--web.enable-lifecycle'],
      // The remote_write password or token, and each rig's API key and CA: rigs come and go while it runs.
      secretsVolume: `${project}-prometheus-secrets`,
    }, onRig),
    monitoringSpec(settings, 'grafana', {
      containerPort: 3000,
      configTarget: GRAFANA_PROVISIONING_TARGET,
      dataTarget: '/var/lib/grafana',
      cmd: [],
      readyPath: '/api/health',
      user: '472',
      env: [
        `GF_SECURITY_ADMIN_USER=${GRAFANA_ADMIN_USER}`,
        `GF_SECURITY_ADMIN_PASSWORD__FILE=${SECRETS_TARGET}/grafana-admin-password`,
        'GF_USERS_ALLOW_SIGN_UP=false',
        // A local console has no business phoning home.
        'GF_ANALYTICS_REPORTING_ENABLED=false',
        'GF_ANALYTICS_CHECK_FOR_UPDATES=false',
        'GF_PLUGINS_PLUGIN_ADMIN_ENABLED=false',
      ],
      secretsVolume: `${project}-grafana-secrets`,
    }, onRig),
  ];
  return {
    project,
    networkName: `${project}-net`,
    services: all.filter((s) => serviceSettingsOf(settings, s.service).enabled),
  };
}

const SECOND_NS = 1_000_000_000;

/** What marks a container as this stack's, and which of its services and workers it runs. */
export function containerLabels(spec: ServiceSpec, stack: StackSpec): Record<string, string> {
  return { [LABEL_PROJECT]: stack.project, [LABEL_SERVICE]: spec.service, ...(spec.worker ? { [LABEL_WORKER]: spec.worker } : {}) };
}

export function containerCreateOptions(spec: ServiceSpec, stack: StackSpec): Docker.ContainerCreateOptions {
  const portKey = `${spec.containerPort}/tcp`;
  const gpu = spec.gpu;
  const published = spec.hostPort === null ? {} : { [portKey]: [{ HostIp: '127.0.0.1', HostPort: String(spec.hostPort) }] };
  return {
    name: spec.containerName,
    Image: spec.image,
    ...(spec.cmd.length ? { Cmd: spec.cmd } : {}),
    ...(spec.env.length ? { Env: spec.env } : {}),
    User: spec.user,
    Labels: containerLabels(spec, stack),
    ExposedPorts: { [portKey]: {} },
    Healthcheck: {
      Test: spec.healthcheck,
      Interval: 10 * SECOND_NS,
      Timeout: 3 * SECOND_NS,
      Retries: 3,
      StartPeriod: 30 * SECOND_NS,
    },
    HostConfig: {
      // Loopback only: the seed published every port on all interfaces without authentication.
      PortBindings: published,
      ...(spec.configDir && spec.configTarget && !spec.configVolume ? { Binds: [`${spec.configDir}:${spec.configTarget}:ro`] } : {}),
      Mounts: [
        ...spec.mounts,
        ...(spec.configVolume && spec.configTarget ? [{ Type: 'volume' as const, Source: spec.configVolume, Target: spec.configTarget, ReadOnly: true }] : []),
        ...(spec.volumeName && spec.dataTarget ? [{ Type: 'volume' as const, Source: spec.volumeName, Target: spec.dataTarget }] : []),
        ...(spec.secretsVolume ? [{ Type: 'volume' as const, Source: spec.secretsVolume, Target: SECRETS_TARGET, ReadOnly: true }] : []),
      ],
      // Only this worker's card: its render and card nodes (and /dev/kfd), opened as the
      // host's render and video groups. Never the Docker socket.
      ...(gpu && gpu.devices.length ? { Devices: gpu.devices, GroupAdd: gpu.groupAdd } : {}),
      NetworkMode: stack.networkName,
      RestartPolicy: { Name: 'unless-stopped' },
      ExtraHosts: ['host.docker.internal:host-gateway'],
    },
    NetworkingConfig: { EndpointsConfig: { [stack.networkName]: { Aliases: [spec.id] } } },
  };
}

import type { ServiceSpec } from './service-spec';
import type { Settings } from '../../electron/api/schemas/settings';
import { publishedPort } from '../../electron/api/schemas/settings';

/** Where the host's filesystems appear inside the container (node_exporter's documented layout). */
export const NODE_EXPORTER_HOST_PATHS = { proc: '/host/proc', sys: '/host/sys', root: '/rootfs' } as const;
export const NODE_EXPORTER_PORT = 9100;
/** The worker of the container that reads the host's network counters (see nodeExporterSpecs). */
export const NETWORK_WORKER = 'network';

const ALIAS = 'node-exporter';
export const nodeExporterTargets = () => [ALIAS, `${ALIAS}-${NETWORK_WORKER}`].map((host) => `${host}:${NODE_EXPORTER_PORT}`);

type Own = Pick<ServiceSpec, 'id' | 'worker' | 'hostPort' | 'cmd' | 'mounts'>;

function nodeExporterSpec(settings: Settings, own: Own): ServiceSpec {
  return {
    ...own,
    service: 'node-exporter',
    containerName: `${settings.project}-${own.id}`,
    image: settings.nodeExporter.image,
    build: false,
    containerPort: NODE_EXPORTER_PORT,
    configDir: null,
    configVolume: null,
    configTarget: null,
    volumeName: null,
    dataTarget: null,
    readyPath: '/metrics',
    user: '65534',
    env: [],
    secretsVolume: null,
    healthcheck: ['CMD', 'wget', '-q', '--spider', `http://localhost:${NODE_EXPORTER_PORT}/metrics`],
    gpu: null,
  };
}

const hostProc = { Type: 'bind' as const, Source: '/proc', Target: NODE_EXPORTER_HOST_PATHS.proc, ReadOnly: true };

/**
 * node_exporter for the host and its AMD cards, on the stack network.
 *
 * The first container has the host's /proc, /sys and root filesystem mounted read-only as the
 * README documents (without `rslave`, which Docker refuses where / is a private mount, as in many
 * VMs: a disk mounted later shows after a restart), the drm collector switched on beside hwmon,
 * and Docker's own mounts left out of the filesystems.
 *
 * Its network counters would be the container's own: /proc/net follows the reader's network
 * namespace. So a second container of the same image reads the host's from PID 1's view
 * (/proc/1/net/dev) with the netdev collector alone, still without joining the host network.
 */
export function nodeExporterSpecs(settings: Settings): ServiceSpec[] {
  const paths = NODE_EXPORTER_HOST_PATHS;
  return [
    nodeExporterSpec(settings, {
      id: ALIAS,
      worker: null,
      hostPort: publishedPort(settings, 'node-exporter'),
      cmd: [
        `--path.procfs=${paths.proc}`,
        `--path.sysfs=${paths.sys}`,
        `--path.rootfs=${paths.root}`,
        '--collector.drm',
        '--no-collector.netdev',
        '--collector.filesystem.mount-points-exclude=^/(dev|proc|run/credentials/.+|sys|var/lib/docker|var/lib/containers/storage)($|/)',
      ],
      mounts: [
        hostProc,
        { Type: 'bind', Source: settings.nodeExporter.sysfs, Target: paths.sys, ReadOnly: true },
        { Type: 'bind', Source: '/', Target: paths.root, ReadOnly: true },
      ],
    }),
    nodeExporterSpec(settings, {
      id: `${ALIAS}-${NETWORK_WORKER}`,
      worker: NETWORK_WORKER,
      hostPort: null,
      cmd: [`--path.procfs=${paths.proc}/1`, '--collector.disable-defaults', '--collector.netdev', '--no-collector.netdev.netlink'],
      mounts: [hostProc],
    }),
  ];
}

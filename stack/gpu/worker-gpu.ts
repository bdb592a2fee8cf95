import { join, posix, relative } from 'node:path';
import { discoverAmdCards, gpuGroupIds, kfdNode, type AmdCard } from './amd-cards';
import type { GpuSelection } from '../../electron/api/schemas/gpu-selection';
import { selectCards } from './gpu-selection';

/**
 * What each inference worker container gets so it runs on exactly one card. Docker's `--gpus`
 * is NVIDIA-only and onnxruntime-node cannot pick an adapter, so a worker is pinned by being
 * given only its card's device nodes, and sees only its card's telemetry through a sysfs mount.
 */

/** Where a worker finds its card's sysfs; the service is started with `--sys-root` this. */
export const CONTAINER_SYS_ROOT = '/run/rx580-ops/sys';

export interface WorkerGpu {
  /** The card this worker runs on; null: the CPU worker. */
  card: string | null;
  /** HostConfig.Devices. */
  devices: { PathOnHost: string; PathInContainer: string; CgroupPermissions: string }[];
  /** HostConfig.GroupAdd: the host's render and video gids, so a non-root user may open the nodes. */
  groupAdd: string[];
  /**
   * HostConfig.Mounts, not Binds: a PCI device dir (`…/pci0000:00/0000:01:00.0`) holds colons,
   * which the Binds `host:container:ro` syntax rejects as an invalid volume specification.
   */
  mounts: { Type: 'bind'; Source: string; Target: string; ReadOnly: true }[];
  /** Container path for the service's `--sys-root`; null for the CPU worker. */
  sysRoot: string | null;
}

/** One worker per card with only that card's nodes (and /dev/kfd), or one CPU worker without cards. */
export function workerGpus(cards: AmdCard[], opts: { kfd: string | null; groupIds: number[]; devRoot?: string }): WorkerGpu[] {
  if (cards.length === 0) return [{ card: null, devices: [], groupAdd: [], mounts: [], sysRoot: null }];
  const devRoot = opts.devRoot ?? '/dev';
  // Inside the container nodes sit at their standard paths, wherever the host's /dev is.
  const device = (onHost: string) => ({ PathOnHost: onHost, PathInContainer: posix.join('/dev', relative(devRoot, onHost)), CgroupPermissions: 'rwm' });
  return cards.map((card) => ({
    card: card.name,
    devices: [...card.nodes, ...(opts.kfd ? [opts.kfd] : [])].map(device),
    groupAdd: opts.groupIds.map(String),
    mounts: [{ Type: 'bind', Source: card.sysfsDevice, Target: `${CONTAINER_SYS_ROOT}/class/drm/${card.name}/device`, ReadOnly: true }],
    sysRoot: CONTAINER_SYS_ROOT,
  }));
}

/** The workers for a selection on this host: what the console starts inference containers from. */
export async function planWorkerGpus(selection: GpuSelection, roots: { sys?: string; dev?: string; etc?: string } = {}): Promise<WorkerGpu[]> {
  const cards = selectCards(await discoverAmdCards(roots), selection);
  const [groupIds, kfd] = await Promise.all([gpuGroupIds(join(roots.etc ?? '/etc', 'group')), kfdNode(roots.dev)]);
  return workerGpus(cards, { kfd, groupIds, devRoot: roots.dev });
}

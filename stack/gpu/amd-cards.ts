import { access, readdir, readFile, realpath } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The AMD cards of this host, found in sysfs the way amdgpu exposes them, with the /dev/dri
 * nodes that belong to each: what a container needs to be given so it uses exactly that card.
 * The roots are injectable so tests run against fixture trees (fixtures/README.md).
 */

/** PCI vendor id of AMD (the inference service's telemetry reader matches cards the same way). */
export const AMD_PCI_VENDOR = '0x1002';

export interface AmdCard {
  /** `card0`: the name under /sys/class/drm, and of the worker it is given to. */
  name: string;
  /** `0000:01:00.0`, from the PCI device's uevent. */
  pciSlot: string | null;
  /** PCI device id, `0x67df` for an RX 580. */
  deviceId: string | null;
  /** realpath of /sys/class/drm/<name>/device: the card's PCI device dir. */
  sysfsDevice: string;
  /** Host paths of the card's /dev/dri nodes that exist, card node first, then render node. */
  nodes: string[];
}

const cardNumber = (name: string) => Number(name.replace(/^\D+/, ''));

async function readTrimmed(file: string): Promise<string | null> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    return null;
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Directory entries, or none when the directory does not exist (no DRM at all, say). */
async function entries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw err;
  }
}

async function readCard(drm: string, name: string, devRoot: string): Promise<AmdCard | null> {
  const link = join(drm, name, 'device');
  // Other vendors' cards, and virtual ones without a PCI device, have no AMD vendor here.
  if ((await readTrimmed(join(link, 'vendor')))?.toLowerCase() !== AMD_PCI_VENDOR) return null;
  const sysfsDevice = await realpath(link);
  const [uevent, deviceId, drmNodes] = await Promise.all([
    readTrimmed(join(sysfsDevice, 'uevent')),
    readTrimmed(join(sysfsDevice, 'device')),
    entries(join(sysfsDevice, 'drm')),
  ]);
  const wanted = drmNodes
    .filter((n) => /^(card|renderD)\d+$/.test(n))
    .sort((a, b) => Number(b.startsWith('card')) - Number(a.startsWith('card')) || cardNumber(a) - cardNumber(b))
    .map((n) => join(devRoot, 'dri', n));
  const present = await Promise.all(wanted.map(exists));
  return {
    name,
    pciSlot: uevent?.match(/^PCI_SLOT_NAME=(.+)$/m)?.[1] ?? null,
    deviceId: deviceId?.toLowerCase() ?? null,
    sysfsDevice,
    nodes: wanted.filter((_, i) => present[i]),
  };
}

/** AMD cards by card number (card2 before card10); a host without /sys/class/drm has none. */
export async function discoverAmdCards(roots: { sys?: string; dev?: string } = {}): Promise<AmdCard[]> {
  const drm = join(roots.sys ?? '/sys', 'class', 'drm');
  // cardN only: card0-DP-1 and the like are connectors, renderD128 a node of a card.
  const names = (await entries(drm)).filter((n) => /^card\d+$/.test(n)).sort((a, b) => cardNumber(a) - cardNumber(b));
  const cards = await Promise.all(names.map((name) => readCard(drm, name, roots.dev ?? '/dev')));
  return cards.filter((c): c is AmdCard => c !== null);
}

/**
 * Gids of the `render` and `video` groups that exist: the groups that own /dev/dri nodes on
 * common distributions, added to a container so a non-root user may open them.
 */
export async function gpuGroupIds(groupFile = '/etc/group'): Promise<number[]> {
  return gpuGroupIdsOf((await readTrimmed(groupFile)) ?? '');
}

/** The `render` and `video` gids in an /etc/group text (this host's, or a rig's read over SSH). */
export function gpuGroupIdsOf(text: string): number[] {
  const gids = new Set<number>();
  for (const line of text.split('\n')) {
    const [name, , gid] = line.split(':');
    if ((name === 'render' || name === 'video') && gid && /^\d+$/.test(gid)) gids.add(Number(gid));
  }
  return [...gids];
}

/** ROCm's compute node, shared by all cards; only some hosts have it. */
export async function kfdNode(devRoot = '/dev'): Promise<string | null> {
  const kfd = join(devRoot, 'kfd');
  return (await exists(kfd)) ? kfd : null;
}

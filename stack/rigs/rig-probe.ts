import type { RigProbe } from '../../electron/api/schemas/rigs';
import { AMD_PCI_VENDOR, gpuGroupIdsOf } from '../gpu/amd-cards';
import { RigConnectionError, classifySshError } from './rig-errors';
import type { RigEngine } from './rig-engine';
import type { RigCard } from './rig-workers';
import type { StoredRig } from '../../electron/api/schemas/rigs';

export interface ProbeOptions {
  /** The ports the rig's workers would publish, to say which are taken. */
  ports: number[];
  /** The rig's sysfs: `/sys`, or a fixture tree in tests (there is no AMD card here). */
  sysfs?: string;
}

/** Lists `cardN vendor node…` for every DRM card; POSIX sh, so any rig's shell runs it. */
const cardsScript = (sysfs: string) =>
  `for c in '${sysfs.replace(/'/g, '')}'/class/drm/card*; do case "\${c##*/}" in *-*) continue;; esac; [ -r "$c/device/vendor" ] && echo "\${c##*/} $(cat "$c/device/vendor") $(ls "$c/device/drm" 2>/dev/null | tr '\\n' ' ')"; done; true`;

/** The rig's AMD cards, in card order, each with its /dev/dri nodes (card node, then render node). */
export function amdCardsOf(listing: string): RigCard[] {
  return listing
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter(([name, vendor]) => /^card\d+$/.test(name ?? '') && vendor?.toLowerCase() === AMD_PCI_VENDOR)
    .map(([name, , ...nodes]) => ({ name: name!, nodes: nodes.filter((n) => /^(card|renderD)\d+$/.test(n)).sort((a, b) => Number(b.startsWith('card')) - Number(a.startsWith('card'))).map((n) => `/dev/dri/${n}`) }))
    .sort((a, b) => Number(a.name.slice(4)) - Number(b.name.slice(4)));
}

/** The rig's own `render` and `video` gids, which its card nodes belong to; none over tcp://. */
export async function rigGpuGroupIds(engine: RigEngine): Promise<number[]> {
  return engine.ssh ? gpuGroupIdsOf((await engine.ssh.exec('cat /etc/group')).stdout) : [];
}

/** The rig's AMD cards, read over SSH; a tcp:// rig shows none (Docker tells nothing of its cards). */
export async function rigCards(engine: RigEngine, sysfs: string): Promise<RigCard[]> {
  return engine.ssh ? amdCardsOf((await engine.ssh.exec(cardsScript(sysfs))).stdout) : [];
}

/** Listening TCP ports from /proc/net/tcp{,6} (state 0A), as the rig's own kernel reports them. */
export function listeningPorts(procNetTcp: string): Set<number> {
  const ports = new Set<number>();
  for (const line of procNetTcp.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields[3] !== '0A') continue;
    const port = fields[1]?.split(':').pop();
    if (port) ports.add(parseInt(port, 16));
  }
  return ports;
}

async function portsTaken(engine: RigEngine, wanted: number[]): Promise<number[]> {
  const taken = new Set<number>();
  if (engine.ssh) {
    const { stdout } = await engine.ssh.exec('cat /proc/net/tcp /proc/net/tcp6 2>/dev/null; true');
    for (const p of listeningPorts(stdout)) taken.add(p);
  }
  // Over tcp:// the engine's own published ports are all there is to go by.
  for (const c of await engine.docker.listContainers()) for (const p of c.Ports) if (p.PublicPort) taken.add(p.PublicPort);
  return wanted.filter((p) => taken.has(p));
}

/**
 * Tests a rig: its engine answers (version and name), the AMD cards it has, and which worker
 * ports are taken; or what failed, in one word and a sentence. Never throws.
 */
export async function probeRig(engine: RigEngine, rig: StoredRig, options: ProbeOptions): Promise<RigProbe> {
  const started = performance.now();
  try {
    const version = await engine.docker.version();
    const info = (await engine.docker.info()) as { Name?: string };
    const cards = (await rigCards(engine, options.sysfs ?? '/sys')).map((c) => c.name);
    return {
      ok: true,
      engineVersion: version.Version,
      engineName: info.Name ?? '',
      hostKey: rig.hostKey,
      cards,
      portsTaken: await portsTaken(engine, options.ports),
      latencyMs: Math.round(performance.now() - started),
    };
  } catch (err) {
    const e = err instanceof RigConnectionError ? err : classifySshError(err as Error, rig.endpoint);
    return { ok: false, failure: e.failure, message: e.message };
  }
}

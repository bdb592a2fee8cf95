import type { RigFailure, RigProbe, RigStatus, RigView } from '../../../electron/api/schemas/rigs';

/**
 * How the Rigs page words a rig, its last test and its status: plain functions of the API's
 * answers, so the page's components only lay them out.
 */

/** What failed, in words a person reads before the API's own sentence. */
export const FAILURE_WORDS: Record<RigFailure, string> = {
  dns: 'host name does not resolve',
  refused: 'connection refused',
  timeout: 'no answer',
  auth: 'key refused',
  'host-key': 'host key does not match',
  'docker-permission': 'no permission to use Docker',
  tls: 'TLS check failed',
  engine: 'Docker engine error',
};

/** A host key shortened for a table cell (`SHA256:AbCdEfGh…wxyz`); the full one goes in its title. */
export function shortHostKey(key: string | null): string {
  if (!key) return '';
  const m = /^(SHA256:)(.+)$/.exec(key);
  if (!m) return key.length > 20 ? `${key.slice(0, 12)}…${key.slice(-4)}` : key;
  const body = m[2]!;
  return body.length > 14 ? `${m[1]}${body.slice(0, 8)}…${body.slice(-4)}` : key;
}

export function cardsText(cards: readonly string[]): string {
  if (cards.length === 0) return 'no AMD card';
  return `${cards.length} AMD card${cards.length === 1 ? '' : 's'} (${cards.join(', ')})`;
}

export interface ProbeLine {
  /** null: never tested. */
  ok: boolean | null;
  /** One line: what the engine is, or what failed. */
  text: string;
  /** The pieces of a good test, one per cell or line. */
  parts: string[];
}

/** The last test of a rig as one line: the engine, its cards, ports taken and latency, or the failure in words. */
export function probeLine(probe: RigProbe | null): ProbeLine {
  if (!probe) return { ok: null, text: 'not tested yet', parts: [] };
  if (!probe.ok) return { ok: false, text: `${FAILURE_WORDS[probe.failure]}: ${probe.message}`, parts: [] };
  const parts = [
    `Docker ${probe.engineVersion}`,
    cardsText(probe.cards),
    probe.portsTaken.length ? `ports taken: ${probe.portsTaken.join(', ')}` : 'worker ports free',
    `${Math.round(probe.latencyMs)} ms`,
  ];
  return { ok: true, text: parts.join(' · '), parts };
}

/** "tested 12 s ago", "tested 3 min ago", or nothing for a rig never tested. */
export function checkedAgo(checkedAt: number | null, now: number): string {
  if (checkedAt === null) return '';
  const s = Math.max(0, Math.round((now - checkedAt) / 1000));
  if (s < 60) return `tested ${s} s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `tested ${m} min ago`;
  return `tested ${Math.round(m / 60)} h ago`;
}

/** The GPU selection as the table shows it. */
export function gpusText(gpus: RigView['gpus']): string {
  if (gpus === 'all') return 'all cards';
  if (gpus === 'none') return 'none (one CPU worker)';
  return gpus.join(', ');
}

/** The rig's URL as the table shows it: the local rig is "this machine". */
export function urlText(rig: Pick<RigView, 'local' | 'url'>): string {
  return rig.local ? 'this machine' : rig.url;
}

/** Rigs besides this machine's own. */
export function remoteRigs<T extends Pick<RigView, 'local'>>(rigs: readonly T[]): T[] {
  return rigs.filter((r) => !r.local);
}

export interface StatusLine {
  tone: 'ok' | 'bad';
  text: string;
}

/** A rig's status headline: reachable with its workers counted, or "unreachable: <why>". */
export function statusLine(status: RigStatus): StatusLine {
  if (!status.reachable) {
    const why = status.message ?? (status.failure ? FAILURE_WORDS[status.failure] : 'no answer');
    return { tone: 'bad', text: `unreachable: ${why}` };
  }
  const n = status.workers.length;
  return { tone: 'ok', text: `reachable · ${n === 0 ? 'no worker' : `${n} worker${n === 1 ? '' : 's'}`}` };
}

/** A worker's state and health in one word or two ("running, healthy"), and its tone. */
export function workerState(w: RigStatus['workers'][number]): { tone: 'ok' | 'busy' | 'bad' | 'off'; text: string } {
  const text = w.health ? `${w.state}, ${w.health}` : w.state;
  // Workers restart unless stopped: an exited one was stopped on purpose (its Stop, `rig stop`).
  if (w.state === 'exited') return { tone: 'off', text: 'stopped' };
  if (w.state !== 'running') return { tone: w.state === 'dead' ? 'bad' : 'off', text };
  if (w.health === 'unhealthy') return { tone: 'bad', text };
  if (w.health === 'starting') return { tone: 'busy', text };
  return { tone: 'ok', text };
}

/** What the Remove dialog says goes: the rig, its workers on its engine, its secrets and its Prometheus job. */
export function removalItems(rig: Pick<RigView, 'name' | 'url' | 'auth'>, workers: number | null): string[] {
  const secret = rig.auth === 'tls' ? 'its TLS certificates' : rig.auth === 'key' ? 'its SSH private key' : 'its settings (it uses your SSH agent: no key is stored)';
  return [
    `the rig ${rig.name} (${rig.url}) from this console`,
    ...(workers === null
      ? ["the console's inference workers on it, if any (its status could not be read)"]
      : workers > 0
        ? [`its ${workers} inference worker${workers === 1 ? '' : 's'}, stopped and removed from its engine`]
        : []),
    `${secret} from the secret store`,
    'its Prometheus scrape job',
  ];
}

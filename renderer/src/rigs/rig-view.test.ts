import { describe, expect, it } from 'vitest';
import type { RigStatus } from '../../../electron/api/schemas/rigs';
import { checkedAgo, gpusText, probeLine, remoteRigs, removalItems, shortHostKey, statusLine, urlText, workerState } from './rig-view';

const KEY = 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s';
const status = (over: Partial<RigStatus> = {}): RigStatus => ({ name: 'rig-a', address: '10.213.0.2', reachable: true, failure: null, message: null, error: null, workers: [], ...over });
const worker = (state: string, health: string | null) => ({ id: 'w', worker: 'card0', state, health, url: null });

describe('rig view', () => {
  it('shortens a host key for the table and keeps anything else readable', () => {
    expect(shortHostKey(KEY)).toBe('SHA256:uNiVztks…tD2s');
    expect(shortHostKey(null)).toBe('');
    expect(shortHostKey('SHA256:short')).toBe('SHA256:short');
    expect(shortHostKey('x'.repeat(30))).toBe(`${'x'.repeat(12)}…xxxx`);
  });

  it("words a good test: the engine, the cards, the ports taken and the latency", () => {
    expect(probeLine({ ok: true, engineVersion: '26.1.5', engineName: 'rig', hostKey: KEY, cards: ['card0', 'card1'], portsTaken: [], latencyMs: 12.4 })).toEqual({
      ok: true,
      text: 'Docker 26.1.5 · 2 AMD cards (card0, card1) · worker ports free · 12 ms',
      parts: ['Docker 26.1.5', '2 AMD cards (card0, card1)', 'worker ports free', '12 ms'],
    });
    expect(probeLine({ ok: true, engineVersion: '24', engineName: 'rig', hostKey: null, cards: [], portsTaken: [8000, 8001], latencyMs: 3 }).text).toBe(
      'Docker 24 · no AMD card · ports taken: 8000, 8001 · 3 ms',
    );
    expect(probeLine({ ok: true, engineVersion: '24', engineName: 'rig', hostKey: null, cards: ['card2'], portsTaken: [], latencyMs: 3 }).parts[1]).toBe('1 AMD card (card2)');
  });

  it('words a failed test with what failed before the reason, and an untested rig', () => {
    expect(probeLine({ ok: false, failure: 'docker-permission', message: 'The SSH user may not use Docker.' })).toEqual({
      ok: false,
      text: 'no permission to use Docker: The SSH user may not use Docker.',
      parts: [],
    });
    expect(probeLine({ ok: false, failure: 'timeout', message: 'x' }).text).toBe('no answer: x');
    expect(probeLine(null)).toEqual({ ok: null, text: 'not tested yet', parts: [] });
  });

  it('says how long ago a rig was tested', () => {
    expect(checkedAgo(null, 10_000)).toBe('');
    expect(checkedAgo(1000, 13_400)).toBe('tested 12 s ago');
    expect(checkedAgo(0, 5 * 60_000)).toBe('tested 5 min ago');
    expect(checkedAgo(0, 3 * 3_600_000)).toBe('tested 3 h ago');
    expect(checkedAgo(5000, 1000)).toBe('tested 0 s ago');
  });

  it('shows the GPU selection, the local rig as this machine, and the rigs besides it', () => {
    expect(gpusText('all')).toBe('all cards');
    expect(gpusText('none')).toBe('none (one CPU worker)');
    expect(gpusText(['card0', 'card2'])).toBe('card0, card2');
    expect(urlText({ local: true, url: 'this machine' })).toBe('this machine');
    expect(urlText({ local: false, url: 'ssh://u@h:22' })).toBe('ssh://u@h:22');
    expect(remoteRigs([{ local: true, n: 1 }, { local: false, n: 2 }])).toEqual([{ local: false, n: 2 }]);
  });

  it('heads a reachable rig with its workers, an unreachable one with the reason', () => {
    expect(statusLine(status())).toEqual({ tone: 'ok', text: 'reachable · no worker' });
    expect(statusLine(status({ workers: [worker('running', 'healthy')] }))).toEqual({ tone: 'ok', text: 'reachable · 1 worker' });
    expect(statusLine(status({ workers: [worker('running', null), worker('running', null)] })).text).toBe('reachable · 2 workers');
    expect(statusLine(status({ reachable: false, failure: 'timeout', message: '10.213.0.2 did not answer within 5 s.' }))).toEqual({
      tone: 'bad',
      text: 'unreachable: 10.213.0.2 did not answer within 5 s.',
    });
    expect(statusLine(status({ reachable: false, failure: 'refused', message: null })).text).toBe('unreachable: connection refused');
  });

  it("gives a worker's state and health a tone", () => {
    expect(workerState(worker('running', 'healthy'))).toEqual({ tone: 'ok', text: 'running, healthy' });
    expect(workerState(worker('running', 'starting'))).toEqual({ tone: 'busy', text: 'running, starting' });
    expect(workerState(worker('running', 'unhealthy')).tone).toBe('bad');
    expect(workerState(worker('running', null))).toEqual({ tone: 'ok', text: 'running' });
    expect(workerState(worker('exited', null))).toEqual({ tone: 'off', text: 'stopped' });
    expect(workerState(worker('dead', null)).tone).toBe('bad');
    expect(workerState(worker('created', null)).tone).toBe('off');
  });

  it('names everything Remove takes away, and what stays', () => {
    const rig = { name: 'rig-a', url: 'ssh://u@10.0.0.2:22', auth: 'key' as const };
    expect(removalItems(rig, 2)).toEqual([
      'the rig rig-a (ssh://u@10.0.0.2:22) from this console',
      'its 2 inference workers, stopped and removed from its engine',
      'its SSH private key from the secret store',
      'its Prometheus scrape job',
    ]);
    expect(removalItems(rig, 0)).toHaveLength(3);
    expect(removalItems({ ...rig, auth: 'tls' }, 1)[1]).toBe('its 1 inference worker, stopped and removed from its engine');
    expect(removalItems({ ...rig, auth: 'tls' }, 1)[2]).toMatch(/TLS certificates/);
    expect(removalItems({ ...rig, auth: 'agent' }, null)[1]).toMatch(/if any/);
    expect(removalItems({ ...rig, auth: 'agent' }, null)[2]).toMatch(/SSH agent/);
  });
});

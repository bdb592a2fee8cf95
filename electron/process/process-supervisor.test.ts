import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../stack/testing/test-settings';
import { childProcessSpawner } from './child-process-spawner';
import { ProcessSupervisor, type ProcessSupervisorOptions } from './process-supervisor';
import type { ProcessStatus } from './process-status';

const SCRIPT = fileURLToPath(new URL('./testing/small-server.mjs', import.meta.url));

async function healthProbe(port: number): Promise<boolean> {
  const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(500) });
  return res.ok;
}

// Real child processes (a small Node HTTP server), real signals.
describe('ProcessSupervisor', () => {
  const supervisors: ProcessSupervisor[] = [];
  const make = (args: string[], options: Partial<ProcessSupervisorOptions> = {}) => {
    const s = new ProcessSupervisor({
      name: 'small-server',
      spawner: childProcessSpawner,
      request: () => ({ script: SCRIPT, args, env: process.env, name: 'small-server' }),
      probeIntervalMs: 100,
      ...options,
    });
    supervisors.push(s);
    return s;
  };
  afterEach(async () => {
    await Promise.all(supervisors.splice(0).map((s) => s.stop()));
  });

  it('starts a process, reports it healthy and keeps its stdout and stderr lines', async () => {
    const port = await freePort();
    const s = make(['--port', String(port)], { probe: () => healthProbe(port) });
    const seen: ProcessStatus['state'][] = [];
    s.on('status', (st) => seen.push(st.state));
    expect((await s.start()).state).toBe('starting');
    await expect.poll(() => s.status().healthy, { timeout: 5000 }).toBe(true);
    expect(seen).toEqual(['starting', 'running']);
    await expect.poll(() => s.logTail(10).map((l) => `${l.stream}: ${l.text}`), { timeout: 2000 }).toEqual(
      expect.arrayContaining([expect.stringMatching(/^stdout: small-server \d+ listening/), 'stderr: a line on stderr']),
    );
    expect(s.logTail(10).every((l) => !Number.isNaN(Date.parse(l.time)))).toBe(true);
  });

  it('restarts a process killed with SIGKILL and logs the crash with its signal', async () => {
    const port = await freePort();
    const s = make(['--port', String(port)], { probe: () => healthProbe(port), baseDelayMs: 200 });
    await s.start();
    await expect.poll(() => s.status().healthy, { timeout: 5000 }).toBe(true);
    const firstPid = s.status().pid!;
    process.kill(firstPid, 'SIGKILL');
    await expect.poll(() => s.status().state, { timeout: 2000 }).toBe('backoff');
    expect(s.status().lastExit).toMatchObject({ code: null, signal: 'SIGKILL' });
    expect(s.logTail(50).some((l) => l.stream === 'supervisor' && /crashed \(signal SIGKILL\); restarting in 200 ms/.test(l.text))).toBe(true);
    await expect.poll(() => s.status().healthy, { timeout: 10_000 }).toBe(true);
    expect(s.status().pid).not.toBe(firstPid);
    expect(s.status().restarts).toBe(1);
  });

  it('backs off twice as long after each crash in a row and gives up at the cap', async () => {
    const s = make(['--exit-code', '3'], { baseDelayMs: 50, maxCrashes: 3 });
    await s.start();
    await expect.poll(() => s.status().state, { timeout: 10_000 }).toBe('failed');
    const notes = s.logTail(100).filter((l) => l.stream === 'supervisor').map((l) => l.text);
    expect(notes.filter((t) => t.includes('crashed')).map((t) => /restarting in (\d+ ms)|gave up/.exec(t)?.[0])).toEqual([
      'restarting in 50 ms',
      'restarting in 100 ms',
      'restarting in 200 ms',
      'gave up',
    ]);
    expect(s.status()).toMatchObject({ restarts: 3, lastExit: { code: 3, signal: null }, pid: null });
    expect(s.logTail(100).some((l) => l.stream === 'stderr' && l.text === 'failing on purpose with exit code 3')).toBe(true);
  });

  it('stops on request without restarting, and kills a process that ignores SIGTERM', async () => {
    const s = make(['--stubborn'], { stopTimeoutMs: 300 });
    await s.start();
    await expect.poll(() => s.logTail(5).some((l) => l.text.includes('listening')), { timeout: 5000 }).toBe(true);
    const pid = s.status().pid!;
    const stopped = await s.stop();
    expect(stopped).toMatchObject({ state: 'stopped', pid: null, lastExit: { signal: 'SIGKILL' } });
    expect(s.logTail(10).map((l) => l.text)).toContain('ignoring SIGTERM');
    expect(() => process.kill(pid, 0)).toThrow();
    await new Promise((r) => setTimeout(r, 400));
    expect(s.status().state).toBe('stopped');
  });
});

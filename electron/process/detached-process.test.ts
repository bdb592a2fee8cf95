import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConsoleError } from '../../stack/console-error';
import { freePort } from '../../stack/testing/test-settings';
import { DetachedProcess, type DetachedProcessOptions, type DetachedStatus } from './detached-process';

const SCRIPT = fileURLToPath(new URL('./testing/small-server.mjs', import.meta.url));
const CONSOLE = fileURLToPath(new URL('./testing/detached-console.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HEADER = /^--- \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z starting small-server \(pid (\d+)\)$/;

async function answersHealth(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(500) })).ok;
  } catch {
    return false;
  }
}

/** Gone, or a zombie (exited, not reaped yet: it still answers kill(pid, 0)). */
function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').at(-1)?.startsWith('Z') ?? true;
  } catch {
    return true;
  }
}

/** Every live process running the small server on this port, found independently of the module. */
function serverPids(port: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((entry) => {
      try {
        const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
        return args.includes(SCRIPT) && args.includes(String(port)) ? [Number(entry)] : [];
      } catch {
        return [];
      }
    });
}

// Real processes, real signals, real files. /proc finds every server a test started, so none
// outlives its test whatever fails.
describe.runIf(process.platform === 'linux')('DetachedProcess', () => {
  let stateDir: string;
  const ports: number[] = [];
  const consoles: ChildProcess[] = [];

  const port = async () => {
    const p = await freePort();
    ports.push(p);
    return p;
  };
  const optionsFor = (p: number, extraArgs: string[] = [], options: Partial<DetachedProcessOptions> = {}): DetachedProcessOptions => ({
    name: 'small-server',
    script: SCRIPT,
    args: ['--port', String(p), ...extraArgs],
    stateDir,
    healthUrl: `http://127.0.0.1:${p}/health`,
    readyTimeoutMs: 10_000,
    ...options,
  });
  const pidFile = () => join(stateDir, 'small-server.pid.json');
  const logFile = () => join(stateDir, 'small-server.log');

  /**
   * Another console: a process (in a process group of its own, so the test can signal the whole
   * group as a terminal or a process-tree kill would) that starts the service, prints the
   * status, then idles.
   */
  async function startInConsole(options: DetachedProcessOptions): Promise<{ console: ChildProcess; status: DetachedStatus }> {
    const child = spawn(process.execPath, ['--import', 'tsx', CONSOLE, JSON.stringify(options)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    consoles.push(child);
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      let err = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
      });
      child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      child.once('exit', (code, signal) => reject(new Error(`the console exited (${code ?? signal}) before printing a status: ${err}`)));
    });
    return { console: child, status: JSON.parse(line) as DetachedStatus };
  }

  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'rx580-detached-'));
  });
  afterEach(async () => {
    for (const c of consoles.splice(0)) if (c.exitCode === null && c.signalCode === null) process.kill(-c.pid!, 'SIGKILL');
    for (const pid of ports.splice(0).flatMap(serverPids)) process.kill(pid, 'SIGKILL');
    await rm(stateDir, { recursive: true, force: true });
  });

  it('starts the script detached, healthy, with a pid file and its stdout and stderr in the log', async () => {
    const p = await port();
    const dp = new DetachedProcess(optionsFor(p));
    const status = await dp.start();
    expect(status).toMatchObject({ state: 'running', healthy: true, logFile: logFile() });
    const pid = status.pid!;
    expect(serverPids(p)).toEqual([pid]);
    expect(JSON.parse(await readFile(pidFile(), 'utf8'))).toEqual({ pid, script: SCRIPT, args: ['--port', String(p)], startedAt: status.startedAt });
    const log = await dp.logTail(10);
    expect(log).toEqual([expect.stringMatching(HEADER), `small-server ${pid} listening on ${p}`, 'a line on stderr']);
    expect(log[0]).toContain(`(pid ${pid})`);
    // Its own session: a signal to the console's process group or terminal does not reach it.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    expect(Number(stat[3])).toBe(pid); // the session id (field 6) is its own pid
    expect(await dp.status()).toEqual(status);
  });

  it.each(['SIGKILL', 'SIGTERM'] as const)('keeps running when its console\'s process group gets %s, and a new console adopts it', async (signal) => {
    const p = await port();
    const { console: first, status } = await startInConsole(optionsFor(p));
    expect(status).toMatchObject({ state: 'running', healthy: true });
    const pid = status.pid!;
    const firstExit = new Promise((resolve) => first.once('exit', resolve));
    process.kill(-first.pid!, signal);
    await firstExit;
    expect(await answersHealth(p)).toBe(true);

    const dp = new DetachedProcess(optionsFor(p));
    expect(await dp.start()).toEqual(status);
    expect(serverPids(p)).toEqual([pid]); // adopted, nothing new spawned
    expect((await dp.logTail(100)).filter((l) => HEADER.test(l))).toHaveLength(1);

    expect(await dp.stop()).toMatchObject({ state: 'stopped', pid: null });
    expect(gone(pid)).toBe(true);
    expect(existsSync(pidFile())).toBe(false);
    expect(await answersHealth(p)).toBe(false);
    expect(await dp.stop()).toMatchObject({ state: 'stopped' }); // stopping a stopped one: a no-op
  });

  it('reports a crash at start with its exit code and stderr, and leaves no pid file', async () => {
    const p = await port();
    const dp = new DetachedProcess(optionsFor(p, ['--exit-code', '3']));
    const err = await dp.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConsoleError);
    expect(err).toMatchObject({ code: 'PROCESS_EXITED', status: 500 });
    expect((err as Error).message).toMatch(/^small-server exited with code 3 before it answered http:\/\/127\.0\.0\.1:\d+\/health\. Last lines of /);
    expect((err as Error).message).toContain('failing on purpose with exit code 3');
    expect(existsSync(pidFile())).toBe(false);
    expect((await dp.status()).state).toBe('stopped');
  });

  it('stops a process that never answers its health URL, within the ready timeout', async () => {
    const p = await port();
    const silent = await port();
    const dp = new DetachedProcess(optionsFor(p, [], { healthUrl: `http://127.0.0.1:${silent}/health`, readyTimeoutMs: 1000 }));
    const err = await dp.start().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PROCESS_NOT_READY', status: 500 });
    expect((err as Error).message).toMatch(/^small-server \(pid \d+\) did not answer .* within 1 s: so it was stopped\./);
    const pid = Number(/\(pid (\d+)\)/.exec((err as Error).message)![1]);
    expect(gone(pid)).toBe(true);
    expect(serverPids(p)).toEqual([]);
    expect(existsSync(pidFile())).toBe(false);
  });

  it('falls back to SIGKILL when SIGTERM is ignored for the grace period', async () => {
    const p = await port();
    const dp = new DetachedProcess(optionsFor(p, ['--stubborn'], { stopGraceMs: 1000 }));
    const { pid } = await dp.start();
    const before = Date.now();
    expect((await dp.stop()).state).toBe('stopped');
    const took = Date.now() - before;
    expect(took).toBeGreaterThanOrEqual(1000);
    expect(took).toBeLessThan(5000); // SIGKILL right after the grace, not the default 10 s
    expect(gone(pid!)).toBe(true);
    expect(await dp.logTail(1)).toEqual(['ignoring SIGTERM']);
    expect(existsSync(pidFile())).toBe(false);
  });

  it.each([
    ['a process that has exited', async () => {
      const child = spawn(process.execPath, ['-e', '']);
      await new Promise((resolve) => child.once('exit', resolve));
      return JSON.stringify({ pid: child.pid, script: SCRIPT, args: [], startedAt: new Date().toISOString() });
    }],
    ['this test process, which runs another script', async () => JSON.stringify({ pid: process.pid, script: SCRIPT, args: [], startedAt: new Date().toISOString() })],
    ['no JSON at all', async () => 'not json'],
  ])('reports a stale pid file (%s) stopped, and replaces it on start', async (_, content) => {
    const p = await port();
    await writeFile(pidFile(), await content());
    const dp = new DetachedProcess(optionsFor(p));
    expect(await dp.stop()).toMatchObject({ state: 'stopped', pid: null }); // and signals no one
    await writeFile(pidFile(), await content());
    expect(await dp.status()).toMatchObject({ state: 'stopped', pid: null });
    expect(existsSync(pidFile())).toBe(false);
    await writeFile(pidFile(), await content());
    const { pid } = await dp.start();
    expect(serverPids(p)).toEqual([pid]);
    expect(JSON.parse(await readFile(pidFile(), 'utf8'))).toMatchObject({ pid });
  });

  it('moves a log larger than logMaxBytes to .log.1 at start, and appends to a smaller one', async () => {
    const p = await port();
    const old = `${'x'.repeat(2000)}\n`;
    await writeFile(logFile(), old);
    const dp = new DetachedProcess(optionsFor(p, [], { logMaxBytes: 1000 }));
    await dp.start();
    expect(await readFile(`${logFile()}.1`, 'utf8')).toBe(old);
    expect((await readFile(logFile(), 'utf8')).split('\n')[0]).toMatch(HEADER);
    await dp.stop();
    await dp.start();
    const runs = (await readFile(logFile(), 'utf8')).split('\n').filter((l) => HEADER.test(l));
    expect(runs).toHaveLength(2);
    expect(await readFile(`${logFile()}.1`, 'utf8')).toBe(old);
  });

  it('follows new log lines, across a rotation, until stopped', async () => {
    const p = await port();
    const lines: string[] = [];
    const dp = new DetachedProcess(optionsFor(p));
    await writeFile(logFile(), 'an old line\n');
    const stopFollowing = dp.followLog((line) => lines.push(line));
    const { pid } = await dp.start();
    await expect.poll(() => lines, { timeout: 3000 }).toEqual([expect.stringMatching(HEADER), `small-server ${pid} listening on ${p}`, 'a line on stderr']);

    await appendFile(logFile(), 'half a');
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(lines).toHaveLength(3); // no line until it ends
    await appendFile(logFile(), ' line\n');
    await expect.poll(() => lines.at(-1), { timeout: 3000 }).toBe('half a line');

    await dp.stop();
    const next = new DetachedProcess(optionsFor(p, [], { logMaxBytes: 10 }));
    const second = await next.start();
    expect(existsSync(`${logFile()}.1`)).toBe(true);
    await expect.poll(() => lines.slice(4), { timeout: 3000 }).toEqual([expect.stringMatching(HEADER), `small-server ${second.pid} listening on ${p}`, 'a line on stderr']);

    stopFollowing();
    await appendFile(logFile(), 'after the stop\n');
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(lines).toHaveLength(7);
  });
});

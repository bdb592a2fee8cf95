import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConsoleError } from '../../stack/console-error';

export interface DetachedProcessOptions {
  /** Used in file names (`<name>.pid.json`, `<name>.log`) and messages. */
  name: string;
  /** The JS entry to run, e.g. dist/inference.js. */
  script: string;
  /** Its arguments, or a function giving them at each start (for what is known only then, such as the engine's gateway address). */
  args: string[] | (() => Promise<string[]>);
  /** Holds the pid file and the log (plus the rotated `<name>.log.1`). */
  stateDir: string;
  /** Answers GET with 200 when the process is ready. */
  healthUrl: string;
  env?: NodeJS.ProcessEnv;
  /** Defaults to this process's binary; inside Electron, ELECTRON_RUN_AS_NODE makes it act as Node. */
  execPath?: string;
  /** How long start() waits for the health URL; 60 s unless set. */
  readyTimeoutMs?: number;
  /** How long stop() waits after SIGTERM before SIGKILL; 10 s unless set. */
  stopGraceMs?: number;
  /** A log larger than this (10 MiB unless set) is moved to `<name>.log.1` at start; one old file is kept. */
  logMaxBytes?: number;
}

export interface DetachedStatus {
  state: 'running' | 'stopped';
  healthy: boolean;
  pid: number | null;
  startedAt: string | null;
  logFile: string;
}

interface PidFile {
  pid: number;
  script: string;
  args: string[];
  startedAt: string;
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const POLL_MS = 100;
const FOLLOW_POLL_MS = 250;
const ERROR_LOG_LINES = 20;
const UNKNOWN_EXIT: Exit = { code: null, signal: null };

/**
 * A process the console starts but does not own: it runs in its own session, writes to a log
 * file and is found again through a pid file, so it outlives the console (even a SIGKILLed one)
 * and the next console adopts it instead of starting a second one.
 */
export class DetachedProcess {
  private readonly pidFile: string;
  private readonly logFile: string;
  private readonly script: string;
  // start() and stop() of one instance run one at a time, so a quick Start/Stop never interleaves.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: DetachedProcessOptions) {
    this.pidFile = join(options.stateDir, `${options.name}.pid.json`);
    this.logFile = join(options.stateDir, `${options.name}.log`);
    // Absolute, so the child's command line names it exactly as status() looks for it.
    this.script = resolve(options.script);
  }

  async status(): Promise<DetachedStatus> {
    const record = await this.readPidFile();
    if (!record) return this.stopped();
    const ours = isAlive(record.pid) && (await runsScript(record.pid, this.script));
    const healthy = ours !== false && (await this.probe());
    // A dead pid, or one the system has given to another program since: not ours to report or
    // stop. Without /proc, a live pid that answers the health URL is all there is to go by.
    if (ours === false || (ours === null && !healthy)) {
      await rm(this.pidFile, { force: true });
      return this.stopped();
    }
    return { state: 'running', healthy, pid: record.pid, startedAt: record.startedAt, logFile: this.logFile };
  }

  start(): Promise<DetachedStatus> {
    return this.serial(async () => {
      const current = await this.status();
      if (current.pid === null) return this.spawnAndWait();
      return current.healthy ? current : this.adoptWhenReady(current, current.pid);
    });
  }

  stop(): Promise<DetachedStatus> {
    return this.serial(async () => {
      const current = await this.status();
      if (current.pid === null) return current;
      signalGroup(current.pid, 'SIGTERM');
      if (!(await waitGone(current.pid, this.options.stopGraceMs ?? 10_000))) {
        signalGroup(current.pid, 'SIGKILL');
        await waitGone(current.pid, 5_000);
      }
      await rm(this.pidFile, { force: true });
      return this.stopped();
    });
  }

  logTail(lines: number): Promise<string[]> {
    return lastLines(this.logFile, lines);
  }

  /** Calls back with each line appended to the log from now on; returns the stop function. */
  followLog(onLine: (line: string) => void): () => void {
    return followFile(this.logFile, onLine);
  }

  private async spawnAndWait(): Promise<DetachedStatus> {
    const { name, stateDir } = this.options;
    const args = typeof this.options.args === 'function' ? await this.options.args() : this.options.args;
    await mkdir(stateDir, { recursive: true });
    await rotate(this.logFile, this.options.logMaxBytes ?? 10 * 1024 * 1024);
    const logFd = openSync(this.logFile, 'a');
    let pid: number;
    let exited: Promise<Exit>;
    try {
      const child = spawn(this.options.execPath ?? process.execPath, [this.script, ...args], {
        // Its own session and process group: the console's end (or its terminal's) does not reach it.
        detached: true,
        stdio: ['ignore', logFd, logFd],
        env: { ...(this.options.env ?? process.env), ...(process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {}) },
        windowsHide: true,
      });
      const spawnError = new Promise<Error>((resolveError) => child.once('error', resolveError));
      exited = new Promise((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })));
      if (child.pid === undefined) {
        const err = await spawnError;
        throw new ConsoleError('PROCESS_SPAWN_FAILED', `Could not run ${name} (${err.message}): check the Node.js binary and the script path ${this.script}.`, 500);
      }
      pid = child.pid;
      // Written while the child is still loading, so it comes before the run's own lines.
      writeSync(logFd, `--- ${new Date().toISOString()} starting ${name} (pid ${pid})\n`);
      child.unref();
    } finally {
      closeSync(logFd);
    }
    const record: PidFile = { pid, script: this.script, args, startedAt: new Date().toISOString() };
    await this.writePidFile(record);
    try {
      await this.waitReady(pid, exited, 'so it was stopped');
    } catch (err) {
      signalGroup(pid, 'SIGKILL');
      await waitGone(pid, 5_000);
      await rm(this.pidFile, { force: true });
      throw err;
    }
    return { state: 'running', healthy: true, pid, startedAt: record.startedAt, logFile: this.logFile };
  }

  /** A running process that does not answer yet (another console may just have started it). */
  private async adoptWhenReady(current: DetachedStatus, pid: number): Promise<DetachedStatus> {
    try {
      await this.waitReady(pid, null, 'stop it and start it again');
    } catch (err) {
      if (err instanceof ConsoleError && err.code === 'PROCESS_EXITED') await rm(this.pidFile, { force: true });
      throw err;
    }
    return { ...current, healthy: true };
  }

  /** Until the health URL answers; `exited` is our own child's exit, which carries its code. */
  private async waitReady(pid: number, exited: Promise<Exit> | null, onTimeout: string): Promise<void> {
    const { name, healthUrl } = this.options;
    const timeoutMs = this.options.readyTimeoutMs ?? 60_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await this.probe()) return;
      if (!isAlive(pid)) {
        // The exit event may come a moment after the pid is gone.
        const exit = await Promise.race([exited ?? UNKNOWN_EXIT, sleep(1000, UNKNOWN_EXIT)]);
        throw new ConsoleError('PROCESS_EXITED', `${name} ${describeExit(exit)} before it answered ${healthUrl}.${await this.logExcerpt()}`, 500);
      }
      if (Date.now() >= deadline) {
        throw new ConsoleError(
          'PROCESS_NOT_READY',
          `${name} (pid ${pid}) did not answer ${healthUrl} within ${Math.round(timeoutMs / 1000)} s: ${onTimeout}.${await this.logExcerpt()}`,
          500,
        );
      }
      await sleep(POLL_MS);
    }
  }

  private async logExcerpt(): Promise<string> {
    const lines = await this.logTail(ERROR_LOG_LINES);
    return lines.length ? ` Last lines of ${this.logFile}:\n${lines.join('\n')}` : ` Its log ${this.logFile} is empty.`;
  }

  private async probe(): Promise<boolean> {
    try {
      const res = await fetch(this.options.healthUrl, { signal: AbortSignal.timeout(1000) });
      await res.body?.cancel();
      return res.status === 200;
    } catch {
      return false;
    }
  }

  private async readPidFile(): Promise<PidFile | null> {
    let text: string;
    try {
      text = await readFile(this.pidFile, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    try {
      const record = JSON.parse(text) as Partial<PidFile>;
      if (Number.isInteger(record.pid) && (record.pid as number) > 0) return record as PidFile;
    } catch {
      // Falls through: an unreadable pid file says nothing about a process.
    }
    await rm(this.pidFile, { force: true });
    return null;
  }

  // Temp file plus rename: a reader (another console) never sees half a pid file.
  private async writePidFile(record: PidFile): Promise<void> {
    const temp = `${this.pidFile}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(record)}\n`);
    await rename(temp, this.pidFile);
  }

  private stopped(): DetachedStatus {
    return { state: 'stopped', healthy: false, pid: null, startedAt: null, logFile: this.logFile };
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function describeExit({ code, signal }: Exit): string {
  if (signal) return `was killed by signal ${signal}`;
  if (code !== null) return `exited with code ${code}`;
  return 'exited';
}

/** Alive and not a zombie (an exited child nobody has reaped yet still answers kill(pid, 0)). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists, under another user.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (process.platform !== 'linux') return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state letter follows the command name, which is in parentheses and may hold ") " itself.
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return false;
  }
}

/** Whether the pid runs our script: known on Linux from /proc, null (unknown) elsewhere. */
async function runsScript(pid: number, script: string): Promise<boolean | null> {
  if (process.platform !== 'linux') return null;
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').includes(script);
  } catch {
    return false;
  }
}

/** Signals the process group, so the script's own children go too (Windows has no groups). */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  for (const target of process.platform === 'win32' ? [pid] : [-pid, pid]) {
    try {
      process.kill(target, signal);
      return;
    } catch (err) {
      // No such group: a process that is no group leader still gets the signal itself.
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  }
}

async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
  return true;
}

async function rotate(file: string, maxBytes: number): Promise<void> {
  const size = await stat(file).then((s) => s.size, () => 0);
  if (size > maxBytes) await rename(file, `${file}.1`);
}

/** The last `count` lines, read backwards in chunks so a large log is not read whole. */
async function lastLines(file: string, count: number): Promise<string[]> {
  if (count <= 0) return [];
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  try {
    const chunks: Buffer[] = [];
    let position = (await handle.stat()).size;
    let newlines = 0;
    while (position > 0 && newlines <= count) {
      const length = Math.min(64 * 1024, position);
      position -= length;
      const chunk = Buffer.alloc(length);
      await handle.read(chunk, 0, length, position);
      chunks.unshift(chunk);
      for (const byte of chunk) if (byte === 0x0a) newlines++;
    }
    const lines = Buffer.concat(chunks).toString('utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    // Reading stopped mid-file: the first line is cut.
    if (position > 0) lines.shift();
    return lines.slice(-count).map((l) => l.replace(/\r$/, ''));
  } finally {
    await handle.close();
  }
}

/** Polls the file for appended lines; a smaller size or a new inode (rotation) reads from the top. */
function followFile(file: string, onLine: (line: string) => void): () => void {
  const initial = statSync(file, { throwIfNoEntry: false });
  let position = initial?.size ?? 0;
  let inode = initial?.ino ?? null;
  let decoder = new StringDecoder('utf8');
  let partial = '';
  let busy = false;
  let stopped = false;
  const restart = () => {
    position = 0;
    decoder = new StringDecoder('utf8');
    partial = '';
  };
  const poll = async () => {
    const info = await stat(file).catch(() => null);
    if (!info) {
      restart();
      inode = null;
      return;
    }
    if ((inode !== null && info.ino !== inode) || info.size < position) restart();
    inode = info.ino;
    if (info.size <= position) return;
    const handle = await open(file, 'r');
    try {
      const chunk = Buffer.alloc(info.size - position);
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
      position += bytesRead;
      const lines = (partial + decoder.write(chunk.subarray(0, bytesRead))).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (!stopped) onLine(line.replace(/\r$/, ''));
    } finally {
      await handle.close();
    }
  };
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    poll()
      .catch(() => undefined) // a file read mid-rotation: the next poll sees the new one
      .finally(() => (busy = false));
  }, FOLLOW_POLL_MS);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}

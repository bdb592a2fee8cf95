import { spawn } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { answersReady } from '../../inference/json-http';
import { ConsoleError } from '../../stack/console-error';
import { followFile, lastLines, rotate } from './log-file';
import { PidFile, isOurProcess, type PidRecord } from './pid-file';
import { isAlive, signalGroup, waitGone } from './process-signals';

export interface DetachedProcessOptions {
  /** Used in file names (`<name>.pid.json`, `<name>.log`) and messages. */
  name: string;
  /** The JS entry to run, e.g. dist/inference.js. */
  script: string;
  /** Its arguments, or a function giving them at each start (for what is known only then, such as the engine's gateway address). */
  args: string[] | (() => Promise<string[]>);
  /** Holds the pid file and the log (plus the rotated `<name>.log.1`). */
  stateDir: string;
  /** Answers GET with a 2xx status when the process is ready. */
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

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const POLL_MS = 100;
const PROBE_TIMEOUT_MS = 1000;
const ERROR_LOG_LINES = 20;
const UNKNOWN_EXIT: Exit = { code: null, signal: null };

/**
 * A process the console starts but does not own: it runs in its own session, writes to a log
 * file and is found again through a pid file, so it outlives the console (even a SIGKILLed one)
 * and the next console adopts it instead of starting a second one.
 */
export class DetachedProcess {
  private readonly pidFile: PidFile;
  private readonly logFile: string;
  private readonly script: string;
  // start() and stop() of one instance run one at a time, so a quick Start/Stop never interleaves.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: DetachedProcessOptions) {
    this.pidFile = new PidFile(join(options.stateDir, `${options.name}.pid.json`));
    this.logFile = join(options.stateDir, `${options.name}.log`);
    // Absolute, so the child's command line names it exactly as status() looks for it.
    this.script = resolve(options.script);
  }

  async status(): Promise<DetachedStatus> {
    const record = await this.pidFile.read();
    if (!record) return this.stopped();
    const ours = await isOurProcess(record.pid, this.script);
    const healthy = ours !== false && (await this.probe());
    // A dead pid, or one the system has given to another program since: not ours to report or
    // stop. Without /proc, a live pid that answers the health URL is all there is to go by.
    if (ours === false || (ours === null && !healthy)) {
      await this.pidFile.remove();
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
      await this.pidFile.remove();
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
    const record: PidRecord = { pid, script: this.script, args, startedAt: new Date().toISOString() };
    await this.pidFile.write(record);
    try {
      await this.waitReady(pid, exited, 'so it was stopped');
    } catch (err) {
      signalGroup(pid, 'SIGKILL');
      await waitGone(pid, 5_000);
      await this.pidFile.remove();
      throw err;
    }
    return { state: 'running', healthy: true, pid, startedAt: record.startedAt, logFile: this.logFile };
  }

  /** A running process that does not answer yet (another console may just have started it). */
  private async adoptWhenReady(current: DetachedStatus, pid: number): Promise<DetachedStatus> {
    try {
      await this.waitReady(pid, null, 'stop it and start it again');
    } catch (err) {
      if (err instanceof ConsoleError && err.code === 'PROCESS_EXITED') await this.pidFile.remove();
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

  private probe(): Promise<boolean> {
    return answersReady(this.options.healthUrl, PROBE_TIMEOUT_MS);
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

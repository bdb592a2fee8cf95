/** What the supervisor needs of a started process, whichever API started it. */
export interface ChildHandle {
  readonly pid: number | undefined;
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  /** Asks the process to end (SIGTERM or the platform's equivalent). */
  kill(): void;
  /** Called once, when the process has ended: by exit code, or by signal where the API says. */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
}

export interface SpawnRequest {
  /** A Node.js script (an ES module or CommonJS file). */
  script: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Shown by the OS and Electron's task manager. */
  name: string;
}

/** Starts a Node script as a process: child_process in web mode, Electron's utilityProcess in the app. */
export type Spawner = (request: SpawnRequest) => ChildHandle;

/** A ChildHandle over a process object that has its own pid, stdout and stderr. */
export function childHandle(proc: { readonly pid?: number | undefined } & Pick<ChildHandle, 'stdout' | 'stderr'>, kill: () => void, onExit: ChildHandle['onExit']): ChildHandle {
  return {
    get pid() {
      return proc.pid;
    },
    stdout: proc.stdout,
    stderr: proc.stderr,
    kill,
    onExit,
  };
}

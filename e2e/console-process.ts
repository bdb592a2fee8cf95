import { spawn, type ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ApiMethod, ApiResult } from '../electron/api/contract';

/** The built CLI, as a user runs it. */
export const BIN = fileURLToPath(new URL('../bin/rx580-ops.js', import.meta.url));

/** A real console process (`rx580-ops serve`), to be quit or killed as a user's would be. */
export interface ConsoleProcess {
  child: ChildProcess;
  openUrl: string;
  /** Calls the console's API over its HTTP bridge with the printed token. */
  call<M extends ApiMethod>(method: M, ...args: unknown[]): Promise<ApiResult<M>>;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
}

export async function startConsoleProcess(settingsFile: string, env: NodeJS.ProcessEnv = process.env): Promise<ConsoleProcess> {
  const child = spawn(process.execPath, [BIN, '--settings', settingsFile, 'serve', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  const openUrl = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /^Open: (\S+)$/m.exec(output)?.[1];
      if (url) resolve(url);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`rx580-ops serve exited with ${code} before it printed its URL:\n${output}`)));
  });
  const url = new URL(openUrl);
  const token = url.searchParams.get('token');
  return {
    child,
    openUrl,
    exited,
    async call(method, ...args) {
      const res = await fetch(`${url.origin}/api/invoke/${method}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ args }),
      });
      const body = (await res.json()) as { ok: boolean; result?: unknown; error?: { message: string } };
      if (!body.ok) throw new Error(`${method}: ${body.error?.message}`);
      return body.result as never;
    },
  };
}

/** Runs the built CLI to its end; resolves with what it printed and its exit code. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { env, maxBuffer: 16 * 2 ** 20 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

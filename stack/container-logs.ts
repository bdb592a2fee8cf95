import type Docker from 'dockerode';
import { PassThrough } from 'node:stream';
import { StackError } from './stack-errors';
import { LABEL_PROJECT, LABEL_SERVICE } from './stack-spec';
import type { ServiceName } from './stack-status';

export interface LogFollowHandlers {
  /** Complete lines, stdout and stderr interleaved as they arrive (without the newline). */
  onLines(lines: string[]): void;
  /** The stream ended: the container stopped or was removed. */
  onEnd(): void;
}

/** Splits a byte stream into complete lines, keeping a partial last line for the next chunk. */
export function lineSplitter(onLines: (lines: string[]) => void): { push(chunk: Buffer | string): void; flush(): void } {
  let partial = '';
  return {
    push(chunk) {
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop() ?? '';
      if (parts.length) onLines(parts.map((l) => l.replace(/\r$/, '')));
    },
    flush() {
      if (partial) onLines([partial]);
      partial = '';
    },
  };
}

/**
 * Follows a stack container's log from now on, demultiplexed, line by line. Returns the stop
 * function; it is safe to call more than once.
 */
export async function followContainerLogs(
  docker: Docker,
  project: string,
  service: ServiceName,
  handlers: LogFollowHandlers,
): Promise<() => void> {
  const [info] = await docker.listContainers({
    all: true,
    filters: JSON.stringify({ label: [`${LABEL_PROJECT}=${project}`, `${LABEL_SERVICE}=${service}`] }),
  });
  if (!info) throw new StackError('SERVICE_MISSING', `${service} has no container: start the stack first.`);
  const raw = (await docker.getContainer(info.Id).logs({ follow: true, stdout: true, stderr: true, tail: 0 })) as NodeJS.ReadableStream & {
    destroy(): void;
  };
  const out = new PassThrough();
  const lines = lineSplitter(handlers.onLines);
  out.on('data', (chunk: Buffer) => lines.push(chunk));
  docker.modem.demuxStream(raw, out, out);
  let stopped = false;
  const finish = () => {
    if (stopped) return;
    stopped = true;
    lines.flush();
    handlers.onEnd();
  };
  raw.on('end', finish);
  raw.on('close', finish);
  raw.on('error', finish);
  return () => {
    if (stopped) return;
    stopped = true;
    raw.destroy();
    out.destroy();
  };
}

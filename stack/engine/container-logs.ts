import type Docker from 'dockerode';
import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import { demuxDockerLog } from './docker-log';

/** The last lines a container wrote, stdout and stderr interleaved. */
export async function lastLogLines(container: Docker.Container, lines = 20): Promise<string> {
  const raw = await container.logs({ stdout: true, stderr: true, tail: lines, follow: false });
  return demuxDockerLog(raw).trimEnd();
}

/**
 * Streams a container's log lines as it writes them (after the last `tail` lines), until the
 * returned function is called or the container goes away (then `onEnd`).
 */
export async function followContainerLogs(
  docker: Docker,
  container: Docker.Container,
  onLine: (line: string) => void,
  tail = 0,
  onEnd?: () => void,
): Promise<() => void> {
  const stream = (await container.logs({ follow: true, stdout: true, stderr: true, tail })) as NodeJS.ReadableStream & { destroy(): void };
  const text = new PassThrough();
  docker.modem.demuxStream(stream, text, text);
  stream.on('end', () => text.end());
  stream.on('error', () => text.end());
  const lines = createInterface({ input: text, crlfDelay: Infinity });
  lines.on('line', onLine);
  if (onEnd) lines.once('close', onEnd);
  return () => {
    if (onEnd) lines.off('close', onEnd);
    lines.close();
    stream.destroy();
    text.destroy();
  };
}

import type Docker from 'dockerode';
import { PassThrough } from 'node:stream';

/** Runs a command in a running container; its exit code and its output, stdout and stderr together. */
export async function execIn(container: Docker.Container, cmd: string[]): Promise<{ code: number | null; out: string }> {
  const exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  let out = '';
  const sink = new PassThrough().on('data', (d) => (out += d));
  container.modem.demuxStream(stream, sink, sink);
  await new Promise((resolve) => stream.on('end', resolve));
  return { code: (await exec.inspect()).ExitCode, out };
}

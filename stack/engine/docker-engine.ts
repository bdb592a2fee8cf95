import Docker from 'dockerode';
import { StackError } from './stack-errors';

export const DEFAULT_SOCKET = '/var/run/docker.sock';

/** Where the engine is expected: DOCKER_HOST when set (docker-modem honours it), else the default socket. */
export function engineEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_HOST || `unix://${DEFAULT_SOCKET}`;
}

export function connectDocker(env: NodeJS.ProcessEnv = process.env): Docker {
  const host = env.DOCKER_HOST;
  if (!host) return new Docker({ socketPath: DEFAULT_SOCKET });
  const socket = /^(unix|npipe):\/\/(.+)$/.exec(host);
  if (socket) return new Docker({ socketPath: socket[2] });
  // tcp:// and ssh:// with their TLS settings: docker-modem's own parsing of the environment.
  return new Docker();
}

/** Turns a connection failure into one sentence that says what to do. */
export function engineError(err: unknown, endpoint: string): StackError {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'EACCES' || e?.code === 'EPERM') {
    return new StackError(
      'ENGINE_PERMISSION_DENIED',
      `Permission denied on the Docker engine at ${endpoint}: add your user to the docker group (sudo usermod -aG docker $USER, then log in again).`,
    );
  }
  const reason = e?.code ?? (e?.message || String(err));
  return new StackError(
    'ENGINE_UNREACHABLE',
    `Cannot reach the Docker engine at ${endpoint} (${reason}): start Docker, or set DOCKER_HOST to where it listens.`,
  );
}

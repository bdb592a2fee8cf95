import Docker from 'dockerode';
import { StackError } from './stack-errors';
import type { EngineStatus } from '../../electron/api/schemas/stack-status';

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

/** Whether the engine answers, and which version it runs; when not, why, in one sentence. */
export async function probeEngine(docker: Docker, endpoint: string): Promise<EngineStatus> {
  try {
    const version = await docker.version();
    return { reachable: true, endpoint, version: version.Version, message: null };
  } catch (err) {
    return { reachable: false, endpoint, version: null, message: engineError(err, endpoint).message };
  }
}

/** Throws the actionable connection error unless the engine answers. */
export async function requireEngine(docker: Docker, endpoint: string): Promise<void> {
  try {
    await docker.ping();
  } catch (err) {
    throw engineError(err, endpoint);
  }
}

/** The HTTP status the engine answered a failed request with. */
export function statusOf(err: unknown): number | undefined {
  return (err as { statusCode?: number })?.statusCode;
}

/** A catch handler for answers that mean "already so" (gone, exists, not modified); anything else is rethrown. */
export function ignoreStatus(...codes: number[]) {
  return (err: unknown) => {
    if (!codes.includes(statusOf(err) ?? -1)) throw err;
  };
}

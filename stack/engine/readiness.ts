import type Docker from 'dockerode';
import { answersReady } from '../../inference/json-http';
import { lastLogLines } from './container-logs';
import { StackError } from './stack-errors';
import type { ServiceSpec } from '../spec/stack-spec';

/** How often a start re-probes a service it waits for. */
export const READY_POLL_MS = 250;

type Probed = Pick<ServiceSpec, 'hostPort' | 'readyPath' | 'containerName' | 'healthcheck'>;

/**
 * The readiness probe: the service's ready path answers 2xx on its published port; a service
 * published nowhere runs its own healthcheck command inside its container instead (the host
 * cannot reach the stack network everywhere, on Docker Desktop for one).
 */
export function isServiceReady(docker: Docker, spec: Probed): Promise<boolean> {
  if (spec.hostPort !== null) return answersReady(`http://127.0.0.1:${spec.hostPort}${spec.readyPath}`);
  return execSucceeds(docker, spec.containerName, spec.healthcheck.slice(1));
}

async function execSucceeds(docker: Docker, containerName: string, cmd: string[]): Promise<boolean> {
  try {
    const exec = await docker.getContainer(containerName).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({});
    stream.resume();
    await new Promise((resolve) => stream.once('end', resolve));
    return (await exec.inspect()).ExitCode === 0;
  } catch {
    return false;
  }
}

/**
 * Resolves once the service answers its probe; throws as soon as its container crashes or stops
 * (with its last log lines), or when it is not ready within `timeoutMs`.
 */
export async function waitServiceReady(docker: Docker, spec: ServiceSpec, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const container = docker.getContainer(spec.containerName);
  const restartsBefore = (await container.inspect()).RestartCount;
  while (Date.now() < deadline) {
    if (await isServiceReady(docker, spec)) return;
    const { State, RestartCount } = await container.inspect();
    // The restart policy brings a crashing service back at once, so "exited" may never be seen:
    // a restart count that rises while we wait is the crash loop's signature.
    if (State.Restarting || RestartCount > restartsBefore) {
      throw new StackError(
        'SERVICE_CRASHING',
        `${spec.id} keeps crashing (restarted ${RestartCount} times while starting). Last log lines:\n${await lastLogLines(container)}`,
      );
    }
    if (State.Status === 'exited' || State.Status === 'dead') {
      throw new StackError('SERVICE_NOT_READY', `${spec.id} stopped while starting (exit code ${State.ExitCode}). Last log lines:\n${await lastLogLines(container)}`);
    }
    await new Promise((r) => setTimeout(r, READY_POLL_MS));
  }
  throw new StackError('SERVICE_NOT_READY', `${spec.id} did not become ready within ${Math.round(timeoutMs / 1000)} s.`);
}

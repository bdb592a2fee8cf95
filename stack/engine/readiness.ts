import type Docker from 'dockerode';
import { answersReady } from '../../inference/json-http';
import { lastLogLines } from './container-logs';
import { StackError } from './stack-errors';
import type { ServiceSpec } from '../spec/stack-spec';

/** How often a start re-probes a service it waits for. */
export const READY_POLL_MS = 250;

/** The host-side readiness probe: the service's ready path answers 2xx on its published port. */
export function isServiceReady(spec: Pick<ServiceSpec, 'hostPort' | 'readyPath'>): Promise<boolean> {
  return answersReady(`http://127.0.0.1:${spec.hostPort}${spec.readyPath}`);
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
    if (await isServiceReady(spec)) return;
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

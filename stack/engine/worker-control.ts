import type Docker from 'dockerode';
import { LABEL_SERVICE, LABEL_WORKER, workerName, type ServiceSpec } from '../spec/stack-spec';
import { StackError } from './stack-errors';

/** The worker a container runs (its card, or cpu), on any rig. */
export const containerWorker = (c: Docker.ContainerInfo) => workerName(c.Labels[LABEL_WORKER]);

/**
 * This machine's inference workers stopped on purpose (their own Stop, `rig stop local …`): the
 * container is kept, exited. Workers restart unless stopped, and the stack's Stop removes them,
 * so an exited worker is one somebody stopped.
 */
export function stoppedWorkers(containers: Docker.ContainerInfo[]): Set<string> {
  return new Set(containers.filter((c) => c.Labels[LABEL_SERVICE] === 'inference' && c.State === 'exited').map(containerWorker));
}

/** The inference worker of that name (its card, or cpu), or an error that names the workers there are. */
export function workerSpec(specs: ServiceSpec[], name: string): ServiceSpec {
  const workers = specs.filter((s) => s.service === 'inference');
  const spec = workers.find((s) => workerName(s.worker) === name);
  if (spec) return spec;
  const has = workers.length ? `its workers are ${workers.map((s) => workerName(s.worker)).join(', ')}` : 'it runs no inference worker (inference is off, or in host mode)';
  throw new StackError('SERVICE_MISSING', `This machine has no worker ${name}: ${has}.`);
}

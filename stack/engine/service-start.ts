import type Docker from 'dockerode';
import { ignoreStatus, statusOf } from './docker-engine';
import { isPortFree } from './port-check';
import { ensureNetwork, removeContainer, removeNetwork, runs } from './stack-resources';
import { envNameOf, SERVICE_SETTINGS_KEY } from '../../electron/api/schemas/settings';
import { StackError } from './stack-errors';
import { containerCreateOptions, containerLabels, LABEL_PROJECT, type ServiceSpec, type StackSpec } from '../spec/stack-spec';
import type { StackProgress } from '../../electron/api/schemas/stack-status';

export type StartStep = (step: StackProgress['step'], message: string) => void;

/** Fails before anything is created when a port another program holds would make a start fail halfway. */
export async function checkPortsFree(specs: ServiceSpec[], existing: Docker.ContainerInfo[]): Promise<void> {
  for (const spec of specs) {
    // Our own container may hold its port while running, restarting, or still starting after
    // an interrupted start (state `created`, its start request already with the engine); a
    // real conflict then surfaces when it starts, as the same error.
    const own = existing.find((c) => runs(c, spec) && !['exited', 'dead'].includes(c.State));
    if (own) continue;
    if (spec.hostPort !== null && !(await isPortFree(spec.hostPort))) throw portInUse(spec);
  }
}

/** Starts one service, adopting its container when there is one; returns the id when it created one. */
export async function startService(docker: Docker, stack: StackSpec, spec: ServiceSpec, onStep: StartStep): Promise<string | null> {
  const [info] = await docker.listContainers({ all: true, filters: JSON.stringify({ name: [`^/${spec.containerName}$`] }) });
  let container: Docker.Container;
  let createdId: string | null = null;
  if (info && info.Labels[LABEL_PROJECT] === stack.project && info.Image === spec.image) {
    container = docker.getContainer(info.Id);
    if (info.State === 'running') return null;
  } else {
    // A container left from an older image, or half-created by an interrupted start: replace it.
    if (info) await removeContainer(docker, info.Id);
    onStep('create', `Creating ${spec.containerName}`);
    // Labelled here, or the engine would create them unlabelled and removeData could not find them.
    for (const volume of [spec.volumeName, spec.secretsVolume]) {
      if (!volume) continue;
      await docker.createVolume({ Name: volume, Labels: containerLabels(spec, stack) }).catch(ignoreStatus(409));
    }
    container = await docker.createContainer(containerCreateOptions(spec, stack));
    createdId = container.id;
  }
  onStep('start', `Starting ${spec.id}`);
  try {
    await container.start();
  } catch (err) {
    if (statusOf(err) === 304) return createdId;
    if (/port is already allocated|address already in use/i.test((err as Error).message)) {
      await removeContainer(docker, container.id);
      throw portInUse(spec);
    }
    throw err;
  }
  return createdId;
}

/**
 * Ensures the stack's network and starts these services in order, adopting their containers.
 * Leaves nothing half-created: on a failure, what this call created goes (the network too when
 * the stack had no container before) and adopted containers stay.
 */
export async function startServices(
  docker: Docker,
  stack: StackSpec,
  specs: ServiceSpec[],
  stackWasEmpty: boolean,
  onStep: (spec: ServiceSpec, ...step: Parameters<StartStep>) => void,
): Promise<void> {
  const createdNetwork = await ensureNetwork(docker, stack);
  const created: string[] = [];
  try {
    for (const spec of specs) {
      const id = await startService(docker, stack, spec, (step, message) => onStep(spec, step, message));
      if (id) created.push(id);
    }
  } catch (err) {
    for (const id of created) await removeContainer(docker, id);
    if (createdNetwork && stackWasEmpty) await removeNetwork(docker, stack.project);
    throw err;
  }
}

function portInUse(spec: ServiceSpec): StackError {
  return new StackError(
    'PORT_IN_USE',
    `Port ${spec.hostPort} on 127.0.0.1 is already in use, so ${spec.id} cannot start. ` + `Stop what uses it, or set ${envNameOf(`${SERVICE_SETTINGS_KEY[spec.service]}.port`)} to a free port.`,
  );
}

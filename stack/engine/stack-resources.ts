import type Docker from 'dockerode';
import { ignoreStatus } from './docker-engine';
import { LABEL_HELPER, LABEL_PROJECT, type ServiceSpec, type StackSpec } from '../spec/stack-spec';

/** What the stack owns on the engine (containers, its network, volumes), found by the project label. */

const byProject = (project: string, ...labels: string[]) => JSON.stringify({ label: [`${LABEL_PROJECT}=${project}`, ...labels] });

/** The container a spec describes (container names are unique on an engine). */
export function runs(container: Docker.ContainerInfo, spec: ServiceSpec): boolean {
  return container.Names.includes(`/${spec.containerName}`);
}

/** The stack's service containers; helpers (config checks, secrets carriers) are not among them. */
export async function listServiceContainers(docker: Docker, project: string): Promise<Docker.ContainerInfo[]> {
  const all = await docker.listContainers({ all: true, filters: byProject(project) });
  return all.filter((c) => !c.Labels[LABEL_HELPER]);
}

/**
 * Helpers a killed console left behind (a config check, a secrets carrier), with their
 * volumes. A running one may be another console's check at work, so it is left to finish.
 */
export async function removeStrayHelpers(docker: Docker, project: string): Promise<void> {
  const all = await docker.listContainers({ all: true, filters: byProject(project, LABEL_HELPER) });
  for (const c of all.filter((h) => h.State !== 'running')) await docker.getContainer(c.Id).remove({ force: true, v: true }).catch(ignoreStatus(404, 409));
}

/** Creates the stack's network unless it exists; true when this call created it. */
export async function ensureNetwork(docker: Docker, stack: StackSpec): Promise<boolean> {
  const existing = await docker.listNetworks({ filters: JSON.stringify({ name: [stack.networkName] }) });
  if (existing.some((n) => n.Name === stack.networkName)) return false;
  await docker.createNetwork({ Name: stack.networkName, Driver: 'bridge', Labels: { [LABEL_PROJECT]: stack.project } }).catch(ignoreStatus(409));
  return true;
}

export async function removeNetwork(docker: Docker, project: string): Promise<void> {
  const networks = await docker.listNetworks({ filters: byProject(project) });
  for (const n of networks) await docker.getNetwork(n.Id).remove().catch(ignoreStatus(404));
}

/** The stack's data and secrets volumes. */
export async function removeVolumes(docker: Docker, project: string): Promise<void> {
  const { Volumes } = await docker.listVolumes({ filters: byProject(project) });
  for (const v of Volumes ?? []) await docker.getVolume(v.Name).remove().catch(ignoreStatus(404));
}

/** A container with its anonymous volumes; one already gone is fine. */
export async function removeContainer(docker: Docker, id: string): Promise<void> {
  await docker.getContainer(id).remove({ force: true, v: true }).catch(ignoreStatus(404));
}

/**
 * Stops and removes these service containers in reverse start order: Grafana and Prometheus go
 * before what they watch, so a stopping stack raises no alert. Containers no spec describes go last.
 */
export async function removeServiceContainers(
  docker: Docker,
  stack: StackSpec,
  containers: Docker.ContainerInfo[],
  onStep: (name: string, step: 'stop' | 'remove', message: string) => void,
): Promise<void> {
  const reversed = [...stack.services].reverse();
  const rank = (c: Docker.ContainerInfo) => {
    const i = reversed.findIndex((spec) => runs(c, spec));
    return i === -1 ? reversed.length : i;
  };
  for (const info of [...containers].sort((a, b) => rank(a) - rank(b))) {
    const name = stack.services.find((s) => runs(info, s))?.id ?? info.Names[0]?.slice(1) ?? info.Id;
    onStep(name, 'stop', `Stopping ${name}`);
    if (info.State === 'running' || info.State === 'restarting') await docker.getContainer(info.Id).stop({ t: 10 }).catch(ignoreStatus(304, 404));
    onStep(name, 'remove', `Removing ${name}`);
    await removeContainer(docker, info.Id);
  }
}

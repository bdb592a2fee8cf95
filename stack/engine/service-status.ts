import type Docker from 'dockerode';
import { isServiceReady } from './readiness';
import { publishedPort, serviceSettingsOf, type Settings } from '../../electron/api/schemas/settings';
import type { ServiceSpec } from '../spec/stack-spec';
import type { ContainerState, ServiceHealth, ServiceName, ServiceStatus } from '../../electron/api/schemas/stack-status';

/** A service switched off in the settings: listed all the same, with where it would run. */
export function disabledStatus(settings: Settings, name: ServiceName): ServiceStatus {
  const { image } = serviceSettingsOf(settings, name);
  const port = publishedPort(settings, name);
  return { id: name, name, worker: null, runtime: 'container', enabled: false, image, port, url: urlOf(port), state: 'missing', health: 'none', containerId: null, pid: null, startedAt: null, restarts: 0 };
}

const urlOf = (port: number | null) => (port === null ? null : `http://127.0.0.1:${port}`);

/** One service's status from its container (none when it has no container). */
export async function serviceStatus(docker: Docker, spec: ServiceSpec, info: Docker.ContainerInfo | undefined): Promise<ServiceStatus> {
  const state = (info?.State ?? 'missing') as ContainerState;
  let health: ServiceHealth = 'none';
  let startedAt: string | null = null;
  let restarts = 0;
  if (info) {
    const detail = await docker.getContainer(info.Id).inspect().catch(() => null);
    restarts = detail?.RestartCount ?? 0;
    if (state === 'running') {
      startedAt = detail?.State.StartedAt ?? null;
      // Docker's own healthcheck decides "unhealthy" (it needs several failures in a row); the
      // host-side probe decides "healthy" at once, without waiting for the next check.
      if (detail?.State.Health?.Status === 'unhealthy') health = 'unhealthy';
      else health = (await isServiceReady(docker, spec)) ? 'healthy' : 'starting';
    }
  }
  return {
    id: spec.id,
    name: spec.service,
    worker: spec.worker,
    runtime: 'container',
    enabled: true,
    image: info?.Image ?? (spec.image || 'built from inference/Dockerfile'),
    port: spec.hostPort,
    url: urlOf(spec.hostPort),
    state,
    health,
    containerId: info?.Id ?? null,
    pid: null,
    startedAt,
    restarts,
  };
}

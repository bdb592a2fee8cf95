import type Docker from 'dockerode';
import { LABEL_PROJECT } from '../spec/stack-spec';

/**
 * What a test's stack left on the engine, found by its project label: the names of its
 * containers (running or not), networks and volumes. A clean `down()` and `removeData()` leave
 * three empty lists.
 */
export async function projectLeftovers(docker: Docker, project: string): Promise<{ containers: string[]; networks: string[]; volumes: string[] }> {
  const filters = JSON.stringify({ label: [`${LABEL_PROJECT}=${project}`] });
  const [containers, networks, volumes] = await Promise.all([docker.listContainers({ all: true, filters }), docker.listNetworks({ filters }), docker.listVolumes({ filters })]);
  return {
    containers: containers.map((c) => c.Names[0] ?? c.Id),
    networks: networks.map((n) => n.Name),
    volumes: (volumes.Volumes ?? []).map((v) => v.Name),
  };
}

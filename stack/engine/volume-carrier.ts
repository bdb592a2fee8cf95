import type Docker from 'dockerode';
import { LABEL_HELPER, LABEL_PROJECT } from '../spec/stack-spec';

/** Where a carrier mounts its volume. */
export const CARRIER_MOUNT = '/volume';

export interface CarrierOptions {
  volume: string;
  /** Labels of the volume when it is made (the project's is always there). */
  volumeLabels?: Record<string, string>;
  project: string;
  /** An image on the engine; the carrier never runs it. */
  image: string;
  /** What the carrier is for, as its helper label says. */
  helper: string;
}

/**
 * Runs `work` with a container that holds a volume (made if absent) at CARRIER_MOUNT and is never
 * started: files go in and out through the engine's archive API, with no shell and no host path,
 * over any engine link (a local socket, SSH, TLS). The carrier goes afterwards, whatever happens.
 */
export async function withVolumeCarrier<T>(docker: Docker, o: CarrierOptions, work: (carrier: Docker.Container) => Promise<T>): Promise<T> {
  await docker.createVolume({ Name: o.volume, Labels: { ...o.volumeLabels, [LABEL_PROJECT]: o.project } }).catch((err: { statusCode?: number }) => {
    if (err.statusCode !== 409) throw err;
  });
  const carrier = await docker.createContainer({
    Image: o.image,
    Labels: { [LABEL_PROJECT]: o.project, [LABEL_HELPER]: o.helper },
    Entrypoint: ['/bin/true'],
    NetworkDisabled: true,
    HostConfig: { Mounts: [{ Type: 'volume', Source: o.volume, Target: CARRIER_MOUNT }] },
  });
  try {
    return await work(carrier);
  } finally {
    // With its volumes: the image's own VOLUME would otherwise leave an anonymous one behind.
    await carrier.remove({ force: true, v: true }).catch(() => undefined);
  }
}

import type Docker from 'dockerode';
import { pack } from 'tar-stream';
import { CARRIER_MOUNT, withVolumeCarrier } from './volume-carrier';

export interface VolumeSecret {
  name: string;
  content: string;
  /** The container user that must read it; nobody else can. */
  uid: number;
  gid?: number;
}

/**
 * Writes secret files into a Docker volume, owned by the reading container's user with mode 0400,
 * without a shell or a world-readable host file: a container is created (never started) with the
 * volume mounted, and the files go in through the engine's archive API.
 */
export async function writeVolumeSecrets(docker: Docker, opts: { volume: string; project: string; image: string; secrets: VolumeSecret[] }): Promise<void> {
  await withVolumeCarrier(docker, { volume: opts.volume, project: opts.project, image: opts.image, helper: 'secrets-carrier' }, async (carrier) => {
    const tar = pack();
    for (const s of opts.secrets) {
      tar.entry({ name: s.name, mode: 0o400, uid: s.uid, gid: s.gid ?? s.uid }, s.content);
    }
    tar.finalize();
    const chunks: Buffer[] = [];
    for await (const chunk of tar) chunks.push(chunk as Buffer);
    await carrier.putArchive(Buffer.concat(chunks), { path: CARRIER_MOUNT });
  });
}

import type Docker from 'dockerode';
import { pack } from 'tar-stream';
import { LABEL_HELPER, LABEL_PROJECT } from '../spec/stack-spec';

export interface VolumeSecret {
  name: string;
  content: string;
  /** The container user that must read it; nobody else can. */
  uid: number;
  gid?: number;
}

const MOUNT = '/volume';

/**
 * Writes secret files into a Docker volume, owned by the reading container's user with mode 0400,
 * without a shell or a world-readable host file: a container is created (never started) with the
 * volume mounted, and the files go in through the engine's archive API.
 */
export async function writeVolumeSecrets(docker: Docker, opts: { volume: string; project: string; image: string; secrets: VolumeSecret[] }): Promise<void> {
  await docker.createVolume({ Name: opts.volume, Labels: { [LABEL_PROJECT]: opts.project } }).catch((err: { statusCode?: number }) => {
    if (err.statusCode !== 409) throw err;
  });
  const carrier = await docker.createContainer({
    Image: opts.image,
    Labels: { [LABEL_PROJECT]: opts.project, [LABEL_HELPER]: 'secrets-carrier' },
    Entrypoint: ['/bin/true'],
    NetworkDisabled: true,
    HostConfig: { Mounts: [{ Type: 'volume', Source: opts.volume, Target: MOUNT }] },
  });
  try {
    const tar = pack();
    for (const s of opts.secrets) {
      tar.entry({ name: s.name, mode: 0o400, uid: s.uid, gid: s.gid ?? s.uid }, s.content);
    }
    tar.finalize();
    const chunks: Buffer[] = [];
    for await (const chunk of tar) chunks.push(chunk as Buffer);
    await carrier.putArchive(Buffer.concat(chunks), { path: MOUNT });
  } finally {
    // With its volumes: the image's own VOLUME would otherwise leave an anonymous one behind.
    await carrier.remove({ force: true, v: true }).catch(() => undefined);
  }
}

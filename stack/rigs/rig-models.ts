import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { pack } from 'tar-stream';
import type { ImageProgress } from '../engine/image-provider';
import { CARRIER_MOUNT, withVolumeCarrier } from '../engine/volume-carrier';
import { LABEL_PROJECT } from '../spec/stack-spec';
import { LABEL_RIG } from './rig-workers';

/** Marks a rig's models volume as a copy of this machine's models directory. */
export const LABEL_MODELS = 'io.rx580-ops.models';
/** Written last: a volume without it is a copy that was cut short, and is made again. */
const COMPLETE_FILE = '.rx580-ops-complete';

export interface ModelsFile {
  /** Relative to the models directory, with forward slashes. */
  path: string;
  size: number;
  mtimeMs: number;
}

export interface ModelsManifest {
  files: ModelsFile[];
  bytes: number;
  /** Of every file's path, size and modification time: a change to any names a new copy. */
  hash: string;
}

/** The models directory's regular files (links followed), sorted, with their sizes and times. */
export async function modelsManifest(dir: string): Promise<ModelsManifest> {
  const files: ModelsFile[] = [];
  const walk = async (at: string): Promise<void> => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      const info = await stat(path);
      if (info.isDirectory()) await walk(path);
      else if (info.isFile()) files.push({ path: relative(dir, path).split(sep).join('/'), size: info.size, mtimeMs: Math.trunc(info.mtimeMs) });
    }
  };
  await walk(dir);
  // By code unit, not locale: the same order, and so the same hash, on every machine.
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const hash = createHash('sha256');
  for (const f of files) hash.update(`${f.path}\0${f.size}\0${f.mtimeMs}\n`);
  return { files, bytes: files.reduce((n, f) => n + f.size, 0), hash: hash.digest('hex') };
}

/** A rig's copy of the models, named by their manifest: another manifest, another volume. */
export const rigModelsVolume = (project: string, rig: string, manifest: ModelsManifest) => `${project}-${rig}-models-${manifest.hash.slice(0, 12)}`;

interface CopyOptions {
  project: string;
  rig: string;
  /** An image on the rig, whose container carries the files in (it is never started). */
  image: string;
  onProgress: (p: ImageProgress) => void;
}

/**
 * Puts this machine's models directory on a rig as a volume, unless the rig has a whole copy of
 * the same files: streamed through the engine's archive API (over the rig's SSH or TLS link),
 * readable by the workers' user, with byte progress. Resolves with the volume's name.
 */
export async function copyModelsToRig(docker: Docker, dir: string, manifest: ModelsManifest, o: CopyOptions): Promise<string> {
  const volume = rigModelsVolume(o.project, o.rig, manifest);
  const labels = { [LABEL_RIG]: o.rig, [LABEL_MODELS]: manifest.hash };
  await withVolumeCarrier(docker, { volume, volumeLabels: labels, project: o.project, image: o.image, helper: 'models-carrier' }, async (carrier) => {
    // HEAD: asks whether the mark is there, with no archive body left unread on the link.
    const complete = await carrier.infoArchive({ path: `${CARRIER_MOUNT}/${COMPLETE_FILE}` }).then(
      () => true,
      (err: { statusCode?: number }) => (err.statusCode === 404 ? false : Promise.reject(err)),
    );
    if (complete) return;
    const archive = Readable.from(modelsArchive(dir, manifest, o.onProgress), { objectMode: false });
    // A piped stream that fails does not end the engine's request: it is aborted, with the reason.
    const abort = new AbortController();
    let failure: Error | undefined;
    archive.once('error', (err: Error) => {
      failure = err;
      abort.abort();
    });
    await carrier.putArchive(archive, { path: CARRIER_MOUNT, abortSignal: abort.signal }).catch((err: unknown) => {
      // A file that went or shrank after the manifest was read: the copy stops, never marked whole.
      throw failure ? new Error(`a models file changed while it was copied to the rig: ${failure.message}`) : err;
    });
  });
  return volume;
}

/** The files as a tar stream, read one at a time (models are large), the completion mark last. */
function modelsArchive(dir: string, manifest: ModelsManifest, onProgress: (p: ImageProgress) => void) {
  const tar = pack();
  const entry = { mode: 0o644, uid: 0, gid: 0 };
  let sent = 0;
  let told = 0;
  const tell = (force: boolean) => {
    // Large models come in 64 KB chunks: told twice a second, not thousands of times.
    if (!force && Date.now() - told < 500) return;
    told = Date.now();
    onProgress({ message: 'Copying the models to the rig', current: sent, total: manifest.bytes });
  };
  /** One file's entry; rejects when it holds fewer bytes than the manifest says (tar-stream's size check). */
  const addFile = (f: ModelsFile) =>
    new Promise<void>((resolve, reject) => {
      const sink = tar.entry({ ...entry, name: f.path, size: f.size }, (err) => (err ? reject(err) : resolve()));
      sink.on('error', reject);
      void (async () => {
        if (f.size > 0) {
          for await (const chunk of createReadStream(join(dir, f.path), { end: f.size - 1 })) {
            if (!sink.write(chunk)) await new Promise<void>((r) => sink.once('drain', () => r()));
            sent += (chunk as Buffer).length;
            tell(false);
          }
        }
        sink.end(undefined);
      })().catch((err: Error) => sink.destroy(err));
    });
  void (async () => {
    try {
      for (const f of manifest.files) await addFile(f);
      tar.entry({ ...entry, name: COMPLETE_FILE }, `${manifest.hash}\n`);
      tell(true);
      tar.finalize();
    } catch (err) {
      tar.destroy(err as Error);
    }
  })();
  return tar;
}

/** The rig's models volumes other than the one its workers now use (a copy of older models). */
export async function removeOtherModelVolumes(docker: Docker, project: string, rig: string, keep: string | null): Promise<void> {
  const { Volumes } = await docker.listVolumes({ filters: { label: [`${LABEL_PROJECT}=${project}`, `${LABEL_RIG}=${rig}`, LABEL_MODELS] } });
  for (const v of Volumes ?? []) {
    // One still mounted (a worker that did not stop) stays until the next start.
    if (v.Name !== keep) await docker.getVolume(v.Name).remove().catch(() => undefined);
  }
}

import type Docker from 'dockerode';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pack } from 'tar-stream';
import { SERVICE_VERSION } from '../../inference/service-version';
import { ConsoleError } from '../console-error';

/**
 * The inference service's container image (inference/Dockerfile), built by the console through
 * the engine. The tag is a hash of exactly what goes into the build, so an unchanged context is an
 * unchanged tag and the console skips the build.
 */

export const INFERENCE_IMAGE_REPOSITORY = 'rx580-ops/inference';
export const INFERENCE_DOCKERFILE = 'inference/Dockerfile';

const BUNDLE = 'dist/inference.js';
const MODELS_DIR = 'assets/models';
/** Lines of build output a failure reports. */
const FAILURE_TAIL = 15;

export interface InferenceBuildContext {
  /** An uncompressed tar of the files below, paths relative to the repository root. */
  tar: Buffer;
  files: string[];
  /** sha256 (hex) over every file's path and content, and the base image's name. */
  hash: string;
  tag: string;
}

export interface BuildProgress {
  message: string;
  /** The Dockerfile step being run (1-based), of `total`. */
  current: number;
  total: number;
}

export interface BuildInferenceImageOptions {
  appRoot: string;
  /** `inference.baseImage`: the official node image, or the local stand-in in CI. */
  baseImage: string;
  onProgress?: (progress: BuildProgress) => void;
}

/** The build context: the Dockerfile, the image's package manifest and lock, the bundle and the demo models. */
export async function inferenceBuildContext(appRoot: string, baseImage: string): Promise<InferenceBuildContext> {
  if (!existsSync(join(appRoot, BUNDLE))) {
    throw new ConsoleError('INFERENCE_NOT_BUILT', `${BUNDLE} is missing in ${appRoot}: run \`npm run build\` first, then build the inference image again.`, 409);
  }
  const models = (await readdir(join(appRoot, MODELS_DIR), { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => relative(appRoot, join(e.parentPath, e.name)).split(sep).join('/'));
  const optional = [`${BUNDLE}.map`].filter((f) => existsSync(join(appRoot, f)));
  const files = [INFERENCE_DOCKERFILE, 'inference/package.json', 'inference/package-lock.json', BUNDLE, ...optional, ...models].sort();

  const hash = createHash('sha256').update(`base ${baseImage}\0`);
  const tar = pack();
  for (const file of files) {
    const content = await readFile(join(appRoot, file));
    hash.update(`${file}\0${content.length}\0`).update(content);
    // A fixed time: the same files make the same tar.
    tar.entry({ name: file, size: content.length, mode: 0o644, mtime: new Date(0) }, content);
  }
  tar.finalize();
  const digest = hash.digest('hex');
  return { tar: await buffer(tar), files, hash: digest, tag: `${INFERENCE_IMAGE_REPOSITORY}:${digest.slice(0, 12)}` };
}

/** A classic builder's `Step 3/12 : RUN …` line as progress; null for any other line. */
export function parseBuildStep(line: string): BuildProgress | null {
  const m = /^Step (\d+)\/(\d+) : (.*)$/.exec(line.trim());
  return m ? { message: m[3]!, current: Number(m[1]), total: Number(m[2]) } : null;
}

interface BuildEvent {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/** Builds the inference image unless its tag exists already; returns the tag. */
export async function buildInferenceImage(docker: Docker, options: BuildInferenceImageOptions): Promise<string> {
  const { baseImage } = options;
  const context = await inferenceBuildContext(options.appRoot, baseImage);
  const exists = await docker
    .getImage(context.tag)
    .inspect()
    .then(() => true, () => false);
  if (exists) return context.tag;

  const tail: string[] = [];
  const keep = (text: string) => {
    // The builder colours the steps' stderr; a message is plain text.
    for (const line of text.replace(/\x1b\[[0-9;]*m/g, '').split('\n')) if (line.trim()) tail.push(line.trimEnd());
    tail.splice(0, Math.max(0, tail.length - FAILURE_TAIL));
  };
  const failed = (reason: string) =>
    new ConsoleError('IMAGE_BUILD_FAILED', `The inference image ${context.tag} did not build (${reason}). Last lines of the build:\n${tail.join('\n')}`, 500);
  try {
    const stream = await docker.buildImage(Readable.from([context.tar]), {
      t: context.tag,
      dockerfile: INFERENCE_DOCKERFILE,
      buildargs: { BASE_IMAGE: baseImage },
      labels: {
        'org.opencontainers.image.version': SERVICE_VERSION,
        'org.opencontainers.image.base.name': baseImage,
        'io.rx580-ops.inference.context-sha256': context.hash,
      },
      // The classic builder (its `Step N/M` lines are the progress); no intermediate containers left behind.
      version: '1',
      rm: true,
      forcerm: true,
    });
    const buildError = await new Promise<string | null>((resolve, reject) => {
      let error: string | null = null;
      docker.modem.followProgress(
        stream,
        (err: Error | null) => (err ? reject(err) : resolve(error)),
        (event: BuildEvent) => {
          const text = event.stream ?? event.status ?? '';
          keep(text);
          for (const line of text.split('\n')) {
            const step = parseBuildStep(line);
            if (step) options.onProgress?.(step);
          }
          if (event.error) {
            error = event.errorDetail?.message ?? event.error;
            keep(error);
          }
        },
      );
    });
    if (buildError) throw failed(buildError);
  } catch (err) {
    if (err instanceof ConsoleError) throw err;
    throw failed((err as Error).message);
  }
  return context.tag;
}

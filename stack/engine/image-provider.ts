import type Docker from 'dockerode';
import { buildInferenceImage } from './inference-image';
import { envNameOf } from '../../electron/api/schemas/settings';
import { StackError } from './stack-errors';
import type { ServiceSpec } from '../spec/stack-spec';

export interface ImageProgress {
  message: string;
  current: number | null;
  total: number | null;
}

export interface ImageProviderOptions {
  docker: Docker;
  /** Where inference/Dockerfile and the built service are (the app's root). */
  appRoot: string | null;
  baseImage: string;
}

/**
 * Makes sure each service's image is on this machine: pulled from its registry with per-layer
 * byte progress, or, for the inference service without a registry image, built here from
 * inference/Dockerfile with per-step progress (once for all its workers).
 */
export class ImageProvider {
  private built: Promise<string> | null = null;

  constructor(private readonly options: ImageProviderOptions) {}

  /** The image reference the service's containers run. */
  async ensure(spec: ServiceSpec, onProgress: (p: ImageProgress) => void): Promise<string> {
    if (spec.build) return this.build(onProgress);
    if (await this.exists(spec.image)) return spec.image;
    await this.pull(spec, onProgress);
    return spec.image;
  }

  private build(onProgress: (p: ImageProgress) => void): Promise<string> {
    const { docker, appRoot, baseImage } = this.options;
    if (!appRoot) throw new StackError('IMAGE_MISSING', 'The inference image cannot be built here (no app root): set inference.image to a registry image.');
    this.built ??= buildInferenceImage(docker, { appRoot, baseImage, onProgress }).finally(() => {
      // A later start builds again if the sources changed meanwhile (a new tag), else finds it.
      this.built = null;
    });
    return this.built;
  }

  private async exists(image: string): Promise<boolean> {
    try {
      await this.options.docker.getImage(image).inspect();
      return true;
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return false;
      throw err;
    }
  }

  private async pull(spec: ServiceSpec, onProgress: (p: ImageProgress) => void): Promise<void> {
    const { docker } = this.options;
    const message = `Pulling ${spec.image}`;
    onProgress({ message, current: 0, total: null });
    try {
      const stream = await docker.pull(spec.image);
      const layers = new Map<string, { current: number; total: number }>();
      await new Promise<void>((resolve, reject) => {
        docker.modem.followProgress(
          stream,
          (err: Error | null) => (err ? reject(err) : resolve()),
          (event: { id?: string; progressDetail?: { current?: number; total?: number } }) => {
            if (!event.id || !event.progressDetail?.total) return;
            layers.set(event.id, { current: event.progressDetail.current ?? 0, total: event.progressDetail.total });
            let current = 0;
            let total = 0;
            for (const l of layers.values()) {
              current += l.current;
              total += l.total;
            }
            onProgress({ message, current, total });
          },
        );
      });
    } catch (err) {
      throw new StackError(
        'IMAGE_MISSING',
        `Image ${spec.image} for ${spec.service} is not on this machine and could not be pulled (${(err as Error).message}). ` +
          `Pull it, or set ${envNameOf(`${spec.service}.image`)} to an image you have.`,
      );
    }
  }
}

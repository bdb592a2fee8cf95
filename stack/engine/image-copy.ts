import type Docker from 'dockerode';
import type { ImageProgress } from './image-provider';

async function inspectImage(docker: Docker, image: string): Promise<Docker.ImageInspectInfo | null> {
  try {
    return await docker.getImage(image).inspect();
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return null;
    throw err;
  }
}

/**
 * Puts an image of this machine's engine on a rig's, unless the rig has the very same (by id):
 * `docker save` here streamed into `docker load` there, with byte progress. A rig needs no
 * registry, and the workers everywhere run exactly the image built and tested here.
 */
export async function copyImageToRig(local: Docker, rig: Docker, image: string, onProgress: (p: ImageProgress) => void): Promise<void> {
  const [here, there] = await Promise.all([inspectImage(local, image), inspectImage(rig, image)]);
  if (!here) throw new Error(`image ${image} is not on this machine`);
  if (here.Id === there?.Id) return;
  const total = here.Size;
  const saved = await local.getImage(image).get();
  let sent = 0;
  let told = 0;
  saved.on('data', (chunk: Buffer) => {
    sent += chunk.length;
    // A few hundred MB come in 64 KB chunks: told twice a second, not thousands of times.
    if (Date.now() - told < 500) return;
    told = Date.now();
    onProgress({ message: `Copying ${image} to the rig`, current: sent, total });
  });
  const answer = await rig.loadImage(saved);
  // The engine reports a failed load in its answer stream, not as an HTTP error.
  const text = await new Promise<string>((resolve, reject) => {
    let body = '';
    answer.on('data', (d: Buffer) => (body += d.toString('utf8')));
    answer.on('end', () => resolve(body));
    answer.on('error', reject);
  });
  const error = /"error(?:Detail)?":\s*"?([^"}]+)/.exec(text)?.[1];
  if (error) throw new Error(`the rig refused ${image}: ${error}`);
  if ((await inspectImage(rig, image))?.Id !== here.Id) throw new Error(`${image} did not arrive on the rig whole`);
}

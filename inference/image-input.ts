import sharp from 'sharp';
import { InferenceError } from './inference-errors';
import type { ImageInputSpec } from './model-sidecar';

/** Decompression bombs: refuse images with more pixels than this before decoding them. */
const MAX_INPUT_PIXELS = 40_000_000;

/**
 * Turns PNG or JPEG bytes into the float tensor a model's sidecar describes: resized (stretched)
 * to its size with sharp, 1 or 3 channels, scaled to 0..1, normalised per channel with mean and
 * std, laid out NCHW or NHWC with a batch of one. Runs on libuv's pool, off the event loop.
 */
export async function imageToTensor(bytes: Buffer, spec: ImageInputSpec): Promise<{ data: Float32Array; dims: number[] }> {
  let format: string | undefined;
  let pixelCount = 0;
  try {
    // Header only (no decoding): a decompression bomb is refused before it costs memory.
    const meta = await sharp(bytes, { limitInputPixels: false }).metadata();
    format = meta.format;
    pixelCount = (meta.width ?? 0) * (meta.height ?? 0);
  } catch {
    throw new InferenceError('INVALID_IMAGE', 'The image could not be read: it is not a PNG or JPEG file, or it is corrupt.', 400);
  }
  if (format !== 'png' && format !== 'jpeg') {
    throw new InferenceError('UNSUPPORTED_IMAGE', `Images must be PNG or JPEG; this one is ${format ?? 'of an unknown format'}.`, 415);
  }
  if (pixelCount > MAX_INPUT_PIXELS) {
    throw new InferenceError('IMAGE_TOO_LARGE', `The image has ${pixelCount} pixels; at most ${MAX_INPUT_PIXELS} are accepted.`, 413);
  }
  const { width, height, channels, layout } = spec;
  let pixels: Buffer;
  try {
    let pipeline = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' }).resize(width, height, { fit: 'fill' });
    pipeline = channels === 1 ? pipeline.greyscale() : pipeline.removeAlpha().toColourspace('srgb');
    const out = await pipeline.raw().toBuffer({ resolveWithObject: true });
    if (out.info.channels !== channels) throw new Error(`decoded ${out.info.channels} channels`);
    pixels = out.data;
  } catch {
    throw new InferenceError('INVALID_IMAGE', 'The image is corrupt or truncated and could not be decoded.', 400);
  }
  // (v / 255 - mean) / std as one multiply-add per value, a channel at a time: the per-pixel
  // form cost more than decoding the image did.
  const area = width * height;
  const data = new Float32Array(area * channels);
  for (let c = 0; c < channels; c++) {
    const std = spec.std[c] ?? spec.std[0] ?? 1;
    const scale = 1 / (255 * std);
    const offset = -(spec.mean[c] ?? spec.mean[0] ?? 0) / std;
    const [start, step] = layout === 'NCHW' ? [c * area, 1] : [c, channels];
    for (let p = 0, i = c, o = start; p < area; p++, i += channels, o += step) data[o] = pixels[i]! * scale + offset;
  }
  return { data, dims: layout === 'NCHW' ? [1, channels, height, width] : [1, height, width, channels] };
}

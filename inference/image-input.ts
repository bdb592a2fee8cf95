import sharp, { type Metadata } from 'sharp';
import { InferenceError } from './inference-errors';
import type { ImageInputSpec } from './model-sidecar';

/** Decompression bombs: refuse images with more pixels than this before decoding them. */
const MAX_INPUT_PIXELS = 40_000_000;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_SIGNATURE = Buffer.from([0xff, 0xd8, 0xff]);

const isPngOrJpeg = (bytes: Buffer) => bytes.subarray(0, 8).equals(PNG_SIGNATURE) || bytes.subarray(0, 3).equals(JPEG_SIGNATURE);

/**
 * Turns PNG or JPEG bytes into the float tensor a model's sidecar describes: resized (stretched)
 * to its size with sharp, 1 or 3 channels, scaled to 0..1, normalised per channel with mean and
 * std, laid out NCHW or NHWC with a batch of one. Decoding and resizing run on libuv's pool, off
 * the event loop; what stays on it is one pass over the resized pixels.
 */
export async function imageToTensor(bytes: Buffer, spec: ImageInputSpec): Promise<{ data: Float32Array; dims: number[] }> {
  // The signature, not a metadata() call: that would be one more trip through the pool per request.
  if (!isPngOrJpeg(bytes)) throw await notPngOrJpeg(bytes);
  const { width, height, channels, layout } = spec;
  let pixels: Buffer;
  try {
    // libvips checks the pixel limit from the header: a decompression bomb is refused before it costs memory.
    let pipeline = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' }).resize(width, height, { fit: 'fill' });
    pipeline = channels === 1 ? pipeline.greyscale() : pipeline.removeAlpha().toColourspace('srgb');
    const out = await pipeline.raw().toBuffer({ resolveWithObject: true });
    if (out.info.channels !== channels) throw new Error(`decoded ${out.info.channels} channels`);
    pixels = out.data;
  } catch (err) {
    if (/pixel limit/i.test((err as Error).message)) throw await tooLarge(bytes);
    throw new InferenceError('INVALID_IMAGE', 'The image is corrupt or truncated and could not be decoded.', 400);
  }
  return { data: normalise(pixels, spec), dims: layout === 'NCHW' ? [1, channels, height, width] : [1, height, width, channels] };
}

/**
 * (v / 255 - mean) / std as one multiply-add per value, in one pass over the pixels writing every
 * channel: a pass per channel cost 1.6x this, and a per-pixel division more than decoding did.
 */
function normalise(pixels: Buffer, { width, height, channels, layout, mean, std }: ImageInputSpec): Float32Array {
  const area = width * height;
  const data = new Float32Array(area * channels);
  const scale = Array.from({ length: channels }, (_, c) => 1 / (255 * (std[c] ?? std[0] ?? 1)));
  const offset = Array.from({ length: channels }, (_, c) => -(mean[c] ?? mean[0] ?? 0) / (std[c] ?? std[0] ?? 1));
  if (channels === 1) {
    const [s, o] = [scale[0]!, offset[0]!];
    for (let p = 0; p < area; p++) data[p] = pixels[p]! * s + o;
    return data;
  }
  const [s0, s1, s2, o0, o1, o2] = [scale[0]!, scale[1]!, scale[2]!, offset[0]!, offset[1]!, offset[2]!];
  if (layout === 'NHWC') {
    for (let i = 0; i < area * 3; i += 3) {
      data[i] = pixels[i]! * s0 + o0;
      data[i + 1] = pixels[i + 1]! * s1 + o1;
      data[i + 2] = pixels[i + 2]! * s2 + o2;
    }
    return data;
  }
  const [r, g, b] = [data.subarray(0, area), data.subarray(area, 2 * area), data.subarray(2 * area)];
  for (let p = 0, i = 0; p < area; p++, i += 3) {
    r[p] = pixels[i]! * s0 + o0;
    g[p] = pixels[i + 1]! * s1 + o1;
    b[p] = pixels[i + 2]! * s2 + o2;
  }
  return data;
}

/** The header's description, or null for bytes sharp cannot read (it throws at once on an empty buffer). */
async function header(bytes: Buffer): Promise<Metadata | null> {
  try {
    return await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    return null;
  }
}

/** Another format (415) or no image at all (400): only a refused request pays for asking sharp which. */
async function notPngOrJpeg(bytes: Buffer): Promise<InferenceError> {
  const format = (await header(bytes))?.format;
  if (!format) return new InferenceError('INVALID_IMAGE', 'The image could not be read: it is not a PNG or JPEG file, or it is corrupt.', 400);
  return new InferenceError('UNSUPPORTED_IMAGE', `Images must be PNG or JPEG; this one is ${format}.`, 415);
}

async function tooLarge(bytes: Buffer): Promise<InferenceError> {
  const meta = await header(bytes);
  const count = meta ? `${(meta.width ?? 0) * (meta.height ?? 0)} pixels` : `more than ${MAX_INPUT_PIXELS} pixels`;
  return new InferenceError('IMAGE_TOO_LARGE', `The image has ${count}; at most ${MAX_INPUT_PIXELS} are accepted.`, 413);
}

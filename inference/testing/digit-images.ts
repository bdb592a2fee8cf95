import sharp from 'sharp';
import { DIGIT_SIZE, type DigitSample } from '../demo-models/mnist-digits';

/** A held-out digit as an image file, the way a user would send one. */
export async function digitImage(sample: DigitSample, format: 'png' | 'jpeg' = 'png'): Promise<Buffer> {
  const grey = Buffer.from(Array.from(sample.pixels, (v) => Math.round(v * 255)));
  const image = sharp(grey, { raw: { width: DIGIT_SIZE, height: DIGIT_SIZE, channels: 1 } });
  return format === 'png' ? image.png().toBuffer() : image.jpeg({ quality: 95 }).toBuffer();
}

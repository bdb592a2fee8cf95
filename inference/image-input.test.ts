import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { imageToTensor } from './image-input';
import { imageInputSchema } from './model-sidecar';

// Two pixels, pure red then pure blue, as a PNG.
const redBlue = () =>
  sharp(Buffer.from([255, 0, 0, 0, 0, 255]), { raw: { width: 2, height: 1, channels: 3 } })
    .png()
    .toBuffer();

describe('image to tensor', () => {
  it('lays out NCHW planes and NHWC pixels, normalised per channel', async () => {
    const spec = { width: 2, height: 1, channels: 3 as const, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] };
    const nchw = await imageToTensor(await redBlue(), imageInputSchema.parse({ ...spec, layout: 'NCHW' }));
    expect(nchw.dims).toEqual([1, 3, 1, 2]);
    // R plane (red, blue), G plane, B plane; (x/255 - 0.5) / 0.5 maps 0..255 to -1..1.
    expect(Array.from(nchw.data)).toEqual([1, -1, -1, -1, -1, 1]);
    const nhwc = await imageToTensor(await redBlue(), imageInputSchema.parse({ ...spec, layout: 'NHWC' }));
    expect(nhwc.dims).toEqual([1, 1, 2, 3]);
    expect(Array.from(nhwc.data)).toEqual([1, -1, -1, -1, -1, 1]);
  });

  it("uses each channel's own mean and std", async () => {
    const spec = { width: 2, height: 1, channels: 3 as const, mean: [0.1, 0.2, 0.3], std: [0.5, 0.25, 0.8] };
    const expected = (v: number, c: number) => (v / 255 - spec.mean[c]!) / spec.std[c]!;
    // Pixels: red (255, 0, 0), then blue (0, 0, 255).
    const nchw = await imageToTensor(await redBlue(), imageInputSchema.parse({ ...spec, layout: 'NCHW' }));
    const planes = [expected(255, 0), expected(0, 0), expected(0, 1), expected(0, 1), expected(0, 2), expected(255, 2)];
    Array.from(nchw.data).forEach((v, i) => expect(v).toBeCloseTo(planes[i]!, 5));
    const nhwc = await imageToTensor(await redBlue(), imageInputSchema.parse({ ...spec, layout: 'NHWC' }));
    const pixels = [expected(255, 0), expected(0, 1), expected(0, 2), expected(0, 0), expected(0, 1), expected(255, 2)];
    Array.from(nhwc.data).forEach((v, i) => expect(v).toBeCloseTo(pixels[i]!, 5));
  });

  it('resizes and turns colour into one grey channel when the model wants one', async () => {
    const white = await sharp({ create: { width: 64, height: 40, channels: 4, background: { r: 255, g: 255, b: 255, alpha: 1 } } }).jpeg().toBuffer();
    const t = await imageToTensor(white, imageInputSchema.parse({ width: 28, height: 28, channels: 1 }));
    expect(t.dims).toEqual([1, 1, 28, 28]);
    expect(t.data.every((v) => v > 0.99)).toBe(true);
  });

  it('refuses other formats and corrupt files with clear errors', async () => {
    const spec = imageInputSchema.parse({ width: 2, height: 2 });
    const webp = await sharp({ create: { width: 2, height: 2, channels: 3, background: 'red' } }).webp().toBuffer();
    await expect(imageToTensor(webp, spec)).rejects.toMatchObject({ code: 'UNSUPPORTED_IMAGE', status: 415 });
    await expect(imageToTensor(Buffer.from('nope'), spec)).rejects.toMatchObject({ code: 'INVALID_IMAGE', status: 400 });
    await expect(imageToTensor(Buffer.alloc(0), spec)).rejects.toMatchObject({ code: 'INVALID_IMAGE', status: 400 });
    // 8000x8000 of one colour compresses to a few KB: refused from its header, never decoded.
    const bomb = await sharp({ create: { width: 8000, height: 8000, channels: 3, background: 'black' } }).png().toBuffer();
    expect(bomb.length).toBeLessThan(1024 * 1024);
    await expect(imageToTensor(bomb, spec)).rejects.toMatchObject({ code: 'IMAGE_TOO_LARGE', status: 413 });
    const png = await redBlue();
    await expect(imageToTensor(png.subarray(0, 40), spec)).rejects.toMatchObject({ code: 'INVALID_IMAGE', status: 400 });
  });
});

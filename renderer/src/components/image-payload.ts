/**
 * An image file as the base64 the contract carries. Large photos are scaled down in the browser
 * first (the model resizes to its own input size anyway), so they fit the web bridge's body limit.
 */
const MAX_BYTES = 150 * 1024;
const MAX_SIDE = 512;

export const ACCEPTED_IMAGE_TYPES = ['image/png', 'image/jpeg'];

function toBase64(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(new Error('The file could not be read.'));
    reader.readAsDataURL(blob);
  });
}

export async function imagePayload(file: Blob): Promise<string> {
  if (!ACCEPTED_IMAGE_TYPES.includes(file.type)) throw new Error(`Choose a PNG or JPEG image (this file is ${file.type || 'of an unknown type'}).`);
  if (file.size <= MAX_BYTES) return toBase64(file);
  const bitmap = await createImageBitmap(file).catch(() => {
    throw new Error('The image could not be decoded.');
  });
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.9));
  if (!blob) throw new Error('The image could not be scaled down.');
  return toBase64(blob);
}

import type * as ort from 'onnxruntime-node';
import type { ElementTypeInfo, NumericArray } from './element-types';
import { isFiniteHalf } from './float16';
import { invalidInput } from './invalid-input';
import { dimsText, elementCount } from './shapes';
import { bytesOf, makeTensor, outputElementType, stringRefusal } from './tensor-data';

/**
 * Little-endian bytes <-> ort.Tensor, the binary form of the Open Inference Protocol: a numeric
 * element is its typed array's bytes (float16 its half-precision bits, bool one byte, 0 or 1), and
 * a string element (BYTES) a 4-byte little-endian length followed by that many UTF-8 bytes.
 */

const LENGTH_BYTES = 4;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** v2 BYTES elements: each one's length as a little-endian uint32, then its UTF-8 bytes. */
export function encodeBytesElements(values: readonly string[]): Buffer {
  return Buffer.concat(
    values.flatMap((v) => {
      const bytes = Buffer.from(v, 'utf8');
      const length = Buffer.alloc(LENGTH_BYTES);
      length.writeUInt32LE(bytes.length);
      return [length, bytes];
    }),
  );
}

export function decodeBytesElements(bytes: Uint8Array, count: number, label = 'The body'): string[] {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values: string[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + LENGTH_BYTES > buffer.length) throw invalidInput(`${label} ends before string ${i} of ${count} (each is a 4-byte little-endian length, then its bytes).`);
    const length = buffer.readUInt32LE(at);
    at += LENGTH_BYTES;
    if (at + length > buffer.length) throw invalidInput(`${label}'s string ${i} is ${length} bytes long, but only ${buffer.length - at} bytes follow.`);
    let text: string;
    try {
      text = utf8.decode(buffer.subarray(at, at + length));
    } catch {
      throw invalidInput(`${label}'s string ${i} is not valid UTF-8.`);
    }
    const refusal = stringRefusal(text);
    if (refusal) throw invalidInput(`${label}'s string ${i} ${refusal}.`);
    values.push(text);
    at += length;
  }
  if (at !== buffer.length) throw invalidInput(`${label} goes on for ${buffer.length - at} bytes after the ${count} strings its dims call for.`);
  return values;
}

/** Values a type cannot hold exactly or onnxruntime would misread: NaN and infinities, bools other than 0 and 1. */
function refuseValues(info: ElementTypeInfo, values: NumericArray, label: string): void {
  const bad =
    info.kind === 'bool'
      ? (values as Uint8Array).findIndex((v) => v > 1)
      : info.type === 'float16'
        ? (values as Uint16Array).findIndex((v) => !isFiniteHalf(v))
        : info.kind === 'float'
          ? (values as Float32Array).findIndex((v) => !Number.isFinite(v))
          : -1;
  if (bad < 0) return;
  throw invalidInput(info.kind === 'bool' ? `${label}: value ${bad} is ${values[bad]}; a bool byte is 0 or 1.` : `${label}: value ${bad} is not a finite number.`);
}

/** A tensor of `info`'s type from its little-endian bytes; dims against the model are the caller's to have checked. */
export function bytesToTensor(info: ElementTypeInfo, bytes: Uint8Array, dims: readonly number[], label = 'The body'): ort.Tensor {
  const count = elementCount(dims, label);
  if (!info.array) return makeTensor(info, decodeBytesElements(bytes, count, label), dims);
  const need = count * info.bytes!;
  if (bytes.length !== need) throw invalidInput(`${label} has ${bytes.length} bytes, but dims ${dimsText(dims)} of ${info.type} need ${need} (${count} × ${info.bytes}).`);
  // A copy: the body may start at any offset of Node's buffer pool, and typed arrays need alignment.
  const values = new info.array(count);
  bytesOf(values).set(bytes);
  refuseValues(info, values, label);
  return makeTensor(info, values, dims);
}

/** A tensor's values as little-endian bytes (strings as v2 BYTES elements). */
export function tensorToBytes(name: string, tensor: ort.Tensor): Uint8Array {
  const info = outputElementType(name, tensor);
  return info.array ? bytesOf(tensor.data as NumericArray) : encodeBytesElements(tensor.data as string[]);
}

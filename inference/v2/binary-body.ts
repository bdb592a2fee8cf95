import { V2Error } from './v2-error';

/**
 * The binary tensor data extension's body: the JSON inference header, then each binary tensor's
 * bytes in the order the header lists them. `Inference-Header-Content-Length` gives the JSON's
 * length; Content-Length stays the whole body's, as HTTP wants.
 */
export const HEADER_LENGTH = 'inference-header-content-length';

export interface SplitBody {
  /** The inference header's JSON text, parsed by the caller. */
  json: string;
  /** The bytes after the JSON header: every binary tensor, back to back. */
  binary: Buffer;
}

/** Splits a body at the header length the request gave. */
export function splitBinaryBody(body: Buffer, headerLength: string | undefined): SplitBody {
  if (headerLength === undefined) return { json: body.toString('utf8'), binary: Buffer.alloc(0) };
  if (!/^\d+$/.test(headerLength)) throw new V2Error(`The ${HEADER_LENGTH} header must be a whole number of bytes, not "${headerLength}".`);
  const length = Number(headerLength);
  if (length > body.length) throw new V2Error(`The ${HEADER_LENGTH} header says the JSON is ${length} bytes, but the body has only ${body.length}.`);
  return { json: body.toString('utf8', 0, length), binary: body.subarray(length) };
}

/**
 * Hands out the binary section tensor by tensor, in order; what is left over or missing is the
 * client's mistake, named with the sizes.
 */
export class BinaryCursor {
  private offset = 0;

  constructor(private readonly binary: Buffer) {}

  take(size: number, name: string): Buffer {
    if (size > this.binary.length - this.offset) {
      throw new V2Error(`Input "${name}" declares binary_data_size ${size}, but only ${this.binary.length - this.offset} bytes of binary data are left in the body.`);
    }
    const slice = this.binary.subarray(this.offset, this.offset + size);
    this.offset += size;
    return slice;
  }

  /** Every byte was claimed by an input. */
  finish(): void {
    const left = this.binary.length - this.offset;
    if (left > 0) throw new V2Error(`The body has ${left} bytes of binary data that no input's binary_data_size accounts for.`);
  }
}

/**
 * IEEE 754 half precision <-> JavaScript numbers. Node 20 has no Float16Array or Math.f16round,
 * and onnxruntime-node takes and gives float16 tensors as their bits in a Uint16Array.
 */

const view = new DataView(new ArrayBuffer(8));

function roundHalfToEven(x: number): number {
  const floor = Math.floor(x);
  const rest = x - floor;
  return rest > 0.5 || (rest === 0.5 && floor % 2 === 1) ? floor + 1 : floor;
}

/**
 * The half-precision bits nearest to `value`, ties to even, as onnxruntime's Cast rounds. Rounds
 * straight from the double (not through float32, which could round twice); beyond the largest
 * half (65504 plus half a step) is infinity.
 */
export function halfBits(value: number): number {
  if (Number.isNaN(value)) return 0x7e00;
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const magnitude = Math.abs(value);
  if (magnitude >= 65520) return sign | 0x7c00;
  // Subnormal halves are multiples of 2^-24; rounding up from the largest lands on the smallest normal.
  if (magnitude < 2 ** -14) return sign | roundHalfToEven(magnitude * 2 ** 24);
  view.setFloat64(0, magnitude);
  const exponent = ((view.getUint16(0) >>> 4) & 0x7ff) - 1023;
  // Scaling by powers of two is exact, so the only rounding is this one; a carry into bit 10 bumps the exponent.
  const mantissa = roundHalfToEven((magnitude / 2 ** exponent - 1) * 1024);
  return sign | (((exponent + 15) << 10) + mantissa);
}

export function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? Number.NaN : sign * Infinity;
  return sign * (1024 + mantissa) * 2 ** (exponent - 25);
}

export const isFiniteHalf = (bits: number) => (bits & 0x7c00) !== 0x7c00;

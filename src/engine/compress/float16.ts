/**
 * IEEE 754 binary16 ("half", float16) conversions, bit-exact with TF.js's weight decoder (tfjs-core
 * io_utils `getFloat16Decoder`), so a weight Hone rounds to float16 is the weight TF.js loads back.
 */
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The binary16 bits of `x` (first rounded to float32), rounded to nearest, ties to even; overflow gives ±Infinity. */
export function toFloat16Bits(x: number): number {
  f32[0] = x;
  const b = u32[0];
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  let mant = b & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // A subnormal half, m * 2^-24: shift the float's 24-bit significand right by 14 - e, rounding.
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let h = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && (h & 1))) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  // A carry out of the mantissa moves into the exponent, which is the right rounding (up to Infinity).
  if (rem > 0x1000 || (rem === 0x1000 && (h & 1))) h++;
  return sign | h;
}

/** The value of binary16 bits `h`. */
export function fromFloat16Bits(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >>> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 0x1f) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

/** `x` rounded to the nearest float16 value. */
export const roundToFloat16 = (x: number): number => fromFloat16Bits(toFloat16Bits(x));

/** Every value of `a` is a float16 value (so storing it in 16 bits loses nothing). */
export function isFloat16Exact(a: Float32Array): boolean {
  for (let i = 0; i < a.length; i++) if (roundToFloat16(a[i]) !== a[i] && !Number.isNaN(a[i])) return false;
  return true;
}

/** `a` rounded to float16 values, element by element (a new array). */
export const toFloat16Values = (a: Float32Array): Float32Array => a.map(roundToFloat16);

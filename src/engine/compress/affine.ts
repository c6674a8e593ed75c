/**
 * Affine (asymmetric) uniform quantization to b bits with a nudged zero point, as in TFLite's integer
 * quantization (Jacob et al. 2018, arXiv:1712.05877): w ~ (q - z) * scale with q in [0, 2^b - 1].
 * The range always holds 0 and z is an integer, so 0 (a pruned weight) is exactly representable.
 *
 * `scale` is a float32 >= (max - min) / (2^b - 1) (rounded up), z = round(-min / scale), and
 * q = clamp(round(w / scale) + z): the error is at most scale / 2 per weight, plus the float32 rounding
 * of the dequantized value. TF.js stores per-tensor uint8 weights as q with `{scale, min: -z * scale}`
 * and dequantizes q * scale + min in double precision before rounding to float32: exactly the values here.
 */
export interface AffineConfig {
  /** 2..8 */
  bits: number;
  /** `tensor`: one scale; `channel`: one per slice of the last axis (a dense layer's unit, a conv filter). */
  granularity: 'tensor' | 'channel';
}

export interface AffineQuantized {
  q: Uint8Array;
  /** One per group: 1 for `tensor`, the last axis' size for `channel` (element i is in group i % groups). */
  scale: Float32Array;
  zeroPoint: Uint8Array;
  groups: number;
  bits: number;
  /** The dequantized weights: float32 of (q - z) * scale. */
  values: Float32Array;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
/** The smallest float32 >= x (x > 0). */
function float32AtLeast(x: number): number {
  f32[0] = x;
  if (f32[0] < x) u32[0]++;
  return f32[0];
}

/** Scale and zero point of one group with values in [lo, hi] (lo <= 0 <= hi). */
export function groupParams(lo: number, hi: number, levels: number): [number, number] {
  const scale = hi > lo ? float32AtLeast((hi - lo) / levels) : 1;
  return [scale, Math.min(levels, Math.max(0, Math.round(-lo / scale)))];
}

/** Quantizes `w` (row-major, `shape`) to `c.bits` bits; pure. */
export function affineQuantize(w: Float32Array, shape: number[], c: AffineConfig): AffineQuantized {
  const groups = c.granularity === 'channel' ? shape[shape.length - 1] : 1;
  const levels = 2 ** c.bits - 1;
  const lo = new Float64Array(groups);
  const hi = new Float64Array(groups);
  for (let i = 0; i < w.length; i++) {
    const g = i % groups;
    if (w[i] < lo[g]) lo[g] = w[i];
    if (w[i] > hi[g]) hi[g] = w[i];
  }
  const scale = new Float32Array(groups);
  const zeroPoint = new Uint8Array(groups);
  for (let g = 0; g < groups; g++) [scale[g], zeroPoint[g]] = groupParams(lo[g], hi[g], levels);
  const q = new Uint8Array(w.length);
  for (let i = 0; i < w.length; i++) {
    const g = i % groups;
    q[i] = Math.min(levels, Math.max(0, Math.round(w[i] / scale[g]) + zeroPoint[g]));
  }
  return { q, scale, zeroPoint, groups, bits: c.bits, values: dequantize(q, scale, zeroPoint) };
}

/** float32 of (q - z) * scale per element, its group being i % scale.length. */
export function dequantize(q: Uint8Array, scale: Float32Array, zeroPoint: Uint8Array): Float32Array {
  const out = new Float32Array(q.length);
  const groups = scale.length;
  for (let i = 0; i < q.length; i++) out[i] = (q[i] - zeroPoint[i % groups]) * scale[i % groups];
  return out;
}

/**
 * The codes of `w` on the grid of `scale` and `zeroPoint`, or undefined when a value is not exactly on it
 * (the packed format then stores it another way).
 */
export function codesOnGrid(w: Float32Array, scale: Float32Array, zeroPoint: Uint8Array, bits: number): Uint8Array | undefined {
  const levels = 2 ** bits - 1;
  const q = new Uint8Array(w.length);
  const groups = scale.length;
  for (let i = 0; i < w.length; i++) {
    const g = i % groups;
    const c = Math.round(w[i] / scale[g]) + zeroPoint[g];
    if (c < 0 || c > levels || Math.fround((c - zeroPoint[g]) * scale[g]) !== w[i]) return undefined;
    q[i] = c;
  }
  return q;
}

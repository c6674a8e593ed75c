import type { Normalize } from '../../core/spec/types';
import type { Part } from './types';

/** A per-feature affine map x' = (x - shift) / scale, fitted on the training part. */
export interface Normalizer { shift: Float64Array; scale: Float64Array }

/**
 * Fits input normalisation on `train` only (d values per row):
 * - `standard`: per-feature mean and population std (a std of 0 becomes 1);
 * - `minmax`: per-feature min and range, to [0, 1] on train (a range of 0 becomes 1);
 * - `scale`: divide every value by the largest absolute training value (images: 255 -> 1);
 * - `none`: identity.
 */
export function fitNormalizer(kind: Normalize, train: Part, d: number): Normalizer {
  const shift = new Float64Array(d);
  const scale = new Float64Array(d).fill(1);
  const { x, n } = train;
  if (kind === 'none' || n === 0) return { shift, scale };
  if (kind === 'scale') {
    let max = 0;
    for (let i = 0; i < x.length; i++) max = Math.max(max, Math.abs(x[i]));
    return { shift, scale: scale.fill(max > 0 ? max : 1) };
  }
  if (kind === 'minmax') {
    const lo = new Float64Array(d).fill(Infinity);
    const hi = new Float64Array(d).fill(-Infinity);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) {
        const v = x[i * d + j];
        if (v < lo[j]) lo[j] = v;
        if (v > hi[j]) hi[j] = v;
      }
    }
    for (let j = 0; j < d; j++) {
      shift[j] = lo[j];
      scale[j] = hi[j] > lo[j] ? hi[j] - lo[j] : 1;
    }
    return { shift, scale };
  }
  // standard: two passes in float64, which is exact enough and avoids the sum-of-squares cancellation.
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) shift[j] += x[i * d + j];
  for (let j = 0; j < d; j++) shift[j] /= n;
  const ss = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const e = x[i * d + j] - shift[j];
      ss[j] += e * e;
    }
  }
  for (let j = 0; j < d; j++) {
    const std = Math.sqrt(ss[j] / n);
    scale[j] = std > 0 ? std : 1;
  }
  return { shift, scale };
}

/** Applies a fitted normaliser, returning a new part (y is shared, not copied). */
export function applyNormalizer(part: Part, norm: Normalizer): Part {
  const d = norm.shift.length;
  const x = new Float32Array(part.x.length);
  for (let r = 0; r < x.length; r += d) {
    for (let j = 0; j < d; j++) x[r + j] = (part.x[r + j] - norm.shift[j]) / norm.scale[j];
  }
  return { x, y: part.y, n: part.n };
}

/** Mean and population std of the training targets (a std of 0 becomes 1). */
export function fitTarget(train: Part): { mean: number; std: number } {
  let mean = 0;
  for (let i = 0; i < train.n; i++) mean += train.y[i];
  mean = train.n > 0 ? mean / train.n : 0;
  let ss = 0;
  for (let i = 0; i < train.n; i++) ss += (train.y[i] - mean) ** 2;
  const std = train.n > 0 ? Math.sqrt(ss / train.n) : 0;
  return { mean, std: std > 0 ? std : 1 };
}

/** y' = (y - mean) / std, returning a new part (x is shared, not copied). */
export function applyTarget(part: Part, t: { mean: number; std: number }): Part {
  return { x: part.x, y: part.y.map((v) => (v - t.mean) / t.std), n: part.n };
}

/** Back to the target's units: y = y' * std + mean. For predictions made on standardised targets. */
export function unscaleTarget(y: Float32Array, t: { mean: number; std: number }): Float32Array {
  return y.map((v) => v * t.std + t.mean);
}

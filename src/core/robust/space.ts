/**
 * The attack space. Attacks perturb u = (x - lo) / (hi - lo), the raw inputs rescaled to [0, 1]: MNIST
 * pixels / 255, digits grey levels / 16. That is the space eps is quoted in by the papers (eps = 0.3 on
 * MNIST is 0.3 * 255 = 76.5 grey levels), whatever normalisation the run fitted: Hone's normalisation is
 * part of the attacked model (inside the saved model as `hone_*` layers, or the map below in training).
 */
import type { DataSpec } from '../spec/types';

export interface InputRange {
  lo: number;
  hi: number;
  /** How raw inputs map to the attack space, in words, for reports. */
  text: string;
}

/** The valid raw range of a data source whose inputs are bounded (pixels), or undefined. */
export function inputRange(data: Pick<DataSpec, 'source'>): InputRange | undefined {
  if (data.source === 'mnist') return { lo: 0, hi: 255, text: 'u = pixel / 255 (MNIST grey levels 0..255)' };
  if (data.source === 'digits') return { lo: 0, hi: 16, text: 'u = value / 16 (digits grey levels 0..16)' };
  return undefined;
}

/**
 * The per-feature affine map from the attack space to what Hone's network is trained on, x' = a u + b,
 * given the fitted normalisation x' = (x - shift) / scale: a = (hi - lo) / scale, b = (lo - shift) / scale.
 * With `scale` normalisation on MNIST (scale 255) this is the identity.
 */
export function networkMap(range: InputRange, shift: ArrayLike<number>, scale: ArrayLike<number>): { a: Float32Array; b: Float32Array } {
  const a = Float32Array.from(scale, (s) => (range.hi - range.lo) / s);
  const b = Float32Array.from(scale, (s, j) => (range.lo - shift[j]) / s);
  return { a, b };
}

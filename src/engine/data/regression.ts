import type { RegressionData } from '../../core/spec/types';
import { createRng, derive } from '../../core/rng';
import type { Part } from './types';

export interface RegressionSamples extends Part {
  /** The ground-truth coefficients, one per feature (zero for the non-informative ones). */
  coef: Float64Array;
}

/**
 * `make_regression`-like generator (scikit-learn): X ~ N(0, 1) of `samples x features`; the first
 * `informative` features get coefficients 100 * U(0, 1), the rest 0 (informative defaults to all
 * features); y = X coef + bias + noise * N(0, 1). Unlike scikit-learn the informative columns are
 * not permuted. X and y come from independent streams derived from `seed`.
 */
export function makeRegression(spec: Pick<RegressionData, 'samples' | 'features' | 'noise' | 'bias'> & { informative?: number }, seed: number): RegressionSamples {
  const { samples: n, features: d, noise, bias } = spec;
  if (!Number.isInteger(n) || n < 1) throw new Error(`regression: samples must be a positive integer, got ${n}`);
  if (!Number.isInteger(d) || d < 1) throw new Error(`regression: features must be a positive integer, got ${d}`);
  const informative = Math.min(spec.informative ?? d, d);

  const coefRng = createRng(derive(seed, 'regression', 'coef'));
  const coef = new Float64Array(d);
  for (let j = 0; j < informative; j++) coef[j] = 100 * coefRng.next();

  const xRng = createRng(derive(seed, 'regression', 'x'));
  const x = new Float32Array(n * d);
  for (let i = 0; i < x.length; i++) x[i] = xRng.normal();

  const noiseRng = createRng(derive(seed, 'regression', 'noise'));
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    // From the stored float32 inputs, so that y = X coef + bias holds exactly on the data (up to y's rounding).
    let s = bias;
    for (let j = 0; j < d; j++) s += x[i * d + j] * coef[j];
    y[i] = noise > 0 ? s + noise * noiseRng.normal() : s;
  }
  return { x, y, n, coef };
}

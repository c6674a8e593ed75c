import type { Rng } from '../rng';

/**
 * One draw from Gamma(shape, 1) by Marsaglia & Tsang's squeeze method (ACM TOMS 26(3), 2000); for
 * shape < 1 the usual boost: Gamma(a) = Gamma(a + 1) * U^(1/a).
 */
export function gamma(shape: number, rng: Rng): number {
  if (!(shape > 0)) throw new Error(`gamma: shape must be > 0, got ${shape}`);
  if (shape < 1) return gamma(shape + 1, rng) * Math.pow(1 - rng.next(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.next();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/**
 * One draw from the symmetric Dirichlet distribution Dir(alpha, ..., alpha) over `k` categories:
 * normalised Gamma(alpha) draws. Each share has mean 1/k and variance (k - 1) / (k^2 (k alpha + 1)).
 * A draw whose Gamma variates all underflow (tiny alpha) puts everything on one random category, the
 * distribution's limit as alpha -> 0.
 */
export function dirichlet(k: number, alpha: number, rng: Rng): Float64Array {
  const p = new Float64Array(k);
  let sum = 0;
  for (let i = 0; i < k; i++) sum += p[i] = gamma(alpha, rng);
  if (!(sum > 0)) {
    p.fill(0);
    p[rng.int(k)] = 1;
    return p;
  }
  for (let i = 0; i < k; i++) p[i] /= sum;
  return p;
}

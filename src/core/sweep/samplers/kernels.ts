/**
 * The kernels of one dim of a Parzen estimator: component k is observation k's kernel, the last one the
 * prior's. Each draws a value and scores one (log density, or log probability for categories and steps).
 */
import type { Rng } from '../../rng';
import { stepOf } from '../../spec/sweep-values';
import { normalCdf, normalLogPdf } from '../math/normal';
import { boundsOf, type NumericDim } from '../space';

/** An index drawn with probabilities `weights` (summing to 1). */
export function pick(weights: readonly number[], rng: Rng): number {
  let u = rng.next();
  for (let k = 0; k < weights.length - 1; k++) if ((u -= weights[k]) < 0) return k;
  return weights.length - 1;
}

export interface Kernels {
  sample(k: number, rng: Rng): number;
  logPdf(k: number, x: number): number;
}

/** How numeric kernels get their widths: per-observation neighbour distances, or the normal-reference rule for a group of `scott` dims. */
export type Bandwidth = 'neighbours' | { scott: number };

/**
 * Widths by the neighbour rule (Bergstra et al. 2011, as Optuna's univariate TPE): each centre's distance
 * to the farther of its neighbours, the prior's centre and the range's ends counted among them, except
 * that the lowest and highest centres only look inwards (Optuna's consider_endpoints=False).
 */
export function neighbourWidths(mus: readonly number[], lo: number, hi: number): number[] {
  const order = mus.map((_, i) => i).sort((a, b) => mus[a] - mus[b]);
  const sorted = [lo, ...order.map((i) => mus[i]), hi];
  const widths = new Array<number>(mus.length);
  order.forEach((i, r) => {
    const [left, right] = [sorted[r + 1] - sorted[r], sorted[r + 2] - sorted[r + 1]];
    widths[i] = mus.length < 2 ? Math.max(left, right) : r === 0 ? right : r === mus.length - 1 ? left : Math.max(left, right);
  });
  return widths;
}

/**
 * The normal-reference (Scott 1992) width BOHB's kernel density estimates use (Falkner et al. 2018,
 * arXiv:1807.01774): 1.06 sd n^(-1/(dims+4)), sd the observations' standard deviation (with fewer than
 * two, the prior's: range / sqrt(12)). Optuna's multivariate TPE uses 0.2 range instead of 1.06 sd;
 * the spread of the good trials narrows l(x) as they cluster, which lowered the regret in bench/samplers.
 */
function normalReference(xs: readonly number[], range: number, dims: number): number {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / Math.max(1, n);
  const sd = n < 2 ? range / Math.sqrt(12) : Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return 1.06 * sd * Math.max(1, n) ** (-1 / (dims + 4));
}

/**
 * Truncated Gaussians on the dim's transformed range over observations `xs` and the prior N(centre, range).
 * Widths are clipped to [range / min(100, kernels + 1), range] (the "magic clip" of Bergstra et al.), so
 * a kernel never collapses onto a point while there are few observations.
 */
export function numericKernels(d: NumericDim, xs: readonly number[], bandwidth: Bandwidth): Kernels {
  const [lo, hi] = boundsOf(d);
  const range = hi - lo;
  const mus = [...xs, (lo + hi) / 2];
  const raw = bandwidth === 'neighbours'
    ? neighbourWidths(mus, lo, hi)
    : mus.map(() => normalReference(xs, range, bandwidth.scott));
  const sds = raw.map((s) => Math.min(range, Math.max(range / Math.min(100, mus.length + 1), s)));
  sds[xs.length] = range;
  const logMass = mus.map((m, k) => Math.log(Math.max(1e-300, normalCdf((hi - m) / sds[k]) - normalCdf((lo - m) / sds[k]))));
  // Stepped linear values are scored by their bin; log-scaled ones are continuous in the logs, then rounded.
  const half = d.log ? 0 : (stepOf(d) ?? 0) / 2;
  return {
    sample(k, rng) {
      for (let tries = 0; tries < 100; tries++) {
        const x = mus[k] + sds[k] * rng.normal();
        if (x >= lo && x <= hi) return x;
      }
      return Math.min(hi, Math.max(lo, mus[k]));
    },
    logPdf(k, x) {
      const [m, s] = [mus[k], sds[k]];
      const p = half > 0
        ? Math.log(Math.max(1e-300, normalCdf((Math.min(hi, x + half) - m) / s) - normalCdf((Math.max(lo, x - half) - m) / s)))
        : normalLogPdf((x - m) / s) - Math.log(s);
      return p - logMass[k];
    },
  };
}

/** Kernels of a categorical dim with `n` values over observed value indices `xs`; the prior's is uniform. */
export function categoricalKernels(n: number, xs: readonly number[], priorWeight: number): Kernels {
  const base = priorWeight / (xs.length + 1);
  const table = [...xs.map((x) => Array.from({ length: n }, (_, c) => (base + (c === x ? 1 : 0)) / (n * base + 1))), new Array<number>(n).fill(1 / n)];
  return { sample: (k, rng) => pick(table[k], rng), logPdf: (k, c) => Math.log(table[k][c]) };
}

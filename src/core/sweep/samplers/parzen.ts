/**
 * Parzen estimators of TPE (Bergstra et al. 2011, NeurIPS; defaults of Optuna's TPESampler): a mixture of
 * one kernel per observation plus a wide prior kernel. Numeric values live in the dim's unit-free
 * transformed range (logs for `log`): truncated Gaussians whose widths are the distance to the farther
 * neighbour, clipped to [range / min(100, 1 + kernels), range]. Stepped values score the probability of
 * their step's bin. Categorical values: each kernel puts weight 1 on its category plus prior weight spread evenly.
 */
import type { Rng } from '../../rng';
import { stepOf } from '../../spec/sweep-values';
import { normalCdf, normalLogPdf } from '../math/normal';
import { boundsOf, type NumericDim } from '../space';

/** Optuna's default_weights: equal weights for up to 25 observations, older ones ramped down beyond that (oldest first). */
export function observationWeights(n: number): number[] {
  if (n < 25) return new Array<number>(n).fill(1);
  const ramp = Array.from({ length: n - 25 }, (_, i) => (n - 25 === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (n - 26)));
  return [...ramp, ...new Array<number>(25).fill(1)];
}

/** Mixture weights: the observations' (oldest first), then the prior's; normalised. */
function mixtureWeights(n: number, priorWeight: number): number[] {
  const w = [...observationWeights(n), priorWeight];
  const sum = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / sum);
}

function pick(weights: readonly number[], rng: Rng): number {
  let u = rng.next();
  for (let k = 0; k < weights.length - 1; k++) if ((u -= weights[k]) < 0) return k;
  return weights.length - 1;
}

const logSumExp = (xs: number[]): number => {
  const m = Math.max(...xs);
  return m === -Infinity ? m : m + Math.log(xs.reduce((a, x) => a + Math.exp(x - m), 0));
};

export interface Estimator<T> {
  sample(rng: Rng): T;
  logPdf(x: T): number;
}

/** The estimator of a numeric dim over observations `xs` given in its transformed range (see `boundsOf`). */
export function numericEstimator(d: NumericDim, xs: readonly number[], priorWeight: number): Estimator<number> {
  const [lo, hi] = boundsOf(d);
  const range = hi - lo;
  const order = xs.map((_, i) => i).sort((a, b) => xs[a] - xs[b]);
  const sorted = [lo, ...order.map((i) => xs[i]), hi];
  const sigmas = new Array<number>(xs.length);
  order.forEach((i, r) => {
    let s = Math.max(sorted[r + 1] - sorted[r], sorted[r + 2] - sorted[r + 1]);
    // Optuna's consider_endpoints=False: the outermost kernels ignore the distance to the range's ends.
    if (xs.length >= 2 && r === 0) s = sorted[2] - sorted[1];
    if (xs.length >= 2 && r === xs.length - 1) s = sorted[r + 1] - sorted[r];
    sigmas[i] = Math.min(range, Math.max(range / Math.min(100, 2 + xs.length), s));
  });
  const mus = [...xs, (lo + hi) / 2];
  const sds = [...sigmas, range];
  const w = mixtureWeights(xs.length, priorWeight);
  const mass = mus.map((m, k) => normalCdf((hi - m) / sds[k]) - normalCdf((lo - m) / sds[k]));
  // Stepped linear values are scored by their bin; log-scaled ones are continuous in the logs, then rounded.
  const half = d.log ? 0 : (stepOf(d) ?? 0) / 2;
  return {
    sample(rng) {
      const k = pick(w, rng);
      for (let tries = 0; tries < 100; tries++) {
        const x = mus[k] + sds[k] * rng.normal();
        if (x >= lo && x <= hi) return x;
      }
      return Math.min(hi, Math.max(lo, mus[k]));
    },
    logPdf(x) {
      return logSumExp(mus.map((m, k) => {
        const s = sds[k];
        const p = half > 0
          ? Math.log(Math.max(1e-300, normalCdf((Math.min(hi, x + half) - m) / s) - normalCdf((Math.max(lo, x - half) - m) / s)))
          : normalLogPdf((x - m) / s) - Math.log(s);
        return Math.log(w[k]) + p - Math.log(Math.max(1e-300, mass[k]));
      }));
    },
  };
}

/** The estimator of a categorical dim with `n` values over observed value indices `xs`. */
export function categoricalEstimator(n: number, xs: readonly number[], priorWeight: number): Estimator<number> {
  const w = mixtureWeights(xs.length, priorWeight);
  const base = priorWeight / (xs.length + 1);
  const p = new Array<number>(n).fill(w[xs.length] / n);
  xs.forEach((x, k) => {
    for (let c = 0; c < n; c++) p[c] += (w[k] * (base + (c === x ? 1 : 0))) / (n * base + 1);
  });
  return { sample: (rng) => pick(p, rng), logPdf: (c) => Math.log(p[c]) };
}

/**
 * Parzen estimators of TPE (Bergstra et al. 2011, NeurIPS): a mixture of one kernel per observation
 * plus a wide prior kernel, per parameter. Numeric values live in the dim's transformed range (logs for
 * `log`): truncated Gaussians. Stepped values score the probability of their step's bin. Categorical
 * values: each kernel puts weight 1 on its category plus the prior weight spread evenly.
 * Bandwidths (`kernels.ts`): univariate, the distance to the farther neighbour with the prior's centre
 * among the neighbours; multivariate, the normal-reference rule; both clipped below by range / min(100, kernels + 1).
 */
import type { Rng } from '../../rng';
import type { Dim } from '../space';
import { categoricalKernels, numericKernels, pick, type Kernels } from './kernels';

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

const logSumExp = (xs: number[]): number => {
  const m = Math.max(...xs);
  return m === -Infinity ? m : m + Math.log(xs.reduce((a, x) => a + Math.exp(x - m), 0));
};

export interface ParzenConfig {
  /** Weight of the prior kernel against 1 for each recent observation. */
  priorWeight: number;
  /** Normal-reference widths for the group's dims (their kernels shared), rather than each dim's neighbour distances. */
  multivariate: boolean;
}

/** A density over a group of dims: joint draws and the log density of a joint point (one value per dim). */
export interface Estimator {
  sample(rng: Rng): number[];
  logPdf(x: readonly number[]): number;
}

/**
 * The estimator of `dims` over observations `xs` (one row per observation, oldest first; numeric values
 * transformed, categorical ones as value indices). One dim is the univariate estimator; several share
 * each observation's kernel (multivariate TPE, Falkner et al. 2018, arXiv:1807.01774), so a draw keeps
 * the good trials' combinations of values together.
 */
export function parzenEstimator(dims: readonly Dim[], xs: readonly number[][], o: ParzenConfig): Estimator {
  const w = mixtureWeights(xs.length, o.priorWeight);
  const kernels: Kernels[] = dims.map((d, j) => {
    const col = xs.map((row) => row[j]);
    if (d.type === 'categorical') return categoricalKernels(d.values.length, col, o.priorWeight);
    return numericKernels(d, col, o.multivariate ? { scott: dims.length } : 'neighbours');
  });
  return {
    sample(rng) {
      const k = pick(w, rng);
      return kernels.map((kern) => kern.sample(k, rng));
    },
    logPdf(x) {
      return logSumExp(w.map((wk, k) => Math.log(wk) + kernels.reduce((s, kern, j) => s + kern.logPdf(k, x[j]), 0)));
    },
  };
}

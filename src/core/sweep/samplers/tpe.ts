import type { Rng } from '../../rng';
import { sameJson } from '../../spec/sweep-values';
import { lastEpoch, type History, type Sampler, type Trial } from '../types';
import { buildParams, sampleParams, transform, untransform, type Dim } from '../space';
import { completed, frontRanks, parego, toLosses } from '../objectives';
import { categoricalEstimator, numericEstimator, type Estimator } from './parzen';

export interface TpeConfig {
  /** Random trials before the estimators take over (Optuna: 10). */
  startupTrials: number;
  /** Candidates drawn from the good density per parameter (Optuna: 24). */
  candidates: number;
  /** Fraction of trials counted as good: min(ceil(gamma * n), 25) of them (Optuna: 0.1). */
  gamma: number;
  /** Weight of the prior kernel (Optuna: 1). */
  priorWeight: number;
}

const lexicographic = (a: number[], b: number[]): number => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
};

/**
 * Finished trials, best first. Completed ones by their loss (several objectives: non-dominated front,
 * then ParEGO's scalarisation within a front); then pruned ones, those that trained longer first and, at
 * equal length, by the front of their last reported values (Optuna ranks pruned trials the same way).
 */
export function rankTrials(history: History, rng: Rng): Trial[] {
  const done = completed(history);
  const losses = done.map((d) => d.losses);
  const [fronts, scores] = [frontRanks(losses), parego(losses, rng)];
  const keyed = done.map((d, i) => ({ trial: d.trial, key: [0, fronts[i], scores[i]] }));
  const pruned = history.trials.filter((t) => t.state === 'pruned' && lastEpoch(t) > 0);
  for (const epoch of new Set(pruned.map(lastEpoch))) {
    const group = pruned.filter((t) => lastEpoch(t) === epoch);
    const ranks = frontRanks(group.map((t) => toLosses(t.intermediate[epoch], history.directions)));
    group.forEach((trial, i) => keyed.push({ trial, key: [1, -epoch, ranks[i]] }));
  }
  return keyed.sort((a, b) => lexicographic(a.key, b.key)).map((k) => k.trial);
}

/** The estimator of one dim over the trials where it was active, oldest first (so older ones weigh less beyond 25). */
function estimatorOf(d: Dim, trials: Trial[], priorWeight: number): Estimator<number> {
  const seen = [...trials].sort((a, b) => a.number - b.number).filter((t) => d.path in t.params).map((t) => t.params[d.path]);
  if (d.type === 'categorical') return categoricalEstimator(d.values.length, seen.map((v) => d.values.findIndex((w) => sameJson(v, w))), priorWeight);
  return numericEstimator(d, seen.map((v) => transform(d, v as number)), priorWeight);
}

/**
 * Tree-structured Parzen estimator (Bergstra, Bardenet, Bengio & Kegl 2011, "Algorithms for
 * hyper-parameter optimization", NeurIPS), univariate as Optuna's default: after `startupTrials` random
 * ones, split the finished trials into the best gamma-fraction and the rest, fit a Parzen estimator l(x)
 * to the good and g(x) to the rest for each parameter, and take the candidate drawn from l with the
 * largest l(x) / g(x), which maximises expected improvement. A conditional parameter learns from the
 * trials where it was active.
 */
export function tpeSampler(c: TpeConfig): Sampler {
  return {
    suggest(space, history, rng) {
      const ranked = rankTrials(history, rng);
      if (ranked.length < Math.max(1, c.startupTrials)) return sampleParams(space, rng);
      const nGood = Math.min(Math.ceil(c.gamma * ranked.length), 25);
      const [good, bad] = [ranked.slice(0, nGood), ranked.slice(nGood)];
      return buildParams(space, (d) => {
        const l = estimatorOf(d, good, c.priorWeight);
        const g = estimatorOf(d, bad, c.priorWeight);
        const grid = (x: number) => (d.type === 'categorical' ? x : transform(d, untransform(d, x)));
        let best = NaN;
        let bestScore = -Infinity;
        for (let i = 0; i < c.candidates; i++) {
          const x = grid(l.sample(rng));
          const score = l.logPdf(x) - g.logPdf(x);
          if (i === 0 || score > bestScore) [best, bestScore] = [x, score];
        }
        return d.type === 'categorical' ? d.values[best] : untransform(d, best);
      });
    },
  };
}

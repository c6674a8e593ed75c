import type { Rng } from '../../rng';
import { sameJson } from '../../spec/sweep-values';
import { lastEpoch, type History, type Params, type Sampler, type Trial } from '../types';
import { buildParams, sampleParams, transform, untransform, type Dim, type Space } from '../space';
import { completed, frontRanks, parego, toLosses } from '../objectives';
import { parzenEstimator, type Estimator } from './parzen';

export interface TpeConfig {
  /** Random trials before the estimators take over (Optuna: 10). */
  startupTrials: number;
  /** Candidates drawn from the good trials' estimators per group of parameters sampled together (Optuna: 24 per parameter). */
  candidates: number;
  /** Fraction of trials counted as good: min(ceil(gamma * n), 25) of them (Optuna: 0.1; Hone: 0.2). */
  gamma: number;
  /** Weight of the prior kernel (Optuna: 1). */
  priorWeight: number;
  /** Score the parameters that are active together jointly as well as each alone (Optuna: false). */
  multivariate: boolean;
}

const lexicographic = (a: number[], b: number[]): number => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
};

/**
 * Finished trials, best first. Completed ones by their loss (several objectives: non-dominated front,
 * then ParEGO's scalarisation within a front); then pruned ones, those that trained longer first and, at
 * equal length, by the front of their last reported values (Optuna ranks pruned trials the same way);
 * last the diverged ones, whose parameters are worse than any that trained (other failures rank nowhere).
 */
export function rankTrials(history: History, rng: Rng): Trial[] {
  const done = completed(history);
  const losses = done.map((d) => d.losses);
  const [fronts, scores] = [frontRanks(losses), parego(losses, rng)];
  const keyed = done.map((d, i) => ({ trial: d.trial, key: [0, fronts[i], scores[i]] }));
  const pruned = history.trials.filter(rankedPruned);
  for (const epoch of new Set(pruned.map(lastEpoch))) {
    const group = pruned.filter((t) => lastEpoch(t) === epoch);
    const ranks = frontRanks(group.map((t) => toLosses(t.intermediate[epoch], history.directions)));
    group.forEach((trial, i) => keyed.push({ trial, key: [1, -epoch, ranks[i]] }));
  }
  for (const trial of history.trials) if (trial.state === 'failed' && trial.diverged) keyed.push({ trial, key: [2, trial.number] });
  return keyed.sort((a, b) => lexicographic(a.key, b.key)).map((k) => k.trial);
}

const rankedPruned = (t: Trial) => t.state === 'pruned' && lastEpoch(t) > 0;

/**
 * How many trials `rankTrials` ranks, found without drawing: a startup turn's random draw must not depend
 * on whether a trial happened to finish first (ParEGO draws its weights from the same generator).
 */
const rankedCount = (history: History): number =>
  completed(history).length + history.trials.filter((t) => rankedPruned(t) || (t.state === 'failed' && t.diverged)).length;

/** A trial's values of `dims`, each on the scale its estimator uses: numeric transformed, categorical as an index. */
const encodeRow = (dims: readonly Dim[], p: Params): number[] =>
  dims.map((d) => (d.type === 'categorical' ? d.values.findIndex((w) => sameJson(p[d.path], w)) : transform(d, p[d.path] as number)));

/** The groups sampled jointly: one per activation condition when multivariate (its dims are active together), else one per dim. */
function groupsOf(space: Space, multivariate: boolean): Dim[][] {
  if (!multivariate) return space.dims.map((d) => [d]);
  const groups = new Map<string, Dim[]>();
  for (const d of space.dims) {
    const key = JSON.stringify(d.when ?? null);
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  return [...groups.values()];
}

/** A pair of Parzen estimators over some of a group's columns: l(x) of the good trials, g(x) of the rest. */
interface Expert {
  cols: number[];
  l: Estimator;
  g: Estimator;
}

const logRatio = (e: Expert, x: readonly number[]): number => {
  const xs = e.cols.map((j) => x[j]);
  return e.l.logPdf(xs) - e.g.logPdf(xs);
};

/**
 * The values of one group: `candidates` draws from the good trials' estimators, and the one with the
 * largest density ratio. Univariate, the group is one dim and its l(x) / g(x) decides. Multivariate, two
 * experts vote (their log ratios add): the joint estimator, which keeps good trials' combinations of values
 * together, and each dim alone, which recombines good values of different trials; half the candidates are
 * joint draws, half draw each dim on its own. The joint estimator alone perturbs one good trial at a time,
 * which in 10 dims with a handful of good trials does worse than Optuna's univariate TPE on additive
 * problems (bench/samplers/findings.md). Each estimator learns from the trials where the whole group was
 * active, oldest first (so older ones weigh less beyond 25).
 */
function sampleGroup(dims: Dim[], good: Trial[], bad: Trial[], c: TpeConfig, rng: Rng): number[] {
  const rows = (trials: Trial[]) => [...trials].sort((a, b) => a.number - b.number)
    .filter((t) => dims.every((d) => d.path in t.params)).map((t) => encodeRow(dims, t.params));
  const [goodRows, badRows] = [rows(good), rows(bad)];
  const expert = (cols: number[], multivariate: boolean): Expert => {
    const fit = (xs: number[][]) => parzenEstimator(cols.map((j) => dims[j]), xs.map((r) => cols.map((j) => r[j])), { priorWeight: c.priorWeight, multivariate });
    return { cols, l: fit(goodRows), g: fit(badRows) };
  };
  const alone = dims.map((_, j) => expert([j], false));
  const joint = c.multivariate ? [expert(dims.map((_, j) => j), true)] : [];
  const experts = [...joint, ...alone];
  const draw = (i: number): number[] => (joint.length && i % 2 === 0 ? joint[0].l.sample(rng) : alone.map((e) => e.l.sample(rng)[0]));
  // A draw is moved onto the dim's grid (step, int, 6 digits) before it is scored, as it will be tried.
  const onGrid = (x: number[]) => x.map((v, j) => { const d = dims[j]; return d.type === 'categorical' ? v : transform(d, untransform(d, v)); });
  let best: number[] = [];
  let bestScore = -Infinity;
  for (let i = 0; i < c.candidates; i++) {
    const x = onGrid(draw(i));
    const score = experts.reduce((s, e) => s + logRatio(e, x), 0);
    if (i === 0 || score > bestScore) [best, bestScore] = [x, score];
  }
  return best;
}

/**
 * Tree-structured Parzen estimator (Bergstra, Bardenet, Bengio & Kegl 2011, "Algorithms for
 * hyper-parameter optimization", NeurIPS): after `startupTrials` random ones, split the finished trials
 * into the best gamma-fraction and the rest, fit a Parzen estimator l(x) to the good and g(x) to the rest,
 * and take the candidate drawn from l with the largest l(x) / g(x), which maximises expected improvement.
 * Univariate (Optuna's default) treats each parameter alone; multivariate (Falkner et al. 2018,
 * arXiv:1807.01774) also models the parameters that are active together jointly (`sampleGroup`). A conditional parameter
 * learns from the trials where it was active.
 */
export function tpeSampler(c: TpeConfig): Sampler {
  return {
    suggest(space, history, rng) {
      if (rankedCount(history) < Math.max(1, c.startupTrials)) return sampleParams(space, rng);
      const ranked = rankTrials(history, rng);
      // Diverged trials rank last to count against their parameters in g(x), never as good ones in l(x).
      const trained = ranked.filter((t) => t.state !== 'failed').length;
      if (!trained) return sampleParams(space, rng);
      const nGood = Math.min(Math.ceil(c.gamma * ranked.length), 25, trained);
      const [good, bad] = [ranked.slice(0, nGood), ranked.slice(nGood)];
      const groups = groupsOf(space, c.multivariate);
      const chosen = new Map<string, number>();
      return buildParams(space, (d) => {
        if (!chosen.has(d.path)) {
          const group = groups.find((g) => g.includes(d))!;
          sampleGroup(group, good, bad, c, rng).forEach((x, j) => chosen.set(group[j].path, x));
        }
        const x = chosen.get(d.path)!;
        return d.type === 'categorical' ? d.values[x] : untransform(d, x);
      });
    },
  };
}

import type { TrialStopper } from '../types';
import { lastEpoch } from '../types';
import { dominates, frontRanks, toLosses } from '../objectives';

export interface MedianConfig {
  /** Completed trials needed at an epoch before anything is pruned there (Optuna: 5). */
  startupTrials: number;
  /** Epochs a trial always trains (Optuna: 0). */
  warmupEpochs: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return (s[Math.floor((s.length - 1) / 2)] + s[Math.ceil((s.length - 1) / 2)]) / 2;
};

/**
 * Where `t` stands among `others` (losses): with one objective its loss, against theirs; with several, the
 * front it joins among their fronts (one past the worst front of those dominating it), against their fronts.
 */
function standing(t: number[], others: number[][]): { own: number; theirs: number[] } {
  if (t.length === 1) return { own: t[0], theirs: others.map((o) => o[0]) };
  const fronts = frontRanks(others);
  return { own: Math.max(0, ...others.map((o, i) => (dominates(o, t) ? fronts[i] + 1 : 0))), theirs: fronts };
}

/**
 * The median stopping rule (Golovin et al. 2017, "Google Vizier", KDD): after each epoch, prune a trial
 * that is worse than the median of the completed trials at that same epoch: with one objective, a value
 * worse than their median value; with several, a non-dominated front worse than their median front.
 * The trial is placed against the completed trials, not ranked with them: ranked together, a value
 * between the two middle ones of an even count took the median rank and was never pruned.
 */
export function medianStopper(c: MedianConfig): TrialStopper {
  return {
    prune(trial, history) {
      const epoch = lastEpoch(trial);
      if (epoch <= c.warmupEpochs) return undefined;
      const others = history.trials.filter((t) => t.state === 'completed' && t.number !== trial.number && t.intermediate[epoch]);
      if (others.length < Math.max(1, c.startupTrials)) return undefined;
      const losses = (t: typeof trial) => toLosses(t.intermediate[epoch], history.directions);
      const { own, theirs } = standing(losses(trial), others.map(losses));
      if (!(own > median(theirs))) return undefined;
      return { epoch, reason: `epoch ${epoch}: worse than the median of ${others.length} completed trials` };
    },
  };
}

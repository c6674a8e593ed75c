import type { TrialStopper } from '../types';
import { lastEpoch } from '../types';
import { frontRanks, toLosses } from '../objectives';

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
 * The median stopping rule (Golovin et al. 2017, "Google Vizier", KDD): after each epoch, prune a trial
 * that ranks below the median of the completed trials at that same epoch. Ranks are non-dominated
 * fronts, so with one objective "worse than the median value" and with several "in a worse front than
 * the median completed trial".
 */
export function medianStopper(c: MedianConfig): TrialStopper {
  return {
    prune(trial, history) {
      const epoch = lastEpoch(trial);
      if (epoch <= c.warmupEpochs) return undefined;
      const others = history.trials.filter((t) => t.state === 'completed' && t.number !== trial.number && t.intermediate[epoch]);
      if (others.length < Math.max(1, c.startupTrials)) return undefined;
      const ranks = frontRanks([trial, ...others].map((t) => toLosses(t.intermediate[epoch], history.directions)));
      const mid = median(ranks.slice(1));
      if (ranks[0] <= mid) return undefined;
      return { epoch, reason: `epoch ${epoch}: worse than the median of ${others.length} completed trials` };
    },
  };
}

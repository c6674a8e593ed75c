import type { History, Trial, TrialStopper } from '../types';
import { lastEpoch } from '../types';
import { betterThan, toLosses } from '../objectives';

export interface AshaConfig {
  /** Epochs at the first rung (r). */
  minEpochs: number;
  /** Reduction factor: the top 1/eta at a rung continue. */
  eta: number;
  /** Epochs of a full trial (R): no rung at or beyond it, the trial just completes. */
  maxEpochs: number;
  /** First rung at minEpochs * eta^offset (Hyperband's brackets; 0 for plain ASHA). */
  offset: number;
}

/** The epochs where trials are judged: minEpochs * eta^(offset + k) below maxEpochs. */
export function rungEpochs(c: AshaConfig): number[] {
  const out: number[] = [];
  for (let e = c.minEpochs * c.eta ** c.offset; e < c.maxEpochs; e *= c.eta) out.push(e);
  return out;
}

/**
 * The ASHA decision at a rung, made when a trial reaches it: among every trial that has reported at that
 * epoch (running, completed or pruned since), it continues only if fewer than max(1, floor(n / eta)) rank
 * strictly above it. Ranks are non-dominated fronts of the objective values at the rung, so several
 * objectives prune on Pareto rank; with one objective they are plain order. `peers(t)` limits the
 * competition (Hyperband's bracket).
 */
export function ashaDecision(c: AshaConfig, trial: Trial, history: History, peers: (t: Trial) => boolean = () => true) {
  const epoch = lastEpoch(trial);
  const rung = rungEpochs(c).indexOf(epoch);
  if (rung < 0) return undefined;
  const at = history.trials.filter((t) => t.number !== trial.number && t.intermediate[epoch] && peers(t));
  const losses = [trial, ...at].map((t) => toLosses(t.intermediate[epoch], history.directions));
  const above = betterThan(losses, 0);
  const keep = Math.max(1, Math.floor(losses.length / c.eta));
  if (above < keep) return undefined;
  return { epoch, rung, reason: `rung ${rung} (epoch ${epoch}): ${above} of ${losses.length} trials rank above it, only the top ${keep} (1/${c.eta}) continue` };
}

/** Asynchronous successive halving (Li et al. 2020, "A system for massively parallel hyperparameter tuning", arXiv:1810.05934). */
export const ashaStopper = (c: AshaConfig): TrialStopper => ({ prune: (trial, history) => ashaDecision(c, trial, history) });

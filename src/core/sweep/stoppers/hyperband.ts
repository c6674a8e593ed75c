import type { TrialStopper } from '../types';
import { ashaDecision, type AshaConfig } from './asha';

export type HyperbandConfig = Omit<AshaConfig, 'offset'>;

/** S = floor(log_eta(max / min)): the brackets are 0 (first rung at minEpochs) to S (no rung: full training). */
const lastBracket = (c: HyperbandConfig): number => Math.floor(Math.log(c.maxEpochs / c.minEpochs) / Math.log(c.eta) + 1e-9);

/**
 * The bracket (first-rung offset) of trial `number`. Bracket o starts at minEpochs * eta^o; Hyperband
 * gives it ceil((S + 1) / (S - o + 1) * eta^(S - o)) configurations, S = floor(log_eta(max / min)), so
 * trial numbers are dealt round-robin in those proportions.
 */
export function bracketOf(c: HyperbandConfig, number: number): number {
  const s = lastBracket(c);
  const sizes = Array.from({ length: s + 1 }, (_, o) => Math.ceil(((s + 1) / (s - o + 1)) * c.eta ** (s - o)));
  let slot = number % sizes.reduce((a, b) => a + b, 0);
  for (let o = 0; o < sizes.length; o++) if ((slot -= sizes[o]) < 0) return o;
  return s;
}

/**
 * Hyperband (Li et al. 2018, JMLR 18, arXiv:1603.06560) run asynchronously: brackets of ASHA that differ
 * in their first rung, from aggressive (minEpochs) to none (full training), each trial competing only in
 * its own bracket. The last bracket prunes nothing, as the paper's s = 0 bracket, also where
 * minEpochs * eta^S falls short of maxEpochs (10 epochs from 1 at eta 3 would put a rung at epoch 9).
 */
export function hyperbandStopper(c: HyperbandConfig): TrialStopper {
  return {
    prune(trial, history) {
      const offset = bracketOf(c, trial.number);
      if (offset === lastBracket(c)) return undefined;
      return ashaDecision({ ...c, offset }, trial, history, (t) => bracketOf(c, t.number) === offset);
    },
  };
}

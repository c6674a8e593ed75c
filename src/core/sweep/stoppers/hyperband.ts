import type { TrialStopper } from '../types';
import { ashaDecision, type AshaConfig } from './asha';

export type HyperbandConfig = Omit<AshaConfig, 'offset'>;

/**
 * The bracket (first-rung offset) of trial `number`. Bracket o starts at minEpochs * eta^o; Hyperband
 * gives it ceil((S + 1) / (S - o + 1) * eta^(S - o)) configurations, S = floor(log_eta(max / min)), so
 * trial numbers are dealt round-robin in those proportions.
 */
export function bracketOf(c: HyperbandConfig, number: number): number {
  const s = Math.floor(Math.log(c.maxEpochs / c.minEpochs) / Math.log(c.eta) + 1e-9);
  const sizes = Array.from({ length: s + 1 }, (_, o) => Math.ceil(((s + 1) / (s - o + 1)) * c.eta ** (s - o)));
  let slot = number % sizes.reduce((a, b) => a + b, 0);
  for (let o = 0; o < sizes.length; o++) if ((slot -= sizes[o]) < 0) return o;
  return s;
}

/**
 * Hyperband (Li et al. 2018, JMLR 18, arXiv:1603.06560) run asynchronously: brackets of ASHA that differ
 * in their first rung, from aggressive (minEpochs) to none (full training), each trial competing only in its own bracket.
 */
export function hyperbandStopper(c: HyperbandConfig): TrialStopper {
  return {
    prune(trial, history) {
      const offset = bracketOf(c, trial.number);
      return ashaDecision({ ...c, offset }, trial, history, (t) => bracketOf(c, t.number) === offset);
    },
  };
}

import type { Sampler } from '../types';

/**
 * Two samplers taking turns on one history: every `every`-th suggestion (trial numbers every-1,
 * 2*every-1, ...) comes from `other`, the rest from `main`. A portfolio of two models (in the spirit of
 * Hoffman, Brochu & de Freitas 2011, arXiv:1009.5419): where one model misleads, the other's trials
 * still land in good regions, and both learn from all trials.
 */
export function interleave(main: Sampler, other: Sampler, every: number): Sampler {
  return {
    suggest: (space, history, rng) => (every > 0 && history.trials.length % every === every - 1 ? other : main).suggest(space, history, rng),
  };
}

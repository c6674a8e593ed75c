/** The samplers, by the `sweep.sampler.type` that picks them. A new sampler is one file plus one line here. */
import type { Sampler } from '../types';
import { gridSampler } from './grid';
import { randomSampler } from './random';
import { tpeSampler } from './tpe';
import { gpSampler } from './gp';
import { interleave } from './interleave';
import { withDefaults, type ConcreteSamplerSpec } from './auto';

type Factories = { [K in ConcreteSamplerSpec['type']]: (c: Extract<ConcreteSamplerSpec, { type: K }>) => Sampler };

export const SAMPLERS: Factories = {
  grid: gridSampler,
  random: randomSampler,
  tpe: tpeSampler,
  // With tpeEvery, TPE (its schema defaults) takes every tpeEvery-th turn: see auto.ts.
  gp: (c) => (c.tpeEvery > 0 ? interleave(gpSampler(c), tpeSampler(withDefaults('tpe')), c.tpeEvery) : gpSampler(c)),
};

/** The sampler of a named type; `auto` is resolved first, by `resolveSampler`. */
export function createSampler(spec: ConcreteSamplerSpec): Sampler {
  return (SAMPLERS[spec.type] as (c: ConcreteSamplerSpec) => Sampler)(spec);
}

export { gridConfigs, gridValues } from './grid';
export { rankTrials } from './tpe';
export { encode } from './gp';
export { resolveSampler, withDefaults, GP_MAX_TRIALS, AUTO_TPE_EVERY, type ConcreteSamplerSpec, type SamplerChoice } from './auto';

/** The samplers, by the `sweep.sampler.type` that picks them. A new sampler is one file plus one line here. */
import type { Sampler } from '../types';
import type { ConcreteSamplerSpec } from './auto';
import { gridSampler } from './grid';
import { randomSampler } from './random';
import { tpeSampler } from './tpe';
import { gpSampler } from './gp';

type Factories = { [K in ConcreteSamplerSpec['type']]: (c: Extract<ConcreteSamplerSpec, { type: K }>) => Sampler };

export const SAMPLERS: Factories = {
  grid: gridSampler,
  random: randomSampler,
  tpe: tpeSampler,
  gp: gpSampler,
};

/** The sampler of a named type; `auto` is resolved first, by `resolveSampler`. */
export function createSampler(spec: ConcreteSamplerSpec): Sampler {
  return (SAMPLERS[spec.type] as (c: ConcreteSamplerSpec) => Sampler)(spec);
}

export { gridConfigs, gridValues } from './grid';
export { rankTrials } from './tpe';
export { encode } from './gp';
export { resolveSampler, withDefaults, GP_MAX_TRIALS, type ConcreteSamplerSpec, type SamplerChoice } from './auto';

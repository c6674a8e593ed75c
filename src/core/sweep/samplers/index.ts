/** The samplers, by the `sweep.sampler.type` that picks them. A new sampler is one file plus one line here. */
import type { SamplerSpec } from '../../spec/sweep-types';
import type { Sampler } from '../types';
import { gridSampler } from './grid';
import { randomSampler } from './random';
import { tpeSampler } from './tpe';
import { gpSampler } from './gp';

type Factories = { [K in SamplerSpec['type']]: (c: Extract<SamplerSpec, { type: K }>) => Sampler };

export const SAMPLERS: Factories = {
  grid: gridSampler,
  random: randomSampler,
  tpe: tpeSampler,
  gp: gpSampler,
};

export function createSampler(spec: SamplerSpec): Sampler {
  return (SAMPLERS[spec.type] as (c: SamplerSpec) => Sampler)(spec);
}

export { gridConfigs, gridValues } from './grid';
export { rankTrials } from './tpe';
export { encode } from './gp';

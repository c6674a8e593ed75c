import type { Sampler } from '../types';
import { sampleParams } from '../space';

/** Random search (Bergstra & Bengio 2012, JMLR 13:281): every parameter drawn from its prior, independently. */
export const randomSampler = (): Sampler => ({ suggest: (space, _history, rng) => sampleParams(space, rng) });

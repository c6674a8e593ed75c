/** The trial stoppers, by the `sweep.stopper.type` that picks them. A new stopper is one file plus one line here. */
import type { StopperSpec } from '../../spec/sweep-types';
import type { TrialStopper } from '../types';
import { medianStopper } from './median';
import { ashaStopper } from './asha';
import { hyperbandStopper } from './hyperband';

type Factories = { [K in StopperSpec['type']]: (c: Extract<StopperSpec, { type: K }>, maxEpochs: number) => TrialStopper };

export const STOPPERS: Factories = {
  none: () => ({ prune: () => undefined }),
  median: (c) => medianStopper(c),
  asha: (c, maxEpochs) => ashaStopper({ ...c, maxEpochs, offset: 0 }),
  hyperband: (c, maxEpochs) => hyperbandStopper({ ...c, maxEpochs }),
};

/** The stopper of a sweep whose trials train `maxEpochs` epochs. */
export function createStopper(spec: StopperSpec, maxEpochs: number): TrialStopper {
  return (STOPPERS[spec.type] as (c: StopperSpec, maxEpochs: number) => TrialStopper)(spec, maxEpochs);
}

export { rungEpochs, ashaDecision } from './asha';
export { bracketOf } from './hyperband';

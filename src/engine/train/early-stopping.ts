import type { EarlyStopping } from '../../core/spec/types';
import { betterOf } from '../../core/metrics';

/** Keras' `mode: auto`: the direction the metric registry gives (spec checks allow only metrics it knows). */
export const higherIsBetter = (metric: string): boolean => betterOf(metric) === 'max';

export interface StopperState {
  best: number;
  bestEpoch: number;
  wait: number;
}

export const initialStopper = (): StopperState => ({ best: NaN, bestEpoch: 0, wait: 0 });

/**
 * One epoch of Keras-style early stopping: an improvement is a change beyond `minDelta` in the
 * monitored direction. Returns the new state, whether this epoch is the best so far, and whether to stop.
 */
export function earlyStoppingStep(c: EarlyStopping, s: StopperState, epoch: number, value: number): { state: StopperState; improved: boolean; stop: boolean } {
  const max = c.mode === 'max' || (c.mode === 'auto' && higherIsBetter(c.metric));
  // NaN is no value (Keras starts best at -+Infinity, so NaN never improves): it counts as an epoch without improvement.
  const improved = !Number.isNaN(value) && (Number.isNaN(s.best) || (max ? value > s.best + c.minDelta : value < s.best - c.minDelta));
  const state = improved ? { best: value, bestEpoch: epoch, wait: 0 } : { ...s, wait: s.wait + 1 };
  return { state, improved, stop: !improved && state.wait >= c.patience };
}

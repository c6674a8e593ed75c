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

/**
 * The value of the metric early stopping watches, from one epoch's metrics. A metric the run does not
 * record is an error, never "no value": read as undefined it would count as epoch 1's improvement and
 * keep that epoch's weights (spec checks reject such metrics; a CSV whose task the full file decides
 * otherwise than its scanned start could still get here).
 */
export function watchedValue(metrics: Record<string, number>, metric: string): number {
  const value = metrics[metric];
  if (value === undefined) {
    throw new Error(`early stopping watches ${metric}, which this run does not record: its epochs record ${Object.keys(metrics).join(', ')}`);
  }
  return value;
}

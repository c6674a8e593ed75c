import type { Json } from '../../spec/sweep-types';
import { gridCount, stepOf, topOf } from '../../spec/sweep-values';
import type { Params, Sampler } from '../types';
import { isActive, paramsKey, snap, type Dim, type Space } from '../space';

export interface GridConfig {
  /** Values taken from a float range without step, or an int range without step: ends included. */
  points: number;
}

/**
 * The values a grid takes for one parameter: a categorical's values; every value min + k * step when a
 * step was written; otherwise `points` values evenly spaced (log-spaced for `log`), ints rounded and
 * deduplicated.
 */
export function gridValues(d: Dim, points: number): Json[] {
  if (d.type === 'categorical') return d.values;
  const top = topOf(d);
  if (d.step !== undefined) return Array.from({ length: gridCount(d, points) }, (_, k) => snap(d, d.min + k * d.step!));
  const [lo, hi] = d.log ? [Math.log(d.min), Math.log(top)] : [d.min, top];
  const raw = Array.from({ length: points }, (_, k) => lo + ((hi - lo) * k) / (points - 1));
  const values = raw.map((x) => snap(d, d.log ? Math.exp(x) : x));
  return stepOf(d) === undefined ? values : [...new Set(values)];
}

/**
 * Every combination, in order: the first parameter varies slowest (like itertools.product). A parameter
 * whose condition does not hold is left out of the combination rather than multiplying it.
 */
export function gridConfigs(space: Space, points: number): Params[] {
  let configs: Params[] = [{}];
  for (const d of space.dims) {
    configs = configs.flatMap((c) => (isActive(d, c) ? gridValues(d, points).map((v) => ({ ...c, [d.path]: v })) : [c]));
  }
  return configs;
}

/** Grid search: the first combination no trial has taken yet; undefined once all are taken. */
export function gridSampler(c: GridConfig): Sampler {
  return {
    suggest(space, history) {
      const taken = new Set(history.trials.map((t) => paramsKey(space, t.params)));
      return gridConfigs(space, c.points).find((p) => !taken.has(paramsKey(space, p)));
    },
  };
}

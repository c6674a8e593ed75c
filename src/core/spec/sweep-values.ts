/** Small facts about sweep parameter values, shared by the spec checks and the sweep's space. */
import type { Json, SweepParameter } from './sweep-types';

/** Equality of JSON values (categorical values may be arrays such as layer sizes). */
export const sameJson = (a: Json, b: Json): boolean => JSON.stringify(a) === JSON.stringify(b);

type Numeric = SweepParameter & { type: 'float' | 'int' };

/** The spacing of a numeric parameter's values: its `step`, 1 for an int without one, undefined for a continuous float. */
export const stepOf = (p: Numeric): number | undefined => p.step ?? (p.type === 'int' ? 1 : undefined);

/** The largest value on a numeric parameter's grid min + k * step; `max` for a float without step. */
export function topOf(p: Numeric): number {
  const step = stepOf(p);
  return step === undefined ? p.max : p.min + Math.floor((p.max - p.min) / step + 1e-9) * step;
}

/**
 * How many values a grid takes for a parameter, counted without listing them (a tiny step over a wide
 * range would make billions): a categorical's values, every min + k * step of a written step, else
 * `points` (at most; ints can repeat and are then taken once).
 */
export function gridCount(p: SweepParameter, points: number): number {
  if (p.type === 'categorical') return p.values.length;
  if (p.step === undefined) return points;
  return Math.round((topOf(p) - p.min) / p.step) + 1;
}

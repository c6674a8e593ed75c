/**
 * The search space of a sweep: its parameters in an order where a condition's parameter comes before the
 * parameters it activates, and the maps between values and the unit interval (log-aware, snapped to steps).
 */
import type { Rng } from '../rng';
import type { Json, SweepParameter } from '../spec/sweep-types';
import { sameJson, stepOf, topOf } from '../spec/sweep-values';
import type { Params } from './types';

export type Dim = SweepParameter & { path: string };
export type NumericDim = Dim & { type: 'float' | 'int' };

export interface Space {
  dims: Dim[];
}

/** The space of a validated `sweep.parameters` (conditions name earlier-or-later categorical parameters, no cycles). */
export function createSpace(parameters: Record<string, SweepParameter>): Space {
  const dims: Dim[] = [];
  const placed = new Set<string>();
  const place = (path: string): void => {
    if (placed.has(path)) return;
    const when = parameters[path].when;
    if (when) place(when.parameter);
    placed.add(path);
    dims.push({ ...parameters[path], path });
  };
  Object.keys(parameters).forEach(place);
  return { dims };
}

/** Whether `dim` is active given the values chosen so far for the parameters before it. */
export function isActive(dim: Dim, params: Params): boolean {
  const when = dim.when;
  return !when || (when.parameter in params && when.in.some((v) => sameJson(v, params[when.parameter])));
}

/** Walks the space in order and asks `choose` for the value of each active parameter. */
export function buildParams(space: Space, choose: (dim: Dim, sofar: Params) => Json): Params {
  const params: Params = {};
  for (const dim of space.dims) if (isActive(dim, params)) params[dim.path] = choose(dim, params);
  return params;
}

/**
 * The interval the unit interval maps onto: [min, max] (in logs when `log`), widened by half a step at
 * each end for stepped values so that every value on the grid gets an equal share (as Optuna does).
 */
export function boundsOf(d: NumericDim): [number, number] {
  const half = (stepOf(d) ?? 0) / 2;
  const [lo, hi] = [d.min - half, topOf(d) + half];
  return d.log ? [Math.log(lo), Math.log(hi)] : [lo, hi];
}

/** Snaps to the step grid and clamps; floats without step keep 6 significant digits (readable run names, no loss that matters). */
export function snap(d: NumericDim, v: number): number {
  const step = stepOf(d);
  if (step === undefined) return Math.min(d.max, Math.max(d.min, Number(v.toPrecision(6))));
  const k = Math.min(Math.round((topOf(d) - d.min) / step), Math.max(0, Math.round((v - d.min) / step)));
  return Number((d.min + k * step).toPrecision(12));
}

/** The scale the dim is searched on: the logs of its values when `log`, else the values. */
export const transform = (d: NumericDim, v: number): number => (d.log ? Math.log(v) : v);

/** Back from the search scale to a value on the dim's grid. */
export const untransform = (d: NumericDim, x: number): number => snap(d, d.log ? Math.exp(x) : x);

/** A number in [0, 1] to a value of the dim (uniform u gives log-uniform values when `log`). */
export function fromUnit(d: NumericDim, u: number): number {
  const [lo, hi] = boundsOf(d);
  return untransform(d, lo + Math.min(1, Math.max(0, u)) * (hi - lo));
}

/** A value of the dim to [0, 1]: the inverse of `fromUnit` on the grid. */
export function toUnit(d: NumericDim, v: number): number {
  const [lo, hi] = boundsOf(d);
  return (transform(d, v) - lo) / (hi - lo);
}

/** A draw from the dim's prior: uniform over values, log-uniform for `log`, uniform over categories. */
export function sampleDim(d: Dim, rng: Rng): Json {
  return d.type === 'categorical' ? d.values[rng.int(d.values.length)] : fromUnit(d, rng.next());
}

/** A configuration drawn from the prior, conditions respected. */
export const sampleParams = (space: Space, rng: Rng): Params => buildParams(space, (d) => sampleDim(d, rng));

/** A canonical text for a configuration (space order), to tell configurations apart. */
export const paramsKey = (space: Space, params: Params): string =>
  JSON.stringify(space.dims.filter((d) => d.path in params).map((d) => [d.path, params[d.path]]));

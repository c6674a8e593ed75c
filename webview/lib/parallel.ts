/**
 * The axes of a sweep's parallel-coordinates plot (Inselberg, "The plane with parallel coordinates",
 * 1985) and its brushing: one axis per parameter (its search range, log where the parameter is log) and
 * one per objective (the range of the values seen), each placing a trial at a height in [0, 1]. Pure: the
 * view draws what these return, and the tests check them without a page.
 *
 * A brush is kept in the axis's own terms: values on a numeric axis, slot heights on a categorical one.
 * An objective axis spans the values seen so far, so a brush kept as heights would select other trials
 * each time a trial widened the axis.
 */
import { metricRange, showParam } from '../../src/core/dashboard/present';
import { trialFacts, type TrialRunFacts } from '../../src/core/dashboard/trial';
import type { SweepTrialView, SweepView } from '../../src/core/sweep/view';

export interface Axis {
  key: string;
  label: string;
  kind: 'param' | 'objective';
  /** `cat`: evenly spaced slots, one per value (matched by their JSON). */
  scale: 'linear' | 'log' | 'cat';
  /** Numeric axes: the values at height 0 and 1. */
  min: number;
  max: number;
  /** Categorical axes: each value's JSON, bottom to top. */
  values: string[];
  /** Categorical axes: each value as written in a spec (`adam`, `[64, 32]`), for the ticks. */
  labels: string[];
  /** The trial's value on this axis, or undefined (an inactive parameter, an objective not reached). */
  value(t: SweepTrialView): unknown;
}

/** Brushed ranges by axis key, each [lo, hi]: values on numeric axes, heights in [0, 1] on categorical ones. */
export type Brushes = Record<string, [number, number]>;

/**
 * The axes of sweep `v`. A trial's objective value is the one every view shows (`trialFacts`): a completed
 * trial's result, a pruned one's value where its run stopped (from `runs`, else its last intermediate).
 * Objective axes span the values seen, padded, within the metric's range (an accuracy axis ends at 1).
 */
export function axesOf(v: SweepView, runs: Map<string, TrialRunFacts> = new Map()): Axis[] {
  const valuesOf = new Map(v.trials.map((t) => [t, trialFacts(v, t, t.runId ? runs.get(t.runId) : undefined).values]));
  const params = v.parameters.map((p): Axis => {
    const value = (t: SweepTrialView) => t.params[p.path];
    if (p.type === 'categorical') return { key: p.path, label: p.path, kind: 'param', scale: 'cat', min: 0, max: 1, values: p.values.map((x) => JSON.stringify(x)), labels: p.values.map(showParam), value };
    return { key: p.path, label: p.path, kind: 'param', scale: p.log ? 'log' : 'linear', min: p.min, max: p.max, values: [], labels: [], value };
  });
  const objectives = v.objectives.map((o): Axis => {
    const value = (t: SweepTrialView) => valuesOf.get(t)?.[o.metric] ?? trialFacts(v, t).values[o.metric];
    const seen = v.trials.map(value).filter((x): x is number => x !== undefined && Number.isFinite(x));
    const [min, max] = seen.length ? metricRange(o.metric, Math.min(...seen), Math.max(...seen)) : [0, 1];
    return {
      key: `objective:${o.metric}`, label: `${o.metric} ${o.direction === 'maximize' ? '↑' : '↓'}`, kind: 'objective', scale: 'linear',
      min, max, values: [], labels: [], value,
    };
  });
  return [...params, ...objectives];
}

/** The height of value `x` on axis `a` in [0, 1], or undefined where `x` has no place on it. */
export function heightOf(a: Axis, x: unknown): number | undefined {
  if (a.scale === 'cat') {
    const i = a.values.indexOf(JSON.stringify(x));
    return i < 0 ? undefined : (i + 0.5) / a.values.length;
  }
  if (typeof x !== 'number' || !Number.isFinite(x) || (a.scale === 'log' && x <= 0)) return undefined;
  const f = a.scale === 'log' ? Math.log(x / a.min) / Math.log(a.max / a.min) : (x - a.min) / (a.max - a.min);
  return Number.isFinite(f) ? f : 0.5;
}

/** The value at height `y` of a numeric axis (inverse of `heightOf`); exactly `min` and `max` at the ends, so a brush dragged to an end keeps a trial there. */
export const valueAt = (a: Axis, y: number): number =>
  y <= 0 ? a.min : y >= 1 ? a.max : a.scale === 'log' ? a.min * Math.pow(a.max / a.min, y) : a.min + y * (a.max - a.min);

/** The brush of axis `a` for a drag over heights `h` ([lo, hi] in [0, 1]): values on a numeric axis, `h` itself on a categorical one. */
export const brushFromHeights = (a: Axis, h: [number, number]): [number, number] => (a.scale === 'cat' ? h : [valueAt(a, h[0]), valueAt(a, h[1])]);

/** Where brush `b` of axis `a` is drawn: its heights, clipped to the axis (a value range can reach past it). */
export function brushHeights(a: Axis, b: [number, number]): [number, number] {
  if (a.scale === 'cat') return b;
  const clip = (x: number) => Math.min(1, Math.max(0, heightOf(a, x) ?? 0));
  return [clip(b[0]), clip(b[1])];
}

/** Whether trial `t` lies within every brush (a trial with no value on a brushed axis does not). */
export function inBrushes(axes: Axis[], brushes: Brushes, t: SweepTrialView): boolean {
  return axes.every((a) => {
    const b = brushes[a.key];
    if (!b) return true;
    const x = a.value(t);
    const y = heightOf(a, x);
    if (y === undefined) return false;
    const at = a.scale === 'cat' ? y : (x as number);
    return at >= b[0] && at <= b[1];
  });
}

/** The brushes saved in a view's state that still fit: ordered finite ranges (within [0, 1] on a categorical axis) on axes that exist. */
export function validBrushes(saved: unknown, axes: Axis[]): Brushes {
  if (!saved || typeof saved !== 'object') return {};
  const fits = (a: Axis, r: unknown): boolean => Array.isArray(r) && r.length === 2 && r[0] <= r[1]
    && r.every((x) => typeof x === 'number' && Number.isFinite(x) && (a.scale !== 'cat' || (x >= 0 && x <= 1)));
  return Object.fromEntries(Object.entries(saved as Record<string, unknown>).filter(([k, r]) => {
    const a = axes.find((x) => x.key === k);
    return a !== undefined && fits(a, r);
  })) as Brushes;
}

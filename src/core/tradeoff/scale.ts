/**
 * The scatter's axes as pure maps between data and pixels, linear or log10, and the brush as a rectangle
 * in data space: a drag is turned into data ranges through the axes (so a log axis brushes a range of
 * decades), and a run is inside when both its values lie in them. A value a log axis cannot show (zero,
 * negative) and a missing one are never inside, nor drawn.
 */
import { metricRange } from '../dashboard/present';

export interface Axis {
  metric: string;
  log: boolean;
  /** Data values at the two ends of the axis (lo < hi; both > 0 on a log axis). */
  domain: [number, number];
}

/** Whether `v` has a place on `axis` (finite, and positive on a log axis). */
export const plottable = (axis: Pick<Axis, 'log'>, v: number | undefined): v is number =>
  v !== undefined && Number.isFinite(v) && (!axis.log || v > 0);

/**
 * The axis for `values` (those it cannot show are ignored): a linear axis padded 5% and kept within what
 * the metric can take (`metricRange`: an accuracy axis never past 1); a log axis padded a twentieth of its
 * decades, or half a decade either side of a single value.
 */
export function axisFor(metric: string, values: readonly number[], log: boolean): Axis {
  const vs = values.filter((v) => plottable({ log }, v));
  if (!vs.length) return { metric, log, domain: log ? [1, 10] : [0, 1] };
  const [lo, hi] = [Math.min(...vs), Math.max(...vs)];
  if (!log) return { metric, log, domain: metricRange(metric, lo, hi) };
  const [a, b] = [Math.log10(lo), Math.log10(hi)];
  const pad = b > a ? (b - a) * 0.05 : 0.5;
  return { metric, log, domain: [10 ** (a - pad), 10 ** (b + pad)] };
}

const t = (axis: Axis, v: number) => (axis.log ? Math.log10(v) : v);

/** The pixel of value `v` on `axis` drawn from pixel `range[0]` (domain lo) to `range[1]` (domain hi). */
export function project(axis: Axis, v: number, range: readonly [number, number]): number {
  const [lo, hi] = [t(axis, axis.domain[0]), t(axis, axis.domain[1])];
  return range[0] + ((t(axis, v) - lo) / (hi - lo)) * (range[1] - range[0]);
}

/** The value at pixel `px` on `axis`: the inverse of `project`. */
export function invert(axis: Axis, px: number, range: readonly [number, number]): number {
  const [lo, hi] = [t(axis, axis.domain[0]), t(axis, axis.domain[1])];
  const u = lo + ((px - range[0]) / (range[1] - range[0])) * (hi - lo);
  return axis.log ? 10 ** u : u;
}

/** A brush: a range of each axis' metric, in data space (lo <= hi). */
export interface Brush {
  x: [number, number];
  y: [number, number];
}

const sorted = (a: number, b: number): [number, number] => (a <= b ? [a, b] : [b, a]);

/** The brush a drag from pixel (x0, y0) to (x1, y1) makes on these axes and pixel ranges. */
export function brushOf(
  axes: { x: Axis; y: Axis }, ranges: { x: readonly [number, number]; y: readonly [number, number] },
  from: readonly [number, number], to: readonly [number, number],
): Brush {
  return {
    x: sorted(invert(axes.x, from[0], ranges.x), invert(axes.x, to[0], ranges.x)),
    y: sorted(invert(axes.y, from[1], ranges.y), invert(axes.y, to[1], ranges.y)),
  };
}

/** Ids of the points whose x and y values both lie in the brush (bounds included). */
export function inBrush(
  points: readonly { id: string; values: Record<string, number> }[], axes: { x: Axis; y: Axis }, brush: Brush,
): string[] {
  return points.filter((p) => {
    const [x, y] = [p.values[axes.x.metric], p.values[axes.y.metric]];
    return plottable(axes.x, x) && plottable(axes.y, y) && x >= brush.x[0] && x <= brush.x[1] && y >= brush.y[0] && y <= brush.y[1];
  }).map((p) => p.id);
}

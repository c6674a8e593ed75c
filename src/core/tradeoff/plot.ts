/**
 * A trade-off plot as data: the default choice of axes, colour and objectives for a set of points, and for
 * a choice, the axes, the points placed and those that cannot be (with why), and the front.
 */
import { mixedEvaluations, mixedSentence, type MixedMetric } from '../dashboard/conditions';
import { metricInfo, type Better } from '../metrics/registry';
import { objectivesOf, paretoFront, type Front, type Objective } from './front';
import { axisFor, plottable, type Axis } from './scale';
import { metricCounts, type RunValues } from './values';

export interface TradeoffChoice {
  x: string;
  y: string;
  /** The metric that colours the points; none when undefined. */
  color?: string;
  logX: boolean;
  logY: boolean;
  /** The front's objectives (each with a direction); the axes and the colour by default. */
  objectives: string[];
}

/**
 * Sizes (the packed model, then its other sizes), then latency: what a compressed model is judged by. The
 * default x is the one most points have, this order breaking ties: an attacked model that was never
 * compressed has tfjs_bytes (the size of its files) but no packed_bytes, and should not drop off the plot.
 */
const X_FIRST = ['packed_bytes', 'tfjs_gzip_bytes', 'tfjs_bytes', 'float32_bytes', 'params_nonzero', 'params', 'latency_b1_ms'];
/** Accuracy on held-out data first: what the model is for. */
const Y_FIRST = ['test_accuracy', 'val_accuracy', 'accuracy', 'clean_accuracy', 'test_mse', 'val_mse', 'test_loss', 'val_loss', 'loss'];
const COLOR_FIRST = ['robust_accuracy'];
const isRobust = (m: string) => /(^|\/)robust_accuracy$/.test(m);

/** A log axis by default for sizes and counts (they span decades). */
export const logByDefault = (metric: string): boolean => ['bytes', 'count'].includes(metricInfo(metric)?.unit ?? '');

/**
 * The default choice: a sweep's objectives in its order (a size objective on x; a single objective on y);
 * otherwise x the size most points have (log axis), y an accuracy, colour robust accuracy, among the metrics
 * the points have. The objectives are the axes and colour that have a direction.
 */
export function defaultChoice(points: readonly RunValues[], sweepObjectives: readonly string[] = []): TradeoffChoice {
  const counts = new Map(metricCounts(points).map((m) => [m.metric, m.count]));
  const have = [...counts.keys()];
  const first = (prefs: string[], not: (string | undefined)[]) => prefs.find((m) => have.includes(m) && !not.includes(m));
  let [x, y, color]: (string | undefined)[] = [];
  if (sweepObjectives.length >= 2) {
    const size = sweepObjectives.find(logByDefault);
    const rest = sweepObjectives.filter((m) => m !== size);
    [x, y, color] = size ? [size, ...rest] : [sweepObjectives[1], sweepObjectives[0], sweepObjectives[2]];
  } else {
    x = X_FIRST.filter((m) => counts.has(m)).sort((a, b) => counts.get(b)! - counts.get(a)!)[0];
    y = sweepObjectives[0] ?? first(Y_FIRST, [x]);
    color = first(COLOR_FIRST, [x, y]) ?? have.find((m) => isRobust(m) && m !== x && m !== y);
    const others = have.filter((m) => metricInfo(m) && m !== color);
    x ??= others.find((m) => m !== y) ?? have.find((m) => m !== y) ?? '';
    y ??= others.find((m) => m !== x) ?? have.find((m) => m !== x) ?? '';
  }
  const chosen = [x, y, color].filter((m): m is string => m !== undefined && m !== '');
  const declared = sweepObjectives.length ? sweepObjectives : chosen;
  return { x: x!, y: y!, color, logX: logByDefault(x!), logY: logByDefault(y!), objectives: declared.filter((m) => sweepObjectives.includes(m) || metricInfo(m)) };
}

export interface TradeoffPlot {
  axes: { x: Axis; y: Axis };
  /** Points with both axis values, in the input order. */
  plotted: RunValues[];
  /** Points without a place on the plot, and why (a missing value, or none a log axis can show). */
  notPlotted: { id: string; reason: string }[];
  /** The colour metric's range over the plotted points that have it. */
  colorDomain?: [number, number];
  objectives: Objective[];
  /** Objectives chosen that have no direction: not part of the front. */
  unknown: string[];
  /** The plotted metrics (axes, colour, objectives) whose values were measured under different robustness evaluations. */
  mixed: MixedMetric[];
  /** Why there is no front, when an objective is among `mixed`: `robust_accuracy was measured under 2 ...`. */
  noFront?: string;
  /** Empty while `noFront`: a front over values of different measurements would rank them as one. */
  front: Front;
}

/**
 * The plot of `points` for choice `c`. `specOf(id)` is a run's spec, by which a robustness value's
 * evaluation is judged (core/dashboard/conditions.ts); `declared` the directions a sweep declared.
 */
export function tradeoffPlot(
  points: readonly RunValues[], c: TradeoffChoice, specOf: (id: string) => unknown, declared: Readonly<Record<string, Better>> = {},
): TradeoffPlot {
  // Each axis spans the points that have a place on both: a run without a size does not stretch the accuracy axis.
  const both = points.filter((p) => plottable({ log: c.logX }, p.values[c.x]) && plottable({ log: c.logY }, p.values[c.y]));
  const axes = { x: axisFor(c.x, both.map((p) => p.values[c.x]), c.logX), y: axisFor(c.y, both.map((p) => p.values[c.y]), c.logY) };
  const plotted: RunValues[] = [];
  const notPlotted: { id: string; reason: string }[] = [];
  for (const p of points) {
    const why = ([['x', axes.x], ['y', axes.y]] as const).flatMap(([, a]) => {
      const v = p.values[a.metric];
      return v === undefined ? [`no ${a.metric}`] : plottable(a, v) ? [] : [`${a.metric} ${v} on a log axis`];
    });
    if (why.length) notPlotted.push({ id: p.id, reason: why.join(', ') });
    else plotted.push(p);
  }
  const colors = c.color ? plotted.map((p) => p.values[c.color!]).filter((v) => v !== undefined) : [];
  const { objectives, unknown } = objectivesOf(c.objectives, declared);
  const mixed = mixedEvaluations([c.x, c.y, ...(c.color ? [c.color] : []), ...c.objectives], points, specOf);
  const apart = mixed.filter((m) => objectives.some((o) => o.metric === m.metric));
  const front = paretoFront(points, objectives);
  return {
    axes, plotted, notPlotted, objectives, unknown, mixed,
    colorDomain: colors.length ? [Math.min(...colors), Math.max(...colors)] : undefined,
    ...(apart.length ? { noFront: apart.map(mixedSentence).join('; '), front: { ...front, front: [], rank: {} } } : { front }),
  };
}

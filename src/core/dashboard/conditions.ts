/**
 * Whether runs' metrics rank against each other, for `hone compare`, `hone ls` and the dashboard's views
 * (pure: the webview imports this file). A robust accuracy is a number for one headline eps, norm and attack
 * set; the views judge it with the functions `hone compare` uses (core/robust/condition.ts), so a value
 * measured at eps 0.1 is never starred, or put on a front, above one measured at eps 0.05. And a metric
 * measured on data (a loss, an accuracy: any the registry does not call a property of the model alone)
 * ranks only across runs of the same data section: a regression's loss is not better than a classifier's.
 */
import { flatten } from '../compare';
import { metricInfo } from '../metrics/registry';
import { comparable, describeEvaluation, evaluationOf, headlineEps, labelled, metricCondition } from '../robust/condition';

/**
 * What a run's data-dependent metrics were measured on: its spec's data section (source, file, generator
 * settings, split), less the input scaling, which changes neither the samples nor the metrics' units.
 */
function dataOf(spec: unknown): string {
  if (!spec || typeof spec !== 'object') return '[]';
  let key = dataKeys.get(spec);
  if (key === undefined) dataKeys.set(spec, (key = JSON.stringify(dataFields(spec))));
  return key;
}
/** dataOf per spec object: the Runs table asks it of every row for every metric column at each update. */
const dataKeys = new WeakMap<object, string>();

/** The spec's data section as sorted [path, value] pairs, less the input scaling; [] when it has none. */
function dataFields(spec: unknown): [string, unknown][] {
  const data = (spec as { data?: unknown } | null | undefined)?.data;
  if (!data || typeof data !== 'object') return [];
  const { normalize: _scaling, ...rest } = data as Record<string, unknown>;
  return Object.entries(flatten(rest, 'data')).sort(([a], [b]) => a.localeCompare(b));
}

/** Whether `metric` depends on the data it was measured on (a known metric that is not the model's own). */
const onData = (metric: string): boolean => metricInfo(metric) !== undefined && !metricInfo(metric)!.model;

/**
 * Whether the values of `metric` of runs with these specs (those that have one) rank against each other:
 * measured on the same data (unless the metric is the model's own, as its size) and, for a robustness
 * metric, under the same evaluation.
 */
export function ranks(metric: string, specs: readonly unknown[]): boolean {
  const sameData = !onData(metric) || new Set(specs.map(dataOf)).size <= 1;
  return sameData && comparable(metric, specs);
}

/** Under a table with a \u2020 row, in the CLI and the dashboard alike. */
export const APART_WHY = 'the runs measured it on different data (the data section of their specs) or under different robustness evaluations (test points, headline eps, smaller eps counted with it, norm, attacks or gradient checks)';

/** How one metric's row across runs reads. */
export interface MetricRow {
  /** The metric, with its headline eps when every run that has it shares one: `robust_accuracy (eps 0.05)`. */
  label: string;
  /** The values were measured on different data or under different evaluations: the row ranks nothing (no star) and is marked †. */
  apart: boolean;
  /** Each run's headline eps, where the runs do not share one (the cell says it); else all undefined. */
  eps: (number | undefined)[];
}

/**
 * `metric`'s row over runs: `specs[i]` is the spec of the run whose value run i shows (an evaluation run
 * lends the size of its model, so a lent value's condition is its lender's), `has[i]` whether it has one.
 * `byData` false judges the robustness evaluation alone: for a listing that stars nothing, where runs of
 * every experiment stand side by side and only an eps needs saying.
 */
export function metricRow(metric: string, specs: readonly unknown[], has: readonly boolean[], byData = true): MetricRow {
  const present = specs.filter((_, i) => has[i]);
  const labels = new Set(present.map((s) => labelled(metric, s)));
  const shared = labels.size <= 1;
  return {
    label: shared && labels.size ? [...labels][0] : metric,
    apart: byData ? !ranks(metric, present) : !comparable(metric, present),
    eps: specs.map((s, i) => (shared || !has[i] ? undefined : headlineEps(metric, s))),
  };
}

/** A metric whose values were measured on more than one data section, or under more than one evaluation, and those in words. */
export interface MixedMetric {
  metric: string;
  /** What differs: the data (checked first), or, on one data section, the robustness evaluation. */
  by: 'data' | 'evaluation';
  /**
   * One line per data section or evaluation, with how many runs measured on or under it: `data.source digits,
   * data.split.train 0.6 (3 runs)` (the fields that differ), `eps 0.05 (headline); linf; 100 points; apgd-ce (2 runs)`.
   */
  evaluations: string[];
}

/** `robust_accuracy was measured under 2 different robustness evaluations, so its values do not rank against each other`. */
export const mixedSentence = (m: MixedMetric): string =>
  `${m.metric} was measured ${m.by === 'data' ? 'on' : 'under'} ${m.evaluations.length} different ${m.by === 'data' ? 'data sections' : 'robustness evaluations'}, so its values do not rank against each other`;

type MixedPoint = { id: string; values: Record<string, number>; from: Record<string, string> };

const runsOf = (n: number) => `(${n} run${n === 1 ? '' : 's'})`;

/** The values of `metric` grouped by `key` of the spec each was measured with (a lent value by its lender's). */
function groupsOf(metric: string, points: readonly MixedPoint[], specOf: (id: string) => unknown, key: (spec: unknown) => string): Map<string, { spec: unknown; runs: number }> {
  const groups = new Map<string, { spec: unknown; runs: number }>();
  for (const p of points) {
    if (p.values[metric] === undefined) continue;
    const spec = specOf(p.from[metric] ?? p.id);
    const k = key(spec);
    const g = groups.get(k) ?? groups.set(k, { spec, runs: 0 }).get(k)!;
    g.runs += 1;
  }
  return groups;
}

/** Each data section by the fields in which the sections differ: `data.source digits, data.split.train 0.6 (3 runs)`. */
function describeData(groups: { spec: unknown; runs: number }[]): string[] {
  const fields = groups.map((g) => new Map(dataFields(g.spec)));
  const paths = [...new Set(fields.flatMap((f) => [...f.keys()]))].sort();
  const differ = paths.filter((p) => new Set(fields.map((f) => JSON.stringify(f.get(p)))).size > 1);
  return groups.map((g, i) => `${fields[i].size ? differ.map((p) => `${p} ${fields[i].get(p) ?? '(none)'}`).join(', ') : 'no data section in its spec'} ${runsOf(g.runs)}`);
}

/**
 * The `metrics` whose values over `points` were measured on more than one data section (a metric the
 * registry does not call the model's own) or under more than one evaluation (metricCondition), each with
 * those sections or evaluations. `specOf(id)` is a run's spec; a value lent by another run (`from`) is
 * judged by its lender's.
 */
export function mixedEvaluations(metrics: readonly string[], points: readonly MixedPoint[], specOf: (id: string) => unknown): MixedMetric[] {
  return [...new Set(metrics)].flatMap((metric): MixedMetric[] => {
    const data = onData(metric) ? [...groupsOf(metric, points, specOf, dataOf).values()] : [];
    if (data.length > 1) return [{ metric, by: 'data', evaluations: describeData(data) }];
    // A metric no evaluation setting changes (an accuracy, a size) has no condition, whatever the spec.
    if (metricCondition(metric, undefined) === undefined) return [];
    const groups = [...groupsOf(metric, points, specOf, (s) => metricCondition(metric, s) ?? 'none').values()];
    if (groups.length <= 1) return [];
    const evaluations = groups.map(({ spec, runs }) => {
      const ev = evaluationOf(spec);
      return `${ev ? describeEvaluation(ev) : 'no evaluation in its spec'} ${runsOf(runs)}`;
    });
    return [{ metric, by: 'evaluation', evaluations }];
  });
}

/**
 * Whether runs' metrics rank against each other, for `hone compare`, `hone ls` and the dashboard's views
 * (pure: the webview imports this file). A robust accuracy is a number for one headline eps, norm and attack
 * set; the views judge it with the functions `hone compare` uses (core/robust/condition.ts), so a value
 * measured at eps 0.1 is never starred, or put on a front, above one measured at eps 0.05. And a metric
 * measured on data (a loss, an accuracy: any the registry does not call a property of the model alone)
 * ranks only across runs of the same data section: a regression's loss is not better than a classifier's.
 */
import { flatten } from '../compare';
import { metricInfo, type Part } from '../metrics/registry';
import { comparable, describeEvaluation, evaluationOf, headlineEps, labelled, metricCondition } from '../robust/condition';

/**
 * What a run's `metric` was measured on: its spec's data section (source, file, generator settings,
 * split), less the input scaling, which changes neither the samples nor the metrics' units; and the seed
 * that generated or shuffled the samples of the metric's part (data.seed, else the run's seed), where one did.
 */
function dataOf(spec: unknown, metric: string): string {
  if (!spec || typeof spec !== 'object') return '[]';
  let keys = dataKeys.get(spec);
  if (!keys) dataKeys.set(spec, (keys = new Map()));
  const part = metricInfo(metric)?.part;
  let key = keys.get(part);
  if (key === undefined) keys.set(part, (key = JSON.stringify(dataFields(spec, part))));
  return key;
}
/** dataOf per spec object and part: the Runs table asks it of every row for every metric column at each update. */
const dataKeys = new WeakMap<object, Map<Part | undefined, string>>();

/**
 * The spec's data section as sorted [path, value] pairs, less the input scaling, with `data.seed` (the run's
 * seed where the spec has none) when the samples of `part` depend on it (all parts, where it is unknown);
 * [] when the spec has no data section.
 */
function dataFields(spec: unknown, part: Part | undefined): [string, unknown][] {
  const data = (spec as { data?: unknown } | null | undefined)?.data;
  if (!data || typeof data !== 'object') return [];
  const { normalize: _scaling, seed, ...rest } = data as Record<string, unknown>;
  const fields = Object.entries(flatten(rest, 'data'));
  if (seeded(rest, part)) fields.push(['data.seed', seed ?? (spec as { seed?: unknown }).seed]);
  return fields.sort(([a], [b]) => a.localeCompare(b));
}

/**
 * Whether a seed picks the samples of `part` (engine/data): generated data always; MNIST's test part never
 * (the t10k file), its training and validation parts when the seed divides the training images between
 * them; any other source's parts whenever its split cuts the samples.
 */
function seeded(data: Record<string, unknown>, part: Part | undefined): boolean {
  const split = data.split as { train?: unknown; val?: unknown } | undefined;
  if (data.source === 'regression' || data.source === 'classification') return true;
  if (data.source === 'mnist') return part !== 'test' && Number(split?.val ?? 0) > 0;
  return split?.train !== 1;
}

/** Whether `metric` depends on the data it was measured on (a known metric that is not the model's own). */
const onData = (metric: string): boolean => metricInfo(metric) !== undefined && !metricInfo(metric)!.model;

/**
 * Whether the values of `metric` of runs with these specs (those that have one) rank against each other:
 * measured on the same data (unless the metric is the model's own, as its size) and, for a robustness
 * metric, under the same evaluation.
 */
export function ranks(metric: string, specs: readonly unknown[]): boolean {
  const sameData = !onData(metric) || new Set(specs.map((s) => dataOf(s, metric))).size <= 1;
  return sameData && comparable(metric, specs);
}

/** Under a table with a \u2020 row, in the CLI and the dashboard alike. */
export const APART_WHY = 'the runs measured it on different data (the data section of their specs, or the seed that generated or split it: data.seed, else the run\'s seed) or under different robustness evaluations (test points, headline eps, smaller eps counted with it, norm, attacks or gradient checks)';

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
function describeData(metric: string, groups: { spec: unknown; runs: number }[]): string[] {
  const fields = groups.map((g) => new Map(dataFields(g.spec, metricInfo(metric)?.part)));
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
    const data = onData(metric) ? [...groupsOf(metric, points, specOf, (s) => dataOf(s, metric)).values()] : [];
    if (data.length > 1) return [{ metric, by: 'data', evaluations: describeData(metric, data) }];
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

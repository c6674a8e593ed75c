/**
 * Whether runs' robustness metrics rank against each other, for the dashboard's Compare and Trade-offs views
 * (pure: the webview imports this file). A robust accuracy is a number for one headline eps, norm and attack
 * set; the views judge it with the functions `hone compare` uses (core/robust/condition.ts), so a value
 * measured at eps 0.1 is never starred, or put on a front, above one measured at eps 0.05.
 */
import { comparable, describeEvaluation, evaluationOf, headlineEps, labelled, metricCondition } from '../robust/condition';

/** How one metric's row across runs reads. */
export interface MetricRow {
  /** The metric, with its headline eps when every run that has it shares one: `robust_accuracy (eps 0.05)`. */
  label: string;
  /** The values were measured under different evaluations: the row ranks nothing (no star) and is marked †. */
  apart: boolean;
  /** Each run's headline eps, where the runs do not share one (the cell says it); else all undefined. */
  eps: (number | undefined)[];
}

/**
 * `metric`'s row over runs: `specs[i]` is the spec of the run whose value run i shows (an evaluation run
 * lends the size of its model, so a lent value's condition is its lender's), `has[i]` whether it has one.
 */
export function metricRow(metric: string, specs: readonly unknown[], has: readonly boolean[]): MetricRow {
  const present = specs.filter((_, i) => has[i]);
  const labels = new Set(present.map((s) => labelled(metric, s)));
  const shared = labels.size <= 1;
  return {
    label: shared && labels.size ? [...labels][0] : metric,
    apart: !comparable(metric, present),
    eps: specs.map((s, i) => (shared || !has[i] ? undefined : headlineEps(metric, s))),
  };
}

/** A metric whose values were measured under more than one evaluation, and those evaluations in words. */
export interface MixedMetric {
  metric: string;
  /** One line per evaluation, with how many runs measured under it: `eps 0.05 (headline); linf; 100 points; apgd-ce (2 runs)`. */
  evaluations: string[];
}

/** `robust_accuracy was measured under 2 different robustness evaluations, so its values do not rank against each other`. */
export const mixedSentence = (m: MixedMetric): string =>
  `${m.metric} was measured under ${m.evaluations.length} different robustness evaluations, so its values do not rank against each other`;

/**
 * The `metrics` whose values over `points` were measured under more than one evaluation (metricCondition),
 * each with those evaluations. `specOf(id)` is a run's spec; a value lent by another run (`from`) is judged
 * by its lender's.
 */
export function mixedEvaluations(
  metrics: readonly string[], points: readonly { id: string; values: Record<string, number>; from: Record<string, string> }[], specOf: (id: string) => unknown,
): MixedMetric[] {
  return [...new Set(metrics)].flatMap((metric) => {
    const groups = new Map<string, { spec: unknown; runs: number }>();
    for (const p of points) {
      if (p.values[metric] === undefined) continue;
      const spec = specOf(p.from[metric] ?? p.id);
      const condition = metricCondition(metric, spec);
      if (condition === undefined) return [];
      const g = groups.get(condition) ?? groups.set(condition, { spec, runs: 0 }).get(condition)!;
      g.runs += 1;
    }
    if (groups.size <= 1) return [];
    const evaluations = [...groups.values()].map(({ spec, runs }) => {
      const ev = evaluationOf(spec);
      return `${ev ? describeEvaluation(ev) : 'no evaluation in its spec'} (${runs} run${runs === 1 ? '' : 's'})`;
    });
    return [{ metric, evaluations }];
  });
}

/**
 * What an evaluation's metric was measured under. A robust accuracy is a number for one eps, one norm and
 * one attack ensemble: `--eps 0.05,0.1` records robust_accuracy at 0.05, `--eps 0.1,0.05` at 0.1 (the
 * first eps is the headline). Two runs' values rank against each other only when measured under the same
 * condition; these pure functions say which condition that is, read from the run's spec (the one place
 * both the CLI and the dashboard have), and how to name it.
 */
import { epsList, type RobustEvaluate } from '../spec/robust-types';

/** The metrics robustMetrics records at the headline eps (core/robust/metrics.ts). */
const AT_HEADLINE = /^(robust_accuracy(_low|_high)?|[^/]+\/attack_success)$/;
const PER_EPS = /^eps_([^/]+)\/robust_accuracy$/;

/** A run spec's `robustness.evaluate`, or undefined when it has none. */
export function evaluationOf(spec: unknown): RobustEvaluate | undefined {
  const ev = (spec as { robustness?: { evaluate?: RobustEvaluate } } | null | undefined)?.robustness?.evaluate;
  return ev && typeof ev === 'object' && ev.eps !== undefined ? ev : undefined;
}

/** The eps `metric` was measured at, for a headline metric (robust_accuracy, its interval, attack success). */
export function headlineEps(metric: string, spec: unknown): number | undefined {
  const ev = evaluationOf(spec);
  return ev && AT_HEADLINE.test(metric) ? epsList(ev)[0] : undefined;
}

/**
 * What `metric`'s value depends on besides the model, as a string equal for two runs exactly when their
 * values are comparable; undefined for a metric no evaluation setting changes (accuracy, size, ...).
 * Every value of an evaluation is a share of its test points, the first `points` of the test set: 100
 * points and 200 are different test sets (clean_accuracy too). A value at eps e also counts the points
 * broken at every eps up to e (evaluate.ts), so it depends on those eps, the norm and the attacks with
 * their settings; red_flags on every eps and the gradient checks. A run whose spec has no evaluation (a
 * flag from adversarial training alone, an imported number) is its own condition, `none`. (Points past
 * the test set's size are clamped to it, so two such settings name one set; they are kept apart here
 * all the same: the spec is all these functions read, and an unstarred row is the safe mistake.)
 */
export function metricCondition(metric: string, spec: unknown): string | undefined {
  const perEps = PER_EPS.exec(metric);
  const clean = metric === 'clean_accuracy';
  if (!perEps && !AT_HEADLINE.test(metric) && metric !== 'red_flags' && !clean) return undefined;
  const ev = evaluationOf(spec);
  if (!ev) return 'none';
  if (clean) return JSON.stringify({ points: ev.points });
  const eps = [...new Set(epsList(ev))].sort((a, b) => a - b);
  const upTo = perEps ? Number(perEps[1]) : metric === 'red_flags' ? Infinity : epsList(ev)[0];
  return JSON.stringify({ points: ev.points, eps: eps.filter((e) => e <= upTo), norm: ev.norm, attacks: ev.attacks, ...(metric === 'red_flags' ? { checks: ev.checks } : {}) });
}

/** Whether the runs' values of `metric` (specs of the runs that have one) were measured under one condition. */
export const comparable = (metric: string, specs: readonly unknown[]): boolean =>
  new Set(specs.map((s) => metricCondition(metric, s))).size <= 1;

/** `robust_accuracy (eps 0.05)`: a headline metric with its eps; any other metric as it is. */
export function labelled(metric: string, spec: unknown): string {
  const eps = headlineEps(metric, spec);
  return eps === undefined ? metric : `${metric} (eps ${eps})`;
}

/**
 * An evaluation in one line: `eps 0.05 (headline), 0.1; linf; 200 points; apgd-ce, apgd-dlr, square`
 * (the attacks' settings are spec fields, which compare lists where they differ).
 */
export function describeEvaluation(ev: RobustEvaluate): string {
  const [head, ...rest] = epsList(ev);
  return `eps ${[`${head} (headline)`, ...rest].join(', ')}; ${ev.norm}; ${ev.points} points; ${ev.attacks.map((a) => a.attack).join(', ')}`;
}

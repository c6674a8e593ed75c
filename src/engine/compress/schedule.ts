/**
 * When pruning happens. Gradual pruning follows Zhu & Gupta's polynomial schedule (arXiv:1710.01878),
 * TF Model Optimization's `PolynomialDecay`: over steps t0, t0 + dt, ..., t0 + n dt the sparsity rises
 *
 *   s_t = s_f + (s_i - s_f) (1 - (t - t0) / (n dt))^3
 *
 * from s_i to s_f, fast at first (the many redundant weights) and slowly near the end; masks change only
 * at those steps. Iterative pruning (Deep Compression, arXiv:1510.00149; the lottery ticket's rounds,
 * arXiv:1803.03635) prunes the same fraction of the remaining weights in each of k cycles:
 * s_c = 1 - (1 - s_f)^(c / k).
 */
export interface PolynomialSchedule {
  /** s_i and s_f. */
  initial: number;
  final: number;
  /** t0: the first pruning step (steps taken before it). */
  begin: number;
  /** dt: steps between mask updates, and n: how many updates after the first. */
  frequency: number;
  updates: number;
}

/** The scheduled sparsity after `t` steps: 0 before t0, s_f from t0 + n dt on, piecewise constant between updates. */
export function polynomialSparsity(t: number, s: PolynomialSchedule): number {
  if (t < s.begin) return 0;
  const k = Math.min(s.updates, Math.floor((t - s.begin) / s.frequency));
  if (k >= s.updates) return s.final;
  return s.final + (s.initial - s.final) * (1 - k / s.updates) ** 3;
}

/** Whether masks are updated after `t` steps: at t0 + k dt for k = 0..n. */
export const isPruningStep = (t: number, s: PolynomialSchedule): boolean =>
  t >= s.begin && (t - s.begin) % s.frequency === 0 && (t - s.begin) / s.frequency <= s.updates;

/**
 * The schedule over a stage of `steps` steps: t0 = round(begin * steps), then an update every `frequency`
 * steps up to round(end * steps): the last (the final sparsity) at t0 + floor(span / frequency) x
 * frequency, span = round(end * steps) - t0, so up to frequency - 1 steps before that end. When the span is
 * shorter than `frequency`, updates at t0 (s_i) and at t0 + span, the end (s_f): TF Model Optimization
 * would update at t0 only and never reach s_f; here the final sparsity is always reached within the stage.
 */
export function polynomialOver(steps: number, c: { initialSparsity: number; sparsity: number; begin: number; end: number; frequency: number }): PolynomialSchedule {
  const t0 = Math.round(c.begin * steps);
  const span = Math.max(0, Math.round(c.end * steps) - t0);
  if (span < c.frequency) return { initial: c.initialSparsity, final: c.sparsity, begin: t0, frequency: Math.max(1, span), updates: span > 0 ? 1 : 0 };
  return { initial: c.initialSparsity, final: c.sparsity, begin: t0, frequency: c.frequency, updates: Math.floor(span / c.frequency) };
}

/** Sparsity after cycle `c` of `k` (1-based) reaching `final` at the last: 1 - (1 - final)^(c / k). */
export const iterativeSparsity = (c: number, k: number, final: number): number => (c >= k ? final : 1 - (1 - final) ** (c / k));

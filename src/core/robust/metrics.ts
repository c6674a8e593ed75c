/**
 * The stable metric names a robustness evaluation writes into run.json's `final` (and `hone ls`,
 * compare, sweeps read), registered in core/metrics/registry.ts:
 *
 *   clean_accuracy                 accuracy on the points evaluated, without attack
 *   robust_accuracy                at the headline eps: no attack of the ensemble broke the point
 *   robust_accuracy_low/_high      its 95% Clopper-Pearson interval
 *   eps_<eps>/robust_accuracy      at each eps of the curve (eps_0.3/robust_accuracy)
 *   <attack>/attack_success        at the headline eps: share of the points the attack ran on that it broke
 *   red_flags                      how many red flags were raised
 *   eval_points                    how many test points were evaluated
 *
 * An evaluate run (`hone attack`) adds `tfjs_bytes`, the size of the model files it attacked (its worker).
 */
import type { RobustReport } from './report';

export const epsMetric = (eps: number) => `eps_${eps}/robust_accuracy`;

export function robustMetrics(r: RobustReport): Record<string, number> {
  const head = r.perEps.find((e) => e.eps === r.headline) ?? r.perEps[0];
  const out: Record<string, number> = {
    clean_accuracy: r.points ? r.correct / r.points : 0,
    robust_accuracy: head.robustAccuracy,
    robust_accuracy_low: head.ci[0],
    robust_accuracy_high: head.ci[1],
  };
  for (const e of r.perEps) out[epsMetric(e.eps)] = e.robustAccuracy;
  for (const a of head.attacks) if (a.ran > 0) out[`${a.name}/attack_success`] = a.broke / a.ran;
  out.red_flags = r.flags.length;
  out.eval_points = r.points;
  return out;
}

/** run.json's `robustness` as text, for `hone attack` and `hone show`. */
import { num } from '../core/format';
import type { RobustReport } from '../core/robust/report';
import type { RunRecord } from '../core/store/types';
import { table } from './format';

export const pct = (v: number | undefined) => (v === undefined ? '' : (100 * v).toFixed(2) + '%');

/** An evaluation in words: per eps, robust accuracy with its interval and what each attack broke. */
function evaluationLines(r: RobustReport): string[] {
  const names = r.perEps[0]?.attacks.map((a) => a.name) ?? [];
  const rows = r.perEps.map((e) => [num(e.eps), pct(e.robustAccuracy), `[${pct(e.ci[0])}, ${pct(e.ci[1])}]`, ...e.attacks.map((a) => `${a.broke}/${a.ran}`)]);
  return [
    `clean accuracy ${pct(r.correct / Math.max(1, r.points))} on the first ${r.points} test points; eps in the [0, 1] attack space, ${r.space}; norm ${r.norm}`,
    `robust_accuracy is at the headline eps ${r.headline} (the first eps given)`,
    table(['eps', 'robust accuracy', '95% CI', ...names.map((n) => `${n} broke`)], rows),
    `attacks: ${r.perEps[0]?.attacks.map((a) => a.settings).join('; ')}`,
  ];
}

/**
 * A run's robustness: its evaluation, if it had one, then its red flags (adversarial training's too).
 * A run without `robustness` (an evaluation that failed or was stopped) gets its status and message.
 */
export function robustnessText(rec: RunRecord): string {
  const rob = rec.robustness;
  if (!rob) return `${rec.status}${rec.message ? `: ${rec.message}` : ''}`;
  const flags = rob.flags.length ? rob.flags.map((f) => `  ! ${f.id}: ${f.message}`).join('\n') : '  none';
  return [...(rob.evaluation ? evaluationLines(rob.evaluation) : []), `red flags:\n${flags}`].join('\n');
}

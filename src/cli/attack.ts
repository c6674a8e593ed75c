import { resolve } from 'node:path';
import { InputError } from '../core/errors';
import { num } from '../core/format';
import { ROBUST_WORKER, startEvaluation } from '../core/robust';
import type { RunRecord } from '../core/store/types';
import { runView } from '../core/views';
import { table } from './format';
import { Progress } from './progress';
import { json, wholeNumber } from './io';
import { version } from '../../package.json';

export interface AttackArgs {
  store: string;
  ref?: string;
  eps?: string;
  norm?: string;
  attacks?: string;
  points?: string;
  sets: string[];
  json: boolean;
}

/** `0.1,0.3` as numbers; a part that is no number is bad input here (a wrong number is the spec check's). */
function numbers(flag: string, text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  return text.split(',').map((t) => {
    const v = t.trim() === '' ? NaN : Number(t);
    if (!Number.isFinite(v)) throw new InputError(`${flag}: expected numbers separated by commas (e.g. 0.1,0.3), found ${JSON.stringify(t)}`);
    return v;
  });
}

const pct = (v: number | undefined) => (v === undefined ? '' : (100 * v).toFixed(2) + '%');

/** The result of an evaluate run in words: per eps, robust accuracy with its interval and what each attack broke; red flags. */
export function robustnessText(rec: RunRecord): string {
  const r = rec.robustness?.evaluation;
  if (!r) return `${rec.status}${rec.message ? `: ${rec.message}` : ''}`;
  const names = r.perEps[0]?.attacks.map((a) => a.name) ?? [];
  const rows = r.perEps.map((e) => [num(e.eps), pct(e.robustAccuracy), `[${pct(e.ci[0])}, ${pct(e.ci[1])}]`, ...e.attacks.map((a) => `${a.broke}/${a.ran}`)]);
  const flags = rec.robustness!.flags.length ? rec.robustness!.flags.map((f) => `  ! ${f.id}: ${f.message}`).join('\n') : '  none';
  return [
    `clean accuracy ${pct(r.correct / Math.max(1, r.points))} on the first ${r.points} test points; eps in the [0, 1] attack space, ${r.space}; norm ${r.norm}`,
    table(['eps', 'robust accuracy', '95% CI', ...names.map((n) => `${n} broke`)], rows),
    `attacks: ${r.perEps[0]?.attacks.map((a) => a.settings).join('; ')}`,
    `red flags:\n${flags}`,
  ].join('\n');
}

/**
 * `hone attack <run> [--eps 0.1,0.3] [--norm linf|l2] [--attacks apgd-ce,square] [--points N] [--set ...]`:
 * evaluates the run's saved model under attacks as a child run (kind evaluate) and prints the result.
 * Exit 0 once it completes, 1 when it ends otherwise, 2 for bad input (nothing written then).
 */
export async function attackCommand(a: AttackArgs): Promise<number> {
  if (!a.ref) throw new InputError('hone attack: give a run id, id prefix or run name');
  const request = {
    eps: numbers('--eps', a.eps), norm: a.norm, attacks: a.attacks?.split(',').map((s) => s.trim()), points: wholeNumber('--points', a.points),
    sets: a.sets, versions: { hone: version },
  };
  const out = a.json ? process.stderr : process.stdout;
  const progress = new Progress(out);
  const h = startEvaluation(a.store, a.ref, request, {
    workerPath: resolve(__dirname, ROBUST_WORKER),
    onMessage: (m) => {
      if (m.type === 'epoch') progress.note(`${h.name}: eps ${num(m.line.metrics.eps)}: robust accuracy ${pct(m.line.metrics.robust_accuracy)} (${m.line.epoch}/${m.epochs})`);
      else progress.message(h.id, h.name, m);
    },
  });
  progress.note(`${h.name}: run ${h.id} attacks the saved model of run ${h.plan.source.id}; Ctrl-C stops it`);
  const onSignal = () => h.stop();
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  const rec = await h.done;
  process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  if (a.json) json(runView(rec, h.runDir));
  else out.write(`\nrun ${rec.id} ${rec.status} (parent ${rec.parent})\n${robustnessText(rec)}\nstore: ${resolve(a.store)}\n`);
  return rec.status === 'completed' ? 0 : 1;
}

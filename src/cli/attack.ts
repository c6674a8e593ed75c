import { resolve } from 'node:path';
import { InputError } from '../core/errors';
import { num } from '../core/format';
import { ROBUST_WORKER, startEvaluation } from '../core/robust';
import { runView } from '../core/views';
import { Progress } from './progress';
import { pct, robustnessText } from './robust-format';
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

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../core/errors';
import { dashboardSnapshot, type HostMessage } from '../core/dashboard';
import { findRun, readRunRecord, runDirOf } from '../core/store';
import { resolveSweep } from '../core/sweep/record';
import { defaultChoice, scopePoints, tradeoffPlot, type Front, type Scope } from '../core/tradeoff';
import { writePage } from './dashboard';
import { outFile } from './io';
import { oneLine } from './terminal';

/** A reference as a sweep when it is one's exact id, or names no run but one sweep; else as a run. */
function resolveRef(store: string, ref: string): { sweep: { id: string; runIds: string[] } } | { run: string } {
  const sweep = () => {
    const { record } = resolveSweep(store, ref);
    return { sweep: { id: record.id, runIds: record.trials.flatMap((t) => t.runId ?? []) } };
  };
  try {
    if (resolveSweep(store, ref).record.id === ref) return sweep();
  } catch {
    // Not a sweep's id: a run, or a sweep by name or prefix.
  }
  try {
    return { run: findRun(store, ref).record.id };
  } catch (runError) {
    try {
      return sweep();
    } catch (sweepError) {
      // A reference that matched something (several runs, an unreadable run.json) gets that error whole,
      // with its list of candidates; only one that matched nothing at all is reported as such.
      const matched = [runError, sweepError].find((e) => !/^no (run|sweep) matches /.test((e as Error).message));
      throw new InputError(matched ? (matched as Error).message : `'${ref}' names no run and no sweep in ${store} (hone ls lists the runs, hone sweep ls the sweeps)`);
    }
  }
}

/** `; 2 not ranked (C: no val_accuracy; ...)`: the runs the front leaves out, as they lack an objective. */
function notRanked(missing: Front['missing'], name: (id: string) => string): string {
  if (!missing.length) return '';
  const shown = missing.slice(0, 3).map((m) => `${name(m.id)}: no ${m.metrics.join(' or ')}`);
  return `; ${missing.length} not ranked (${shown.join('; ')}${missing.length > 3 ? `; and ${missing.length - 3} more` : ''})`;
}

/**
 * `hone report <run|sweep>... [--out FILE.html]`: the standalone dashboard of those runs (and the runs they
 * were made from), opened on the Trade-offs view: the plot, the front and each front run's provenance.
 * One sweep: its trials, with the sweep's objectives; otherwise the runs named (a sweep's trials among them).
 */
export async function reportCommand(store: string, refs: string[], out: string | undefined): Promise<number> {
  if (!refs.length) throw new InputError('hone report: name the runs or the sweep to report on: hone report <run|sweep>... [--out report.html]');
  if (!existsSync(store)) throw new InputError(`no store at ${resolve(store)}`);
  const file = out === undefined ? resolve(store, 'report.html') : outFile(out);
  const resolved = refs.map((r) => resolveRef(store, r));
  const [one] = resolved;
  const runIds = [...new Set(resolved.flatMap((r) => ('sweep' in r ? r.sweep.runIds : [r.run])))];
  const scope: Scope = resolved.length === 1 && 'sweep' in one ? { sweepId: one.sweep.id } : { runIds };
  // With the runs they were made from, so the page shows each front run's whole chain (as far as it is in the store).
  const only = new Set<string>();
  for (const id of runIds) {
    for (let r: string | undefined = id; r && !only.has(r);) {
      const rec = readRunRecord(runDirOf(store, r));
      if (!rec) break;
      only.add(r);
      r = rec.parent;
    }
  }
  const open: Extract<HostMessage, { type: 'open' }> = { type: 'open', view: 'tradeoff', ...scope };
  const snapshot = { ...(await dashboardSnapshot(store, { only })), open };
  writePage(file, snapshot, `Hone report: ${refs.join(' ')}`);
  const scoped = scopePoints(snapshot.init.runs, snapshot.init.sweeps ?? [], scope);
  const runOf = (id: string) => snapshot.init.runs.find((r) => r.id === id);
  const plot = tradeoffPlot(scoped.points, defaultChoice(scoped.points, scoped.sweepObjectives), (id) => runOf(id)?.spec, scoped.declared);
  const name = (id: string) => oneLine(runOf(id)?.name ?? id);
  const front = plot.front.front.map(name).join(', ') || 'none';
  const summary = plot.noFront ? `no front: ${plot.noFront}` : `front over ${plot.objectives.map((o) => o.metric).join(', ') || 'no objectives'}: ${front}${notRanked(plot.front.missing, name)}`;
  process.stdout.write(`${file}  (${scoped.title}; ${summary})\n`);
  return 0;
}

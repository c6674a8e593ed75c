import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../core/errors';
import { dashboardSnapshot, type HostMessage } from '../core/dashboard';
import { findRun, readRunRecord, runDirOf } from '../core/store';
import { resolveSweep } from '../core/sweep/record';
import { defaultChoice, scopePoints, tradeoffPlot, type Scope } from '../core/tradeoff';
import { writePage } from './dashboard';

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
    } catch {
      throw new InputError(`hone report: '${ref}' names no run and no sweep (${(runError as Error).message.split('\n')[0]})`);
    }
  }
}

/**
 * `hone report <run|sweep>... [--out FILE.html]`: the standalone dashboard of those runs (and the runs they
 * were made from), opened on the Trade-offs view: the plot, the front and each front run's provenance.
 * One sweep: its trials, with the sweep's objectives; otherwise the runs named (a sweep's trials among them).
 */
export async function reportCommand(store: string, refs: string[], out: string | undefined): Promise<number> {
  if (!refs.length) throw new InputError('hone report: name the runs or the sweep to report on: hone report <run|sweep>... [--out report.html]');
  if (!existsSync(store)) throw new InputError(`no store at ${resolve(store)}`);
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
  const file = resolve(out ?? join(store, 'report.html'));
  writePage(file, snapshot, `Hone report: ${refs.join(' ')}`);
  const scoped = scopePoints(snapshot.init.runs, snapshot.init.sweeps ?? [], scope);
  const plot = tradeoffPlot(scoped.points, defaultChoice(scoped.points, scoped.sweepObjectives), scoped.declared);
  const names = plot.front.front.map((id) => snapshot.init.runs.find((r) => r.id === id)?.name ?? id);
  process.stdout.write(`${file}  (${scoped.title}; front over ${plot.objectives.map((o) => o.metric).join(', ') || 'no objectives'}: ${names.join(', ') || 'none'})\n`);
  return 0;
}

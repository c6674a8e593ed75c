import { resolve } from 'node:path';
import { InputError } from '../core/errors';
import { FilterError, matches, parseFilter, resolveReferences, sortKey, sortRuns, unknownKey, type ResolveReference } from '../core/filter';
import { reconcileRun, resolveRun, runDirOf, syncIndexReport, type SyncReport } from '../core/store';
import { resolveSweep } from '../core/sweep';
import type { RunRecord } from '../core/store/types';
import { runView } from '../core/views';
import { runsTable } from './format';
import { json, print, warn } from './io';
import { oneLine } from './terminal';

export interface LsArgs {
  json: boolean;
  filter?: string;
  sort?: string;
  limit?: number;
}

/** Tells, on stderr, what a listing left out and whether the index could be kept up to date. */
export function warnSync(report: SyncReport, store: string): void {
  for (const s of report.skipped) warn(`skipped run ${s.id}: ${s.problem} (in ${runDirOf(store, s.id)})`);
  if (report.readOnly) warn(`the store cannot be written (${report.readOnly}): listed from its run folders, index.json not updated`);
}

/** `parent=` and `sweep=` values resolved as every <run> and <sweep> is; one naming none or several is bad input, named. */
const referenceIn = (store: string): ResolveReference => (kind, ref) => {
  try {
    return kind === 'run' ? resolveRun(store, ref).id : resolveSweep(store, ref).record.id;
  } catch (e) {
    throw new InputError(`--filter: ${kind === 'run' ? 'parent' : 'sweep'}: ${(e as Error).message}`);
  }
};

/** Every readable run of the store (newest first), filtered, sorted and cut as `a` says. */
export async function selectRuns(store: string, a: Omit<LsArgs, 'json'>): Promise<{ rec: RunRecord; dir: string }[]> {
  let clauses;
  try {
    clauses = a.filter === undefined ? [] : parseFilter(a.filter);
  } catch (e) {
    if (e instanceof FilterError) throw new InputError(e.message);
    throw e;
  }
  const report = await syncIndexReport(store);
  warnSync(report, store);
  const all = report.runs.flatMap((s) => {
    const dir = runDirOf(store, s.id);
    // reconcileRun, not a plain read: where the store cannot be written, a dead run's crash lives only here.
    const rec = reconcileRun(dir);
    return rec ? [{ rec, dir }] : [];
  });
  const records = all.map((r) => r.rec);
  for (const [option, key] of [...clauses.map((c) => ['--filter', c.key]), ...(a.sort ? [['--sort', sortKey(a.sort)]] : [])]) {
    const problem = unknownKey(key, records);
    if (problem) throw new InputError(`${option}: ${problem}`);
  }
  clauses = resolveReferences(clauses, records, referenceIn(store));
  let runs = all.filter((r) => matches(r.rec, clauses));
  if (a.sort) {
    try {
      runs = sortRuns(runs, a.sort);
    } catch (e) {
      if (e instanceof FilterError) throw new InputError(`--sort: ${e.message.replace(/^--filter: /, '')}`);
      throw e;
    }
  }
  return a.limit === undefined ? runs : runs.slice(0, a.limit);
}

/** `hone ls`: runs (filtered, sorted, limited), one table per experiment, or `--json`. */
export async function lsCommand(store: string, a: LsArgs): Promise<number> {
  const runs = await selectRuns(store, a);
  if (a.json) return json(runs.map((r) => runView(r.rec, r.dir))), 0;
  if (!runs.length) return print(a.filter ? `no runs match in ${resolve(store)}` : `no runs in ${resolve(store)}`), 0;
  const experiments = [...new Set(runs.map((r) => r.rec.experiment))];
  for (const e of experiments) print(`\n${oneLine(e)}\n${runsTable(runs.filter((r) => r.rec.experiment === e).map((r) => r.rec))}`);
  print(`\nstore: ${resolve(store)}`);
  return 0;
}

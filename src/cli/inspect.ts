import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../core/errors';
import {
  explainWriteError, exportRun, liveNote, refusal, listRunIds, readLogTail, readRunRecord, reconcileRun, removeRun, resolveRun, runDirOf, syncIndexReport, type SyncReport,
} from '../core/store';
import { FINAL_STATUSES, type RunRecord } from '../core/store/types';
import { runView } from '../core/views';
import { requestStop } from '../core/runner';
import { num } from '../core/format';
import { runsTable, table } from './format';

const print = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
const json = (value: unknown) => print(JSON.stringify(value, null, 2));

/** A run by id, id prefix or name, with a stale `running` status already turned into `crashed`. */
function findRun(store: string, ref: string | undefined): { record: RunRecord; dir: string } {
  if (!ref) throw new InputError('give a run id, id prefix or run name');
  let found;
  try {
    found = resolveRun(store, ref);
  } catch (e) {
    throw new InputError((e as Error).message);
  }
  return { record: reconcileRun(found.dir) ?? found.record, dir: found.dir };
}

const warn = (text: string) => process.stderr.write(`hone: ${text}\n`);

/** Tells, on stderr, what a listing left out and whether the index could be kept up to date. */
function warnSync(report: SyncReport, store: string): void {
  for (const s of report.skipped) warn(`skipped run ${s.id}: ${s.problem} (in ${runDirOf(store, s.id)})`);
  if (report.readOnly) warn(`the store cannot be written (${report.readOnly}): listed from its run folders, index.json not updated`);
}

/** `hone ls`: every run, one table per experiment (newest first), or `--json`. */
export async function lsCommand(store: string, asJson: boolean): Promise<number> {
  const report = await syncIndexReport(store);
  warnSync(report, store);
  const runs = report.runs.flatMap((s) => {
    const dir = runDirOf(store, s.id);
    // reconcileRun, not a plain read: where the store cannot be written, a dead run's crash lives only here.
    const rec = reconcileRun(dir);
    return rec ? [{ rec, dir }] : [];
  });
  if (asJson) return json(runs.map((r) => runView(r.rec, r.dir))), 0;
  if (!runs.length) return print(`no runs in ${resolve(store)}`), 0;
  const experiments = [...new Set(runs.map((r) => r.rec.experiment))];
  for (const e of experiments) print(`\n${e}\n${runsTable(runs.filter((r) => r.rec.experiment === e).map((r) => r.rec))}`);
  print(`\nstore: ${resolve(store)}`);
  return 0;
}

/** `hone show <run>`: status, backend and why, metrics, files. */
export function showCommand(store: string, ref: string | undefined, asJson: boolean): number {
  const { record: r, dir } = findRun(store, ref);
  const v = runView(r, dir);
  if (asJson) return json(v), 0;
  const skipped = Object.entries(r.backend?.skipped ?? {}).map(([k, why]) => `    ${k}: ${why}`);
  const metricNames = [...new Set([...Object.keys(v.metrics), ...Object.keys(v.best)])].sort();
  print([
    `run       ${r.id}  ${r.name}`,
    `status    ${r.status}${r.message ? `: ${r.message}` : ''}${liveNote(r) ? ` (${liveNote(r)})` : ''}`,
    ...(r.revived ? [`          marked crashed at ${r.revived.markedCrashed} (${r.revived.reason}) while its worker lived; it resumed at ${r.revived.resumed}`] : []),
    `backend   ${r.backend ? `${r.backend.name} (${r.backend.reason})` : '-'}`,
    ...(skipped.length ? ['  skipped:', ...skipped] : []),
    `epochs    ${r.epochsDone}/${r.epochsPlanned}${r.bestEpoch ? `, best epoch ${r.bestEpoch}` : ''}`,
    `time      ${r.timings ? `${(r.timings.totalMs / 1000).toFixed(1)}s (load ${(r.timings.loadMs / 1000).toFixed(1)}s)` : '-'}`,
    `model     ${r.model ? `${r.model.params} parameters; ${r.model.layers.join(' > ')}` : '-'}`,
    `folder    ${dir}`,
    `saved     ${v.modelPath ?? 'no model saved'}`,
    '',
    table(['metric', 'final', 'best'], metricNames.map((m) => [m, num(v.metrics[m]), num(v.best[m])])),
    '',
    'log (tail):',
    readLogTail(dir, 1200).trimEnd(),
  ].join('\n'));
  return 0;
}

/** `hone stop <run>`: SIGTERM to the worker, then wait (up to 60 s) for it to record `stopped`. */
export async function stopCommand(store: string, ref: string | undefined): Promise<number> {
  const { dir } = findRun(store, ref);
  let record: RunRecord;
  try {
    record = requestStop(store, ref!);
  } catch (e) {
    throw new InputError((e as Error).message);
  }
  for (let waited = 0; waited < 60_000; waited += 200) {
    const now = reconcileRun(dir) ?? readRunRecord(dir);
    if (now && FINAL_STATUSES.includes(now.status)) return print(`run ${record.id}: ${now.status}`), 0;
    await new Promise((r) => setTimeout(r, 200));
  }
  return print(`run ${record.id}: stop requested, still finishing its batch`), 1;
}

/** `hone rm <run>`: a run by reference, or by its exact folder name even when its run.json is damaged. */
export async function rmCommand(store: string, ref: string | undefined): Promise<number> {
  const id = ref !== undefined && listRunIds(store).includes(ref) ? ref : findRun(store, ref).record.id;
  let note: string | undefined;
  try {
    note = (await removeRun(store, id)).indexNote;
  } catch (e) {
    // A store that refuses the delete is no fault of the input: say why, exit 1.
    throw refusal(e) ? explainWriteError(e, `run ${id}`) : new InputError((e as Error).message);
  }
  if (note) warn(note);
  return print(`removed run ${id}`), 0;
}

export function exportCommand(store: string, ref: string | undefined, format: string | undefined, out: string | undefined): number {
  if (format !== 'csv' && format !== 'json') throw new InputError(`--format: expected csv or json, found ${format ?? 'nothing'}`);
  const { dir } = findRun(store, ref);
  const { text, skipped } = exportRun(dir, format);
  if (skipped) warn(skipped);
  if (out) writeFileSync(out, text);
  else print(text);
  return 0;
}

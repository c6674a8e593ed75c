import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../core/errors';
import { exportRun, readLogTail, readRunRecord, reconcileRun, removeRun, resolveRun, runDirOf, syncIndex } from '../core/store';
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

/** `hone ls`: every run, one table per experiment (newest first), or `--json`. */
export async function lsCommand(store: string, asJson: boolean): Promise<number> {
  const summaries = await syncIndex(store);
  const runs = summaries.flatMap((s) => {
    const dir = runDirOf(store, s.id);
    const rec = readRunRecord(dir);
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
    `status    ${r.status}${r.message ? `: ${r.message}` : ''}`,
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

export async function rmCommand(store: string, ref: string | undefined): Promise<number> {
  const { record } = findRun(store, ref);
  try {
    await removeRun(store, record.id);
  } catch (e) {
    throw new InputError((e as Error).message);
  }
  return print(`removed run ${record.id}`), 0;
}

export function exportCommand(store: string, ref: string | undefined, format: string | undefined, out: string | undefined): number {
  if (format !== 'csv' && format !== 'json') throw new InputError(`--format: expected csv or json, found ${format ?? 'nothing'}`);
  const { dir } = findRun(store, ref);
  const text = exportRun(dir, format);
  if (out) writeFileSync(out, text);
  else print(text);
  return 0;
}

import { writeFileSync } from 'node:fs';
import { InputError } from '../core/errors';
import { exportRun, liveNote, readRunRecord, reconcileRun } from '../core/store';
import { FINAL_STATUSES, type RunRecord } from '../core/store/types';
import { runView } from '../core/views';
import { requestStop } from '../core/runner';
import { num } from '../core/format';
import { stepUnit } from '../core/dashboard/federated';
import { table } from './format';
import { findRun, json, outFile, print, warn } from './io';
import { lineageLines, logTail, provenanceLines } from './show-more';
import { federatedLines } from './show-federated';
import { readCompressReport } from '../core/compress/report';
import { compressionLines } from './compress-format';
import { robustnessText } from './robust-format';
import { labelled } from '../core/robust/condition';
import { oneLine } from './terminal';

/** `hone show <run>`: status, backend and why, metrics, files. */
export function showCommand(store: string, ref: string | undefined, asJson: boolean): number {
  const { record: r, dir } = findRun(store, ref);
  const v = runView(r, dir);
  const compressed = readCompressReport(dir);
  if (asJson) return json(compressed ? { ...v, compress: compressed } : v), 0;
  const skipped = Object.entries(r.backend?.skipped ?? {}).map(([k, why]) => `    ${k}: ${why}`);
  const metricNames = [...new Set([...Object.keys(v.metrics), ...Object.keys(v.best)])].sort();
  print([
    `run       ${r.id}  ${oneLine(r.name)}`,
    `status    ${r.status}${r.message ? `: ${oneLine(r.message)}` : ''}${liveNote(r) ? ` (${liveNote(r)})` : ''}`,
    ...(r.revived ? [`          marked crashed at ${r.revived.markedCrashed} (${r.revived.reason}) while its worker lived; it resumed at ${r.revived.resumed}`] : []),
    `backend   ${r.backend ? `${r.backend.name} (${r.backend.reason})` : '-'}`,
    // The backends skipped belong under the backend line, before the agent's.
    ...(skipped.length ? ['  skipped:', ...skipped] : []),
    ...(r.remote ? [`agent     ${r.remote.agent ? `${oneLine(r.remote.agent.name)} on ${oneLine(r.remote.agent.host)}` : 'none yet'}, queue ${r.remote.queue}`] : []),
    `${stepUnit(r.kind)}s    ${r.epochsDone}/${r.epochsPlanned}${r.bestEpoch ? `, best ${stepUnit(r.kind)} ${r.bestEpoch}` : ''}`,
    `time      ${r.timings ? `${(r.timings.totalMs / 1000).toFixed(1)}s (load ${(r.timings.loadMs / 1000).toFixed(1)}s)` : '-'}`,
    `model     ${r.model ? `${r.model.params} parameters; ${r.model.layers.join(' > ')}` : '-'}`,
    ...federatedLines(r, dir),
    ...lineageLines(store, r),
    `folder    ${dir}`,
    `saved     ${v.modelPath ?? 'no model saved'}`,
    '',
    table(['metric', 'final', 'best'], metricNames.map((m) => [labelled(m, r.spec), num(v.metrics[m]), num(v.best[m])])),
    '',
    ...(compressed ? [...compressionLines(compressed), ''] : []),
    ...(r.robustness ? ['robustness:', robustnessText(r), ''] : []),
    ...provenanceLines(r),
    'log (tail):',
    logTail(dir),
  ].join('\n'));
  return 0;
}

/** `hone stop <run>`: SIGTERM to the worker, then wait (up to 60 s) for it to record `stopped`; a queued run never starts. */
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
    // Queued behind other runs in a VS Code window: its launch finds the stop file and never starts it.
    if (now?.status === 'queued' && waited >= 5000) return print(`run ${record.id}: queued; recorded stopped, without training, when its turn comes`), 0;
    await new Promise((r) => setTimeout(r, 200));
  }
  return print(`run ${record.id}: stop requested, still finishing its batch`), 1;
}

export function exportCommand(store: string, ref: string | undefined, format: string | undefined, out: string | undefined): number {
  if (format !== 'csv' && format !== 'json') throw new InputError(`--format: expected csv or json, found ${format ?? 'nothing'}`);
  const file = out === undefined ? undefined : outFile(out);
  const { dir } = findRun(store, ref);
  const { text, skipped } = exportRun(dir, format);
  if (skipped) warn(skipped);
  if (file) writeFileSync(file, text);
  else print(text);
  return 0;
}

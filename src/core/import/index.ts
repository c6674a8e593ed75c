/**
 * Importing history from other trackers into the store as runs of kind `import`. TensorBoard: every
 * folder of a logdir holding event files becomes one completed run of its scalars. No vscode, no TF.js.
 */
import { basename, resolve } from 'node:path';
import type { ExternalSpec, RunRecord } from '../store/types';
import { toMetricLines } from './convert';
import { findRuns, readRun, type LogdirRun } from './logdir';
import {
  findImported, importedSources, keptAnnotations, removeReplaced, writeImportedRun, type EarlierImport, type ImportSource,
} from './to-store';

export { crc32c, maskCrc, maskedCrc32c } from './crc32c';
export { fields, ProtobufError, type Field } from './protobuf';
export { bufferSource, RecordError, tfRecords, type ByteSource, type TfRecord } from './tfrecord';
export { decodeEvent, float32Decimal, sessionStartHparams, tensorNumber, type TbEvent, type TbValue } from './tensorboard';
export { classify, findRuns, readRun, type LogdirRun, type RunData, type ScalarPoint } from './logdir';
export { lrTagOf, toMetricLines, type Converted } from './convert';
export { findImported, importedSources, IMPORT_FILE, mergeAnnotations, type EarlierImport, type Found, type ImportSource } from './to-store';

export interface TensorboardImport {
  logdir: string;
  storeDir: string;
  /** The runs' experiment; default the logdir's basename. */
  experiment?: string;
  /**
   * Import runs again, as new runs beside any earlier import, even when the same folder with the same
   * files was imported before. Without it an unchanged folder is skipped and a changed one replaces its
   * earlier imports in the same experiment (see `findImported`).
   */
  force?: boolean;
  /** Versions to record beside node's and the event files' (the CLI passes Hone's). */
  versions?: Record<string, string>;
}

/** What became of one run folder: imported, skipped as imported before, or empty (no scalar read). */
export interface RunOutcome {
  name: string;
  path: string;
  outcome: 'imported' | 'skipped' | 'empty';
  /** The new run (imported) or the earlier import (skipped). */
  id?: string;
  /** The earlier imports of the folder that the new run replaced (removed; their annotations kept), and their steps. */
  replaced?: { id: string; steps: number }[];
  tags: number;
  steps: number;
  /** Values that are not scalars: histograms, images, text, ... */
  skippedValues: number;
  /** Unreadable records and files: `<file>: record at byte N: why`. Non-empty means something was not read. */
  problems: string[];
  /** Points a restart or a step going back made stale, dropped as TensorBoard drops them: `<file>: restart at step N: ...`. */
  purged: string[];
  purgedPoints: number;
}

export interface ImportReport {
  logdir: string;
  experiment: string;
  runs: RunOutcome[];
}

/** Imports every run of a TensorBoard logdir, one after another (see `findRuns` for what a run is). */
export async function importTensorboard(o: TensorboardImport): Promise<ImportReport> {
  const logdir = resolve(o.logdir);
  const experiment = o.experiment ?? basename(logdir);
  const found = findRuns(logdir);
  const earlier = o.force ? [] : importedSources(o.storeDir);
  const runs: RunOutcome[] = [];
  for (const run of found) runs.push(await importRun(o, logdir, experiment, run, earlier));
  return { logdir, experiment, runs };
}

const iso = (wallSeconds: number) => new Date(wallSeconds * 1000).toISOString();
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

async function importRun(
  o: TensorboardImport, logdir: string, experiment: string, run: LogdirRun, earlier: EarlierImport[],
): Promise<RunOutcome> {
  const source: ImportSource = { format: 'tensorboard', path: run.dir, files: run.files.map((f) => ({ name: f.name, size: f.size })) };
  const base = { name: run.name, path: run.dir, tags: 0, steps: 0, skippedValues: 0, problems: [] as string[], purged: [] as string[], purgedPoints: 0 };
  const { unchanged, changed } = findImported(earlier, source, experiment);
  if (unchanged) return { ...base, outcome: 'skipped', id: unchanged.id };
  const data = readRun(run, logdir);
  const c = toMetricLines(data.points, data.firstWall);
  const outcome = {
    ...base, tags: c.tags.length, steps: c.lines.length, skippedValues: data.skipped, problems: data.problems,
    purged: data.purged, purgedPoints: data.purgedPoints,
  };
  // Without scalars the earlier imports stay: a folder emptied or damaged since then does not erase them.
  if (!c.lines.length) return { ...outcome, outcome: 'empty' };
  const first = data.firstWall ?? Date.now() / 1000;
  const last = data.lastWall ?? first;
  const spec: ExternalSpec = { name: run.name, params: data.hparams ?? {}, source: { format: 'tensorboard', path: run.dir } };
  const was = changed.length ? `, was ${changed.map((e) => e.steps).join(' and ')}` : '';
  const summary = `${changed.length ? 're-imported' : 'imported'} from TensorBoard: ${plural(c.tags.length, 'scalar tag')} over ${plural(c.lines.length, 'step')}${was}`
    + (data.skipped ? `, ${plural(data.skipped, 'non-scalar value')} skipped` : '')
    + (data.purgedPoints ? `; ${plural(data.purgedPoints, 'stale point')} dropped (${data.purged.join('; ')})` : '');
  const done: Partial<RunRecord> = {
    status: 'completed', created: iso(first), started: iso(first), finished: iso(last),
    epochsDone: c.lines.length, final: c.final, best: c.best,
    timings: { loadMs: 0, trainMs: Math.round((last - first) * 1000), totalMs: Math.round((last - first) * 1000) },
    message: data.problems.length ? `${summary}; not all read: ${data.problems.join('; ')}` : summary,
  };
  const log = [
    summary, `source: ${run.dir}`, ...run.files.map((f) => `  ${f.name} (${f.size} bytes)`),
    ...changed.map((e) => `replaces the earlier import ${e.id} (${plural(e.steps, 'step')}), keeping its tags, note and star`),
    ...(c.lrTag ? [`lr: from tag '${c.lrTag}'`] : []), ...data.purged.map((p) => `stale points: ${p}`),
    ...data.problems.map((p) => `problem: ${p}`), '',
  ].join('\n');
  const rec = await writeImportedRun(o.storeDir, {
    init: {
      kind: 'import', name: run.name, experiment, spec, overrides: [], seed: 0, epochsPlanned: c.lines.length,
      versions: { node: process.version, ...o.versions, ...(data.fileVersion ? { eventFile: data.fileVersion } : {}) },
    },
    done, lines: c.lines, log, source,
    annotations: keptAnnotations(o.storeDir, changed),
  });
  // Only once the new run is whole: a failed import leaves the earlier ones as they were.
  const notRemoved = await removeReplaced(o.storeDir, changed);
  return {
    ...outcome, outcome: 'imported', id: rec.id, problems: [...outcome.problems, ...notRemoved],
    ...(changed.length ? { replaced: changed.map((e) => ({ id: e.id, steps: e.steps })) } : {}),
  };
}

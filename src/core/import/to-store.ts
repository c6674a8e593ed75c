import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  appendLog, appendMetric, createRun, kindOf, listRunIds, readRunRecord, removeRun, runDirOf, updateIndexEntry, writeRunRecord,
  type ExternalSpec, type MetricLine, type NewRun, type RunRecord,
} from '../store';
import { annotateRun, readAnnotations, type Annotations } from '../store/annotations';
import { invocation } from '../provenance';
import { storeOption } from '../store/store-option';

/**
 * `runs/<id>/import.json`, beside run.json in imported runs only: which files, of which sizes, the run
 * was read from, so that importing the same logdir again can tell an unchanged run from one that grew.
 * Kept out of run.json so the files do not show up as "parameters" that differ between runs.
 */
export const IMPORT_FILE = 'import.json';

export interface ImportSource {
  format: 'tensorboard';
  /** Absolute folder of the run. */
  path: string;
  files: { name: string; size: number }[];
}

const sameFiles = (a: ImportSource['files'], b: ImportSource['files']) => JSON.stringify(a) === JSON.stringify(b);

function readSource(runDir: string): ImportSource | undefined {
  try {
    return JSON.parse(readFileSync(join(runDir, IMPORT_FILE), 'utf8')) as ImportSource;
  } catch {
    return undefined;
  }
}

/** A completed import run of the store and what it was read from. */
export interface EarlierImport {
  id: string;
  experiment: string;
  /** Its metric lines (TensorBoard steps). */
  steps: number;
  source: ImportSource;
}

/** The store's earlier imports, read once per import rather than once per run folder. */
export function importedSources(storeDir: string): EarlierImport[] {
  return listRunIds(storeDir).flatMap((id) => {
    const dir = runDirOf(storeDir, id);
    const rec = readRunRecord(dir);
    if (!rec || kindOf(rec) !== 'import' || rec.status !== 'completed') return [];
    const source = readSource(dir);
    const path = (rec.spec as ExternalSpec).source?.path;
    return source && source.path === path ? [{ id, experiment: rec.experiment, steps: rec.epochsDone, source }] : [];
  });
}

/** What an import of `source` into `experiment` finds of earlier imports of the same folder. */
export interface Found {
  /** One with the same files and sizes: nothing to do. */
  unchanged?: EarlierImport;
  /** Otherwise those in `experiment`, read while the folder held other files: the new import replaces them. */
  changed: EarlierImport[];
}

/**
 * Earlier imports are matched by folder. An unchanged one (in any experiment) means the folder is imported
 * already. Changed ones in the same experiment are older snapshots of the same run (a live run imported
 * while it was training), to be replaced rather than kept beside the new one under the same name; copies in
 * other experiments (made with --name) are left alone.
 */
export function findImported(earlier: EarlierImport[], source: ImportSource, experiment: string): Found {
  const same = earlier.filter((e) => e.source.format === source.format && e.source.path === source.path);
  const unchanged = same.find((e) => sameFiles(e.source.files, source.files));
  return unchanged ? { unchanged, changed: [] } : { changed: same.filter((e) => e.experiment === experiment) };
}

/** The annotations of the runs an import replaces, together: every tag once, the latest note, a star if any had one. */
export function mergeAnnotations(list: Annotations[]): Annotations {
  const tags = [...new Set(list.flatMap((a) => a.tags ?? []))];
  const note = list.map((a) => a.note).filter(Boolean).at(-1);
  return { ...(tags.length ? { tags } : {}), ...(note ? { note } : {}), ...(list.some((a) => a.starred) ? { starred: true } : {}) };
}

/** The annotations to keep from the imports that a new one replaces (read now: the user may have added some). */
export const keptAnnotations = (storeDir: string, replaced: EarlierImport[]): Annotations =>
  mergeAnnotations(replaced.map((e) => readAnnotations(runDirOf(storeDir, e.id))));

/** An imported run's content: what `createRun` takes, what the finished record adds, and its files. */
export interface ImportedRun {
  init: NewRun;
  done: Partial<RunRecord>;
  lines: MetricLine[];
  log: string;
  source: ImportSource;
  /** The user's tags, note and star, kept from the imports this one replaces. */
  annotations?: Annotations;
}

/**
 * Writes an imported run: its folder (through `createRun`), log.txt, metrics.jsonl, import.json, its
 * annotations (meta.json), then run.json as `completed`, then its index entry. The store has no "write a
 * whole finished run" call, so this sequences the public ones; if any write fails the folder is removed,
 * so no half-written run stays.
 */
export async function writeImportedRun(storeDir: string, run: ImportedRun): Promise<RunRecord> {
  // Its provenance is the import's (`hone import ...`, here): Hone never saw the code or machine that trained it.
  const { record, dir } = createRun(storeDir, { ...run.init, provenance: invocation(process.argv) });
  let rec: RunRecord;
  const { tags, note, starred } = run.annotations ?? {};
  try {
    appendLog(dir, run.log);
    for (const line of run.lines) appendMetric(dir, line);
    writeFileSync(join(dir, IMPORT_FILE), JSON.stringify(run.source, null, 2) + '\n');
    if (tags || note || starred) await annotateRun(storeDir, record.id, { addTags: tags, note, starred });
    // No pid: nothing lives on for this run, and a stored pid would only be checked for liveness.
    rec = { ...record, ...run.done, pid: undefined };
    writeRunRecord(dir, rec);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  // The record as readers see it, annotations merged in (writeRunRecord leaves them to meta.json).
  rec = { ...rec, ...run.annotations };
  await updateIndexEntry(storeDir, rec);
  return rec;
}

/** Removes the imports a new one replaced; returns a problem for each that could not be removed. */
export async function removeReplaced(storeDir: string, replaced: EarlierImport[]): Promise<string[]> {
  const problems: string[] = [];
  for (const e of replaced) {
    try {
      await removeRun(storeDir, e.id);
    } catch (err) {
      problems.push(`the earlier import ${e.id} was not removed (${(err as Error).message}): remove it with hone rm ${e.id}${storeOption(storeDir)}`);
    }
  }
  return problems;
}

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  appendLog, appendMetric, createRun, kindOf, listRunIds, readRunRecord, runDirOf, updateIndexEntry, writeRunRecord,
  type ExternalSpec, type MetricLine, type NewRun, type RunRecord,
} from '../store';

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
    return source && source.path === path ? [{ id, source }] : [];
  });
}

/** The id of an earlier import of the same folder with the same files and sizes. */
export function findImported(earlier: EarlierImport[], source: ImportSource): string | undefined {
  return earlier.find((e) => e.source.format === source.format && e.source.path === source.path && sameFiles(e.source.files, source.files))?.id;
}

/** An imported run's content: what `createRun` takes, what the finished record adds, and its files. */
export interface ImportedRun {
  init: NewRun;
  done: Partial<RunRecord>;
  lines: MetricLine[];
  log: string;
  source: ImportSource;
}

/**
 * Writes an imported run: its folder (through `createRun`), log.txt, metrics.jsonl, import.json, then
 * run.json as `completed`, then its index entry. The store has no "write a whole finished run" call, so
 * this sequences the public ones; if any write fails the folder is removed, so no half-written run stays.
 */
export async function writeImportedRun(storeDir: string, run: ImportedRun): Promise<RunRecord> {
  const { record, dir } = createRun(storeDir, run.init);
  let rec: RunRecord;
  try {
    appendLog(dir, run.log);
    for (const line of run.lines) appendMetric(dir, line);
    writeFileSync(join(dir, IMPORT_FILE), JSON.stringify(run.source, null, 2) + '\n');
    // No pid: nothing lives on for this run, and a stored pid would only be checked for liveness.
    rec = { ...record, ...run.done, pid: undefined };
    writeRunRecord(dir, rec);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  await updateIndexEntry(storeDir, rec);
  return rec;
}

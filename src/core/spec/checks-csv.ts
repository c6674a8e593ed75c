/**
 * A CSV file is read before anything starts, by the loader the run uses (engine/data/csv.ts), so a
 * cell that is not a number, a ragged row or a missing target column is bad input reported at
 * `data.path` or `data.target`, never a run that fails at load time. The rule: a file of at most
 * LIMITS.csvScanBytes (after decompression) is checked whole; of a larger one the rows in its first
 * LIMITS.csvScanBytes are, and the run's loader checks the rest the same way.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Check } from './checks';
import type { CsvData, DataSpec, SpecProblem } from './types';
import { taskOf, type SpecTask } from './shape';
import { LIMITS } from './limits';
import { showFound } from './describe';
import { DataError, scanCsv } from '../../engine/data';

/** What the check learned from a CSV file: its shape, or the problem the loader would meet. */
export type CsvFacts = { features: number; classes: number; rows: number } | { problem: SpecProblem };

// Each sweep probe validates the spec again, so the scans of the last few files are kept, keyed by
// what makes their result change: the file's identity and modification, the target, the task and the header.
const cache = new Map<string, CsvFacts>();
const CACHED = 8;

/** The facts of `data`'s CSV file, or undefined when it is not a regular file (checks-files.ts says so). */
export function csvFacts(data: CsvData, baseDir: string): CsvFacts | undefined {
  const file = resolve(baseDir, data.path);
  let key: string;
  try {
    const st = statSync(file);
    if (!st.isFile()) return undefined;
    key = JSON.stringify([file, st.ino, st.size, st.mtimeMs, data.target, data.task ?? null, data.header ?? null]);
  } catch {
    return undefined;
  }
  const known = cache.get(key);
  if (known) return known;
  const facts = scan(file, data);
  cache.set(key, facts);
  if (cache.size > CACHED) cache.delete(cache.keys().next().value!);
  return facts;
}

function scan(file: string, data: CsvData): CsvFacts {
  try {
    const samples = scanCsv(file, data.target, data.task, LIMITS.csvScanBytes, data.header);
    return { features: samples.features.length, classes: samples.classes, rows: samples.part.n };
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
    return { problem: { path: `data.${e.field}`, expected: e.expected, found: e.found } };
  }
}

/**
 * The task a run of `data` learns: the spec's, or for a CSV without `data.task` the loader's guess from
 * the target column (the scan found classes: classification). Undefined when the file cannot be read
 * (csvLoads and the file checks say why).
 */
export function dataTask(data: DataSpec, baseDir: string): SpecTask | undefined {
  const task = taskOf(data);
  if (task || data.source !== 'csv') return task;
  const f = csvFacts(data, baseDir);
  return !f || 'problem' in f ? undefined : f.classes > 0 ? 'classification' : 'regression';
}

/** For a problem about task metrics: how a CSV's task was guessed, so the user knows what to set; '' when the spec says. */
export function guessedTaskNote(data: DataSpec, task: SpecTask | undefined): string {
  if (data.source !== 'csv' || data.task || !task) return '';
  return ` (data.task is not set, and the values of data.target ${showFound(data.target)} read as a ${task} target)`;
}

const csvLoads: Check = {
  reads: ['data.source', 'data.path', 'data.target', 'data.task', 'data.header'],
  run: ({ spec: { data }, baseDir }) => {
    if (data.source !== 'csv') return [];
    const facts = csvFacts(data, baseDir);
    return facts && 'problem' in facts ? [facts.problem] : [];
  },
};

export const CSV_CHECKS: readonly Check[] = [csvLoads];

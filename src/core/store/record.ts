import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readAnnotations, META_FILE } from './annotations';
import { atomicWriteFileSync, errCode, mtimeOf } from './fs-util';
import { newRunId } from './ids';
import { stringifyJson, toNumberMap } from './numbers';
import { RUN_FILE, runDirOf, runsDirOf } from './paths';
import { thisProcess } from './process';
import { recordProblem } from './record-shape';
import type { RunRecord } from './types';

/** What a caller supplies for a new run; `createRun` fills in the rest. */
export type NewRun = Omit<RunRecord, 'id' | 'status' | 'created' | 'host' | 'epochsDone'>;

/** A run as stored: its record and its folder. */
export interface StoredRun {
  record: RunRecord;
  dir: string;
}

/**
 * Creates `runs/<id>/` in `storeDir` and writes its `run.json` with status `queued`. The final folder is
 * made without `recursive`, so two processes that drew the same id cannot share a folder: the loser gets
 * EEXIST and draws again. `pid` defaults to this process, so a queued run whose coordinator died is
 * detected as crashed; the worker overwrites it with its own pid when it starts. When run.json cannot be
 * written (a full disk) the folder is removed again: no run without a record is left behind.
 */
export function createRun(storeDir: string, init: NewRun): StoredRun {
  mkdirSync(runsDirOf(storeDir), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    const now = new Date();
    const id = newRunId(now);
    const dir = runDirOf(storeDir, id);
    try {
      mkdirSync(dir);
    } catch (e) {
      if (errCode(e) === 'EEXIST' && attempt < 20) continue;
      throw e;
    }
    const record: RunRecord = {
      ...thisProcess(),
      ...init,
      id,
      status: 'queued',
      created: now.toISOString(),
      epochsDone: 0,
    };
    try {
      writeRunRecord(dir, record);
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
    return { record, dir };
  }
}

/** `rec` without the user's annotations (tags, note, star): those are meta.json's alone. */
function withoutAnnotations(rec: RunRecord): RunRecord {
  const { tags: _tags, note: _note, starred: _starred, ...own } = rec;
  return own;
}

/** Atomically replaces `<runDir>/run.json`: readers never see a half-written file. */
export function writeRunRecord(runDir: string, rec: RunRecord): void {
  // Annotations live in meta.json (annotations.ts); a record read with them merged in leaves them out here.
  atomicWriteFileSync(join(runDir, RUN_FILE), stringifyJson(withoutAnnotations(rec), 2) + '\n');
}

/** A run folder's record, or why it has none that can be used. */
export type LoadedRecord = { record: RunRecord } | { problem: string };

/**
 * Reads and checks `<runDir>/run.json`. A run is its folder: the record's `id` is the folder's name,
 * whatever the file says (a copied folder is another run, and `hone rm` of it deletes the copy).
 * Missing, unparsable or malformed files give a problem naming the field, never an exception.
 */
export function loadRunRecord(runDir: string): LoadedRecord {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(runDir, RUN_FILE), 'utf8'));
  } catch (e) {
    const code = errCode(e);
    return { problem: code === 'ENOENT' ? 'no run.json' : code ? `run.json: ${code}` : `run.json is not valid JSON (${(e as Error).message})` };
  }
  const problem = recordProblem(raw);
  if (problem) return { problem: `run.json: ${problem}` };
  // Only meta.json's annotations count: a run.json from before they moved out may still carry stale ones.
  const rec: RunRecord = Object.assign(withoutAnnotations(raw as RunRecord), readAnnotations(runDir));
  rec.id = basename(runDir);
  return { record: withNumbers(rec) };
}

/** A record parsed from `stringifyJson` text with its metric maps' "NaN"/"Infinity" strings as numbers again. */
export function withNumbers(rec: RunRecord): RunRecord {
  if (rec.final) rec.final = toNumberMap(rec.final);
  if (rec.best) rec.best = toNumberMap(rec.best);
  if (rec.latest) rec.latest = toNumberMap(rec.latest);
  return rec;
}

/**
 * `<runDir>/run.json`, or undefined when it is missing, unreadable or malformed: listings meet folders
 * that are being created or deleted, or damaged by hand, and must skip them rather than fail.
 */
export function readRunRecord(runDir: string): RunRecord | undefined {
  const loaded = loadRunRecord(runDir);
  return 'record' in loaded ? loaded.record : undefined;
}

/**
 * When the run last changed on disk: the later mtime of run.json and meta.json (ms), or undefined when
 * run.json is missing. The index re-reads a run whose value changed.
 */
export function recordMtime(runDir: string): number | undefined {
  const run = mtimeOf(join(runDir, RUN_FILE));
  return run === undefined ? undefined : Math.max(run, mtimeOf(join(runDir, META_FILE)) ?? 0);
}

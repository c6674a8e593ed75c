import { mkdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { atomicWriteFileSync, errCode } from './fs-util';
import { newRunId } from './ids';
import { stringifyJson, toNumberMap } from './numbers';
import { RUN_FILE, runDirOf, runsDirOf } from './paths';
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
 * detected as crashed; the worker overwrites it with its own pid when it starts.
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
      pid: process.pid,
      ...init,
      id,
      status: 'queued',
      created: now.toISOString(),
      host: hostname(),
      epochsDone: 0,
    };
    writeRunRecord(dir, record);
    return { record, dir };
  }
}

/** Atomically replaces `<runDir>/run.json`: readers never see a half-written file. */
export function writeRunRecord(runDir: string, rec: RunRecord): void {
  atomicWriteFileSync(join(runDir, RUN_FILE), stringifyJson(rec, 2) + '\n');
}

/**
 * `<runDir>/run.json`, or undefined when it is missing or unreadable: listings meet folders that are
 * being created or deleted and must skip them rather than fail.
 */
export function readRunRecord(runDir: string): RunRecord | undefined {
  try {
    const rec = JSON.parse(readFileSync(join(runDir, RUN_FILE), 'utf8')) as RunRecord;
    if (rec === null || typeof rec !== 'object' || typeof rec.id !== 'string' || typeof rec.status !== 'string') {
      return undefined;
    }
    if (rec.final) rec.final = toNumberMap(rec.final);
    if (rec.best) rec.best = toNumberMap(rec.best);
    if (rec.latest) rec.latest = toNumberMap(rec.latest);
    return rec;
  } catch {
    return undefined;
  }
}

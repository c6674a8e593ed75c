import { join } from 'node:path';
import { mtimeOf } from './fs-util';
import { experimentsOf, sortSummaries, summarize, withIndex, type StoreIndex } from './index-file';
import { RUN_FILE, runDirOf } from './paths';
import { readRunRecord, writeRunRecord } from './record';
import { listRunIds } from './resolve';
import { crashedRecord, STALE_MS } from './stale';
import { FINAL_STATUSES, type RunRecord, type RunSummary } from './types';

/** What `syncIndexReport` did. */
export interface SyncReport {
  /** Every run, newest first. */
  runs: RunSummary[];
  /** True when index.json was missing, corrupt or rebuilt on request, and was rebuilt from the run folders. */
  rebuilt: boolean;
  /** Ids of runs this sync marked `crashed`. */
  reconciled: string[];
}

export interface SyncOptions {
  /** Ignore the current index and rebuild it from the run folders. */
  fromScratch?: boolean;
  /** Clock and heartbeat limit for crash detection (tests). */
  now?: number;
  staleMs?: number;
}

/**
 * Brings `<storeDir>/index.json` up to date with the run folders, under the index lock: rebuilds a missing
 * or corrupt index, marks stale queued/running runs `crashed` (in their run.json), refreshes entries whose
 * run.json changed, drops entries whose folder is gone, recomputes experiments.
 */
export async function syncIndexReport(storeDir: string, opts: SyncOptions = {}): Promise<SyncReport> {
  return withIndex(storeDir, (index, valid) => refresh(storeDir, index, !valid || !!opts.fromScratch, opts));
}

/** `syncIndexReport`'s run list: every run, newest first. */
export async function syncIndex(storeDir: string): Promise<RunSummary[]> {
  return (await syncIndexReport(storeDir)).runs;
}

/** Rebuilds the index from the run folders alone, ignoring what it held. */
export async function rebuildIndex(storeDir: string): Promise<RunSummary[]> {
  return (await syncIndexReport(storeDir, { fromScratch: true })).runs;
}

/** Upserts one run's summary (fast path for a coordinator that just wrote its run.json). */
export async function updateIndexEntry(storeDir: string, rec: RunRecord): Promise<RunSummary> {
  return withIndex(storeDir, (index, valid) => {
    if (!valid) refresh(storeDir, index, true, {});
    const summary = summarize(rec, mtimeOf(join(runDirOf(storeDir, rec.id), RUN_FILE)) ?? 0);
    index.runs[rec.id] = summary;
    index.experiments = experimentsOf(index.runs);
    return summary;
  });
}

/** Removes one run's summary (after its folder was deleted). */
export async function dropIndexEntry(storeDir: string, id: string): Promise<void> {
  await withIndex(storeDir, (index, valid) => {
    if (!valid) refresh(storeDir, index, true, {});
    delete index.runs[id];
    index.experiments = experimentsOf(index.runs);
  });
}

function refresh(storeDir: string, index: StoreIndex, rebuilt: boolean, opts: SyncOptions): SyncReport {
  const old = rebuilt ? {} : index.runs;
  const runs: Record<string, RunSummary> = {};
  const reconciled: string[] = [];
  for (const id of listRunIds(storeDir)) {
    const dir = runDirOf(storeDir, id);
    const prev = old[id];
    const mtime = mtimeOf(join(dir, RUN_FILE));
    const unchanged = prev !== undefined && prev.mtimeMs === mtime && FINAL_STATUSES.includes(prev.status);
    // Ended runs whose file did not change keep their entry; live ones are re-read to check for crashes.
    let rec = unchanged ? undefined : readRunRecord(dir);
    if (!rec) {
      // A folder without a readable run.json is being created or deleted: keep whatever we knew.
      if (prev) runs[id] = prev;
      continue;
    }
    const crashed = crashedRecord(rec, opts.now ?? Date.now(), opts.staleMs ?? STALE_MS);
    if (crashed) {
      writeRunRecord(dir, crashed);
      rec = crashed;
      reconciled.push(id);
    }
    runs[id] = { ...summarize(rec, mtimeOf(join(dir, RUN_FILE)) ?? 0), id };
  }
  index.runs = runs;
  index.experiments = experimentsOf(runs);
  return { runs: sortSummaries(Object.values(runs)), rebuilt, reconciled };
}

import { existsSync } from 'node:fs';
import { dict, emptyIndex, experimentsOf, readIndexFile, sortSummaries, summarize, withIndex, type StoreIndex } from './index-file';
import { runDirOf } from './paths';
import { loadRunRecord, recordMtime, writeRunRecord } from './record';
import { listRunIds } from './resolve';
import { sweepTrash } from './trash';
import { crashedRecord, STALE_MS } from './stale';
import { FINAL_STATUSES, type RunRecord, type RunSummary } from './types';
import { refusal, tryWrite } from './writable';

/** A run folder left out of a listing, and why. */
export interface SkippedRun {
  id: string;
  problem: string;
}

/** What `syncIndexReport` did. */
export interface SyncReport {
  /** Every run, newest first. */
  runs: RunSummary[];
  /** True when index.json was missing, corrupt or rebuilt on request, and was rebuilt from the run folders. */
  rebuilt: boolean;
  /** Ids of runs this sync marked `crashed`. */
  reconciled: string[];
  /** Run folders whose run.json is missing fields or unreadable: listed here, never failing the listing. */
  skipped: SkippedRun[];
  /** Set when the store could not be written (full, read-only): the listing is right, index.json was not updated. */
  readOnly?: string;
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
 * run.json changed, drops entries whose folder is gone, recomputes experiments. Reading needs no write: a
 * store that does not exist stays so (and lists nothing), and one that cannot be written is listed from
 * its folders with `readOnly` saying why.
 */
export async function syncIndexReport(storeDir: string, opts: SyncOptions = {}): Promise<SyncReport> {
  if (!existsSync(storeDir)) return { runs: [], rebuilt: false, reconciled: [], skipped: [] };
  try {
    return await withIndex(storeDir, (index, valid) => {
      sweepTrash(storeDir);
      return refresh(storeDir, index, !valid || !!opts.fromScratch, opts);
    });
  } catch (e) {
    const why = refusal(e);
    if (why === undefined) throw e;
    const index = readIndexFile(storeDir);
    return { ...refresh(storeDir, index ?? emptyIndex(), !index || !!opts.fromScratch, opts), readOnly: why };
  }
}

/** `syncIndexReport`'s run list: every run, newest first. */
export async function syncIndex(storeDir: string): Promise<RunSummary[]> {
  return (await syncIndexReport(storeDir)).runs;
}

/** Rebuilds the index from the run folders alone, ignoring what it held. */
export async function rebuildIndex(storeDir: string): Promise<RunSummary[]> {
  return (await syncIndexReport(storeDir, { fromScratch: true })).runs;
}

/**
 * Upserts one run's summary (fast path for a coordinator that just wrote its run.json). A run whose folder
 * is gone (deleted meanwhile) is dropped instead, so a late update never resurrects a removed run.
 */
export async function updateIndexEntry(storeDir: string, rec: RunRecord): Promise<RunSummary | undefined> {
  return withIndex(storeDir, (index, valid) => {
    if (!valid) refresh(storeDir, index, true, {});
    const dir = runDirOf(storeDir, rec.id);
    const mtime = recordMtime(dir);
    if (mtime === undefined) delete index.runs[rec.id];
    else {
      // The files as they are now, not `rec`: a tag or star added since `rec` was read would otherwise be
      // summarised away under the files' new time, and stay away until the run changed again.
      const now = loadRunRecord(dir);
      index.runs[rec.id] = 'problem' in now ? summarize(rec, 0) : summarize(now.record, mtime);
    }
    index.experiments = experimentsOf(index.runs);
    return index.runs[rec.id];
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
  const old = rebuilt ? dict<RunSummary>() : index.runs;
  const runs = dict<RunSummary>();
  const reconciled: string[] = [];
  const skipped: SkippedRun[] = [];
  for (const id of listRunIds(storeDir)) {
    const dir = runDirOf(storeDir, id);
    const prev = old[id];
    const mtime = recordMtime(dir);
    const unchanged = prev !== undefined && prev.mtimeMs === mtime && FINAL_STATUSES.includes(prev.status);
    if (unchanged) {
      runs[id] = prev;
      continue;
    }
    // Ended runs whose file did not change keep their entry; live ones are re-read to check for crashes.
    const loaded = loadRunRecord(dir);
    if ('problem' in loaded) {
      // No run.json: the folder is being created or deleted; keep whatever we knew, quietly. A run.json
      // that is there but unusable was damaged (writes are atomic): say so.
      if (mtime !== undefined) skipped.push({ id, problem: loaded.problem });
      else if (prev) runs[id] = prev;
      continue;
    }
    let rec = loaded.record;
    const crashed = crashedRecord(rec, opts.now ?? Date.now(), opts.staleMs ?? STALE_MS);
    if (crashed) {
      tryWrite(() => writeRunRecord(dir, crashed));
      rec = crashed;
      reconciled.push(id);
    }
    // Stamped with the time taken before the read (or after its own write): a change made while it was read
    // then shows as a newer file, read next time, where a later stamp would have kept the older content for good.
    runs[id] = summarize(rec, (crashed ? recordMtime(dir) : mtime) ?? 0);
  }
  index.runs = runs;
  index.experiments = experimentsOf(runs);
  return { runs: sortSummaries(Object.values(runs)), rebuilt, reconciled, skipped };
}

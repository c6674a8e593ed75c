/**
 * Which runs a store holds, for views: through the index (`syncIndex`, which also marks crashed runs and
 * keeps index.json current), or, for a workspace the user has not trusted, by reading the run folders
 * alone, so that opening a view writes nothing (no index, no lock, no crash marks on disk: a dead run is
 * shown crashed all the same, in memory).
 */
import { crashedRecord, listRunIds, readRunRecord, runDirOf, syncIndex } from '../store';
import { recordMtime } from '../store/record';
import type { RunRecord } from '../store/types';

/** Why an edit (a tag, note or star) is refused in a workspace the user has not trusted: its store is only read. */
export const READ_ONLY_STORE = 'this store is read-only here (an untrusted workspace)';

export interface RunStamp {
  id: string;
  /** When run.json or meta.json last changed: a view re-reads a run whose stamp moved. */
  mtimeMs: number;
}

/** Every run's id and change stamp, newest first. `readOnly`: from the folders, writing nothing. */
export async function runStamps(storeDir: string, readOnly = false): Promise<RunStamp[]> {
  if (!readOnly) return (await syncIndex(storeDir)).map((s) => ({ id: s.id, mtimeMs: s.mtimeMs }));
  return listRunIds(storeDir).reverse().flatMap((id) => {
    const mtimeMs = recordMtime(runDirOf(storeDir, id));
    return mtimeMs === undefined ? [] : [{ id, mtimeMs }];
  });
}

/**
 * A run's record as a view shows it: a queued or running run whose worker died is returned `crashed`, as
 * `syncIndex` marks it, but nothing is written (read-only, or a store whose write failed); else it would
 * spin as running forever.
 */
export function viewRecord(storeDir: string, id: string): RunRecord | undefined {
  const rec = readRunRecord(runDirOf(storeDir, id));
  return rec && (crashedRecord(rec) ?? rec);
}

/** Every readable run record, newest first (see `runStamps` and `viewRecord`). */
export async function readRuns(storeDir: string, readOnly = false): Promise<RunRecord[]> {
  return (await runStamps(storeDir, readOnly)).flatMap((s) => viewRecord(storeDir, s.id) ?? []);
}

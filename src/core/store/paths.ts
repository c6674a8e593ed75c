import { join } from 'node:path';

/** File names inside a store dir and a run dir; the layout is documented in `index.ts`. */
export const INDEX_FILE = 'index.json';
export const LOCK_FILE = 'index.lock';
export const RUNS_DIR = 'runs';
export const RUN_FILE = 'run.json';
export const METRICS_FILE = 'metrics.jsonl';
/** A binary, columnar copy of metrics.jsonl's lines, derived and disposable (metrics-cache.ts). */
export const METRICS_CACHE_FILE = 'metrics.cache';
export const LOG_FILE = 'log.txt';
export const MODEL_DIR = 'model';
/** Present in a run folder when someone asked its worker to stop (works across machines sharing a store). */
export const STOP_FILE = 'stop';

export const runsDirOf = (storeDir: string): string => join(storeDir, RUNS_DIR);

/**
 * True for a name that can be a run's or a sweep's id: word characters, `.` and `-`, never `.` or `..`.
 * Listings skip other folder names (a copy named `backup copy`) instead of failing on them.
 */
export const isStoreId = (name: string): boolean => /^[\w.-]+$/.test(name) && name !== '.' && name !== '..';

/**
 * The folder of run `id`. Throws for ids that could escape `runs/` (path separators, `.`, `..`):
 * ids reach here from command lines, and `removeRun` deletes what this returns.
 */
export function runDirOf(storeDir: string, id: string): string {
  if (!isStoreId(id)) throw new Error(`invalid run id '${id}'`);
  return join(storeDir, RUNS_DIR, id);
}

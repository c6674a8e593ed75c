/**
 * The local run store. Layout of a store dir (`.hone/` in the workspace by default, always passed in):
 *
 *   index.json            lowdb cache of run summaries; rebuilt from runs/ whenever missing or corrupt
 *   index.lock            cross-process lock held around every index read-modify-write
 *   runs/<id>/run.json    RunRecord, replaced atomically
 *   runs/<id>/metrics.jsonl   one MetricLine per line, append-only
 *   runs/<id>/log.txt     worker output, append-only
 *   runs/<id>/model/      saved model (written by the engine)
 *
 * One writer per file: a run's worker owns its folder while it lives; coordinators share the index
 * through the lock. No vscode, no TF.js.
 */
export * from './types';
export { newRunId } from './ids';
export { INDEX_FILE, LOCK_FILE, LOG_FILE, METRICS_FILE, MODEL_DIR, RUN_FILE, runDirOf } from './paths';
export { createRun, readRunRecord, writeRunRecord, type NewRun, type StoredRun } from './record';
export { appendMetric, readMetrics } from './metrics';
export { appendLog, readLogTail } from './log';
export { crashedRecord, isStale, pidAlive, reconcileRun, staleReason, STALE_MS } from './stale';
export { summarize, type ExperimentSummary, type StoreIndex } from './index-file';
export {
  dropIndexEntry, rebuildIndex, syncIndex, syncIndexReport, updateIndexEntry, type SyncOptions, type SyncReport,
} from './sync';
export { listRunIds, resolveRun, type ResolvedRun } from './resolve';
export { removeRun } from './remove';
export { exportRun, metricsCsv, type RunExport } from './export';
export { withLock, type LockOptions } from './lock';

/**
 * The local run store. Layout of a store dir (`.hone/` in the workspace by default, always passed in):
 *
 *   index.json            lowdb cache of run summaries; rebuilt from runs/ whenever missing or corrupt
 *   index.lock            cross-process lock held around every index read-modify-write
 *   runs/<id>/run.json    RunRecord, replaced atomically
 *   runs/<id>/meta.json   the user's tags, note and star (annotations.ts), merged into the record on read
 *   runs/<id>/metrics.jsonl   one MetricLine per line, append-only
 *   runs/<id>/metrics.cache   metrics.jsonl's lines as binary columns: derived, disposable, validated (metrics-cache.ts)
 *   runs/<id>/log.txt     worker output, append-only
 *   runs/<id>/system.jsonl    CPU, memory and GPU samples (core/system-metrics.ts)
 *   runs/<id>/model/      saved model (written by the engine)
 *   runs/<id>/checkpoints/{last,best}/   training state to resume from (engine/train/checkpoint-io.ts)
 *   runs/<id>/git.diff    the uncommitted changes of a dirty tree (core/provenance.ts)
 *   runs/<id>/stop        a stop request its worker polls (any process, any machine)
 *   runs/<id>/protocol.jsonl, artifacts/   what an exec run's command reported (core/exec)
 *
 * One writer per file: a run's worker owns its folder while it lives (but any reader may replace
 * metrics.cache, atomically); coordinators share the index through the lock. No vscode, no TF.js.
 */
export * from './types';
export { newRunId } from './ids';
export { modelTmpOf, recoverModel, swapInModel } from './model-swap';
export { INDEX_FILE, LOCK_FILE, LOG_FILE, METRICS_CACHE_FILE, METRICS_FILE, MODEL_DIR, RUN_FILE, STOP_FILE, runDirOf } from './paths';
export { createRun, loadRunRecord, readRunRecord, withNumbers, writeRunRecord, type LoadedRecord, type NewRun, type StoredRun } from './record';
export { appendMetric, parseMetricLine, readMetrics } from './metrics';
export { readMetricColumns, type MetricColumn, type MetricColumns } from './metrics-cache';
export { appendLog, readLogTail } from './log';
export { crashedRecord, isStale, liveNote, ownerProcess, pidAlive, reconcileRun, staleReason, STALE_MS } from './stale';
export { claimedProcess, ownStart, processInfo, thisProcess, type ProcessClaim, type ProcessInfo } from './process';
export { explainWriteError, refusal, refusalHint, tryWrite } from './writable';
export { RunFolderOwner } from './owner';
export { dict, summarize, type ExperimentSummary, type StoreIndex } from './index-file';
export {
  dropIndexEntry, rebuildIndex, syncIndex, syncIndexReport, updateIndexEntry, type SkippedRun, type SyncOptions, type SyncReport,
} from './sync';
export { listRunIds, resolveRun, type ResolvedRun } from './resolve';
export { findRun } from './find';
export { removeRun } from './remove';
export { exportRun, metricsCsv, type RunExport } from './export';
export { withLock, type LockOptions } from './lock';

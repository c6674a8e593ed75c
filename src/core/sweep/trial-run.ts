/**
 * A trial's run, however the coordinator came to hold it: launched now in a worker process (progress
 * over IPC), or adopted from a coordinator that died while its detached worker trained on (progress by
 * tailing metrics.jsonl and polling run.json). Either way: its id, each epoch's line, its end, a way to stop it.
 */
import { launchRun, queueRun, signalStop, type QueuedRun } from '../runner';
import { listRunIds, readMetrics, readRunRecord, reconcileRun, runDirOf, updateIndexEntry, writeRunRecord } from '../store';
import { FINAL_STATUSES, type MetricLine, type RunRecord } from '../store/types';
import type { Spec } from '../spec/types';

export interface TrialRun {
  runId: string;
  /** The run's final record; undefined if its folder vanished. */
  done: Promise<RunRecord | undefined>;
  /** Asks the worker to stop after its batch (it records `stopped`). */
  stop(): void;
}

export interface LaunchTrial {
  storeDir: string;
  workerPath: string;
  spec: Spec;
  specPath?: string;
  overrides: string[];
  versions?: Record<string, string>;
  sweep: { id: string; trial: number };
  onLine(line: MetricLine): void;
  /**
   * Called with the run's id after its folder exists and before its worker starts, so the sweep records
   * the run first: a coordinator killed in between leaves no worker it does not know of.
   */
  onQueued(runId: string): void;
}

/** Records a trial's run (queued) and tells the sweep its id: the first step of every way to start a trial. */
export function queueTrialRun(o: LaunchTrial): QueuedRun {
  const queued = queueRun({ storeDir: o.storeDir, spec: o.spec, specPath: o.specPath, overrides: o.overrides, versions: o.versions, sweep: o.sweep });
  o.onQueued(queued.record.id);
  return queued;
}

export function launchTrialRun(o: LaunchTrial): TrialRun {
  const queued = queueTrialRun(o);
  const h = launchRun(o.storeDir, queued, { workerPath: o.workerPath, onMessage: (m) => m.type === 'epoch' && o.onLine(m.line) });
  return { runId: h.id, done: h.done, stop: h.stop };
}

/** Ids of the runs tagged as trial `trial` of sweep `sweepId`, oldest first. */
export function trialRunIds(storeDir: string, sweepId: string, trial: number): string[] {
  return listRunIds(storeDir).filter((id) => {
    const s = readRunRecord(runDirOf(storeDir, id))?.sweep;
    return s?.id === sweepId && s.trial === trial;
  });
}

/** Follows run `runId`, still training under a worker no coordinator holds; replays its epochs from the first. */
export function adoptTrialRun(storeDir: string, runId: string, onLine: (line: MetricLine) => void, pollMs = 250): TrialRun {
  const dir = runDirOf(storeDir, runId);
  let offset = 0;
  const drain = () => {
    const { lines, nextByte } = readMetrics(dir, offset);
    offset = nextByte;
    lines.forEach(onLine);
  };
  const done = new Promise<RunRecord | undefined>((resolve) => {
    const timer = setInterval(() => {
      drain();
      const rec = reconcileRun(dir);
      if (rec && !FINAL_STATUSES.includes(rec.status)) return;
      clearInterval(timer);
      drain();
      if (!rec) return resolve(undefined);
      updateIndexEntry(storeDir, rec).then(() => resolve(rec), () => resolve(rec));
    }, pollMs);
  });
  const stop = () => {
    const rec = readRunRecord(dir);
    if (rec?.status === 'running') signalStop(dir, rec);
  };
  return { runId, done, stop };
}

/** Puts the pruning in a pruned trial's run message (its worker has exited, so the coordinator may write run.json). */
export async function notePruned(storeDir: string, runId: string, why: string): Promise<void> {
  const dir = runDirOf(storeDir, runId);
  const run = readRunRecord(dir);
  if (!run || !FINAL_STATUSES.includes(run.status)) return;
  run.message = run.message ? `${why}; ${run.message}` : why;
  // A note on the run, not the trial's result: a store that refuses it (a full disk, the index lock held
  // past its timeout) must not end the sweep with the trial unrecorded. The index is a cache of run.json.
  try {
    writeRunRecord(dir, run);
    await updateIndexEntry(storeDir, run);
  } catch {
    // The trial is still recorded pruned in sweep.json.
  }
}

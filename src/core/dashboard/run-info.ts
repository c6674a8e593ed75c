import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { relativeInside } from '../store/fs-util';
import { LOG_FILE, METRICS_FILE, MODEL_DIR, RUN_FILE, readLogTail } from '../store';
import { kindOf, type RunRecord } from '../store/types';
import { latestSession } from '../resume/session';
import { partitionStats, readPartitionSummary } from '../federated/summary';
import type { Revealable, RunDetail, RunInfo } from './protocol';

/**
 * How long a run has taken: its worker's total once it ended, else its latest session (see
 * `latestSession`) from its worker's start to its end or last heartbeat, plus the time trained before it.
 * A resumed run keeps its first start, so its time is not the days it was down, nor a wait in the queue
 * before its worker started; undefined when a resume recorded no time trained (a Hone from before it did).
 */
export function runDurationMs(rec: RunRecord): number | undefined {
  if (rec.timings) return rec.timings.totalMs;
  const end = rec.finished ?? rec.heartbeat;
  const session = latestSession(rec);
  if (!end || !session) return undefined;
  return session.priorMs + (session.started ? Date.parse(end) - Date.parse(session.started) : 0);
}

/** What the dashboard shows of a run: its run.json minus what only the detail view needs. */
export function runInfo(rec: RunRecord): RunInfo {
  const info: RunInfo = {
    id: rec.id,
    kind: kindOf(rec),
    name: rec.name,
    experiment: rec.experiment,
    status: rec.status,
    created: rec.created,
    epochsDone: rec.epochsDone,
    epochsPlanned: rec.epochsPlanned,
    spec: rec.spec,
    overrides: rec.overrides ?? [],
    final: rec.final ?? rec.latest ?? {},
    best: rec.best ?? {},
    tags: rec.tags ?? [],
    starred: Boolean(rec.starred),
  };
  const durationMs = runDurationMs(rec);
  if (durationMs !== undefined && Number.isFinite(durationMs)) info.durationMs = durationMs;
  if (rec.backend) info.backend = rec.backend.name;
  if (rec.started) info.started = rec.started;
  if (rec.finished) info.finished = rec.finished;
  if (rec.bestEpoch !== undefined) info.bestEpoch = rec.bestEpoch;
  if (rec.message !== undefined) info.message = rec.message;
  if (rec.model) info.model = rec.model;
  if (rec.parent) info.parent = rec.parent;
  if (rec.parentRemoved) info.parentRemoved = rec.parentRemoved;
  if (rec.note) info.note = rec.note;
  if (rec.sweep) info.sweep = rec.sweep;
  return info;
}

/**
 * `name` inside `runDir`, or undefined when it would lead out of it (`../../x`, an absolute path, a link
 * to elsewhere): run.json names the diff file, and a run.json from someone else must not make the host
 * open or reveal files beside the run.
 */
function inside(runDir: string, name: string): string | undefined {
  const p = join(runDir, name);
  if (!existsSync(p)) return undefined;
  return relativeInside(realpathSync(runDir), realpathSync(p)) ? p : undefined;
}

/** The path of a revealable file of a run, or undefined when the run has none (no model saved yet). */
export function runFile(rec: RunRecord, runDir: string, file: Revealable): string | undefined {
  const paths: Record<Revealable, string | undefined> = {
    folder: runDir,
    run: join(runDir, RUN_FILE),
    metrics: join(runDir, METRICS_FILE),
    log: join(runDir, LOG_FILE),
    model: join(runDir, MODEL_DIR),
    spec: rec.specPath,
    diff: rec.provenance?.git?.diffFile ? inside(runDir, rec.provenance.git.diffFile) : undefined,
  };
  const p = paths[file];
  return p !== undefined && existsSync(p) ? p : undefined;
}

const FILE_LABELS: [Revealable, string][] = [
  ['folder', 'run folder'], ['run', 'run.json'], ['metrics', 'metrics.jsonl'], ['log', 'log.txt'], ['model', 'saved model'], ['spec', 'spec file'], ['diff', 'git diff'],
];

/** Files, log tail (the last `logBytes`) and provenance of a run, for the Run detail view. */
export function runDetail(rec: RunRecord, runDir: string, logBytes = 16 * 1024): RunDetail {
  const files = FILE_LABELS.flatMap(([file, label]) => {
    const path = runFile(rec, runDir, file);
    return path ? [{ file, label, path }] : [];
  });
  const detail: RunDetail = {
    runDir,
    files,
    logTail: readLogTail(runDir, logBytes),
    skipped: (rec.backend?.skipped ?? {}) as Record<string, string>,
    versions: rec.versions ?? {},
    host: rec.host,
    seed: rec.seed,
  };
  if (rec.backend) detail.backendReason = rec.backend.reason;
  if (rec.specPath) detail.specPath = rec.specPath;
  if (rec.provenance) detail.provenance = rec.provenance;
  const partition = kindOf(rec) === 'federated' ? readPartitionSummary(runDir) : undefined;
  if (partition) detail.partition = partitionStats(partition);
  return detail;
}

/**
 * `hone resume`: a crashed, stopped or failed run continues from its last checkpoint in its own run
 * folder, under its own id. Preparing the folder (here) and training (the worker, which sees the
 * record's `resumed` entry and loads the checkpoint) are apart, so the CLI and the extension share both.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors';
import { launchRun, type LaunchOptions, type QueuedRun, type RunHandle } from '../runner';
import {
  appendLog, METRICS_FILE, thisProcess, readMetrics, reconcileRun, resolveRun, STOP_FILE, updateIndexEntry, withLock, writeRunRecord,
} from '../store';
import { atomicWriteFileSync } from '../store/fs-util';
import { stringifyJson } from '../store/numbers';
import { kindOf, type MetricLine, type RunRecord, type RunStatus } from '../store/types';
import { readCheckpoint } from './files';
import { specDiff } from '../compare';
import { COMPRESS_FILE, PACKED_FILE } from '../compress/report';

const showValue = (v: unknown) => (v === undefined ? 'absent' : JSON.stringify(v));

/** Statuses a run can be resumed from: its worker is gone, and training did not end on its own. */
const RESUMABLE: readonly RunStatus[] = ['crashed', 'stopped', 'failed'];

const WHY_NOT: Partial<Record<RunStatus, string>> = {
  completed: 'it completed: there is nothing to resume (rerun it to train again)',
  running: 'it is running (stop it first, or let it finish)',
  queued: 'it is queued: its worker is starting, or waiting for a free slot',
  diverged: 'it diverged: resuming would repeat the same steps into the same NaN (rerun it with other settings)',
};

/**
 * Whether a menu offers to resume `rec`, from its record alone: a training run that trained here (a
 * queue agent keeps its checkpoints) and ended in a resumable status. `resumePoint` has the last word.
 */
export const offersResume = (rec: RunRecord): boolean => kindOf(rec) === 'train' && !rec.remote && RESUMABLE.includes(rec.status);

/**
 * The epoch `rec`'s run (folder `runDir`) would resume from, or why it cannot be resumed: its kind,
 * where it trained, its status, no checkpoint, a damaged one, or a spec changed since. Reads and
 * verifies the checkpoint (its arrays' SHA-256), so call it when the user acts rather than for every
 * row of a listing; `offersResume` decides a menu.
 */
export function resumePoint(rec: RunRecord, runDir: string): { epoch: number } | { problem: string } {
  if (kindOf(rec) !== 'train') return { problem: `run ${rec.id} cannot be resumed: only training runs keep checkpoints to resume from, and this is a ${kindOf(rec)} run; rerun it instead` };
  if (rec.remote) return { problem: `run ${rec.id} cannot be resumed here: it trained on queue agent ${rec.remote.agent?.name ?? '(none yet)'}, whose checkpoints stay on that machine; rerun it instead` };
  if (!RESUMABLE.includes(rec.status)) return { problem: `run ${rec.id} cannot be resumed: ${WHY_NOT[rec.status] ?? rec.status}` };
  let checkpoint;
  try {
    checkpoint = readCheckpoint(runDir, 'last');
  } catch (e) {
    return { problem: `run ${rec.id} cannot be resumed: ${(e as Error).message}` };
  }
  if (checkpoint) {
    const changed = specDiff([checkpoint.spec ?? rec.spec, rec.spec]).filter((r) => r.changed);
    if (!changed.length) return { epoch: checkpoint.epoch };
    const shown = changed.slice(0, 3).map((r) => `${r.path}: ${showValue(r.values[0])} then, ${showValue(r.values[1])} now`);
    const more = changed.length > 3 ? `, and ${changed.length - 3} more` : '';
    return { problem: `run ${rec.id} cannot be resumed: the spec in its run.json was changed after the checkpoint of epoch ${checkpoint.epoch} (${shown.join('; ')}${more}), so the remaining epochs would train under other settings than the first; rerun it instead` };
  }
  const every = 'train' in rec.spec ? rec.spec.train.checkpoint?.every : undefined;
  const why = every ? `it ${rec.status} before its first checkpoint (every ${every} epochs)` : 'its spec has no train.checkpoint';
  return { problem: `run ${rec.id} has no checkpoint to resume from: ${why}; rerun it instead` };
}

/** The lines metrics.jsonl keeps when a run resumes from `epoch`: the first of each epoch up to it; and how many go. */
function linesUpTo(runDir: string, epoch: number): { kept: MetricLine[]; dropped: number } {
  const { lines, badLines, partialBytes } = readMetrics(runDir);
  const kept = lines.filter((l, i) => l.epoch <= epoch && lines.findIndex((o) => o.epoch === l.epoch) === i);
  return { kept, dropped: lines.length - kept.length + badLines + (partialBytes > 0 ? 1 : 0) };
}

/** A run made ready to resume: queued again, with the epoch it continues from and the metric lines its worker will drop. */
export type PreparedResume = QueuedRun & { fromEpoch: number; dropped: number };

/**
 * Readies run `ref` of `storeDir` to resume, or throws an InputError saying why it cannot be (nothing
 * is changed then). Under a lock in the run folder, so two resumes of one run cannot both start: drops
 * any pending stop request and how the earlier session ended (its message, end time, timings, revival note),
 * records a `resumed` entry, and sets the run `queued` again, owned by this process until its worker
 * starts (if this process dies first, the run reads as crashed, and can be resumed again). What the
 * earlier session measured (metric lines after the checkpoint, final and best metrics, a robustness
 * result, compression files) stays until the worker is about to train (`applyResume`): a resume that
 * never trains (stopped while queued, data changed since) loses none of it.
 */
export async function prepareResume(storeDir: string, ref: string): Promise<PreparedResume> {
  let dir: string;
  try {
    dir = resolveRun(storeDir, ref).dir;
  } catch (e) {
    throw new InputError((e as Error).message);
  }
  return withLock(join(dir, 'resume.lock'), async () => {
    const rec = reconcileRun(dir);
    if (!rec) throw new InputError(`run ${ref} has no readable run.json`);
    const point = resumePoint(rec, dir);
    if ('problem' in point) throw new InputError(point.problem);
    const { kept, dropped } = linesUpTo(dir, point.epoch);
    rmSync(join(dir, STOP_FILE), { force: true });
    const at = new Date().toISOString();
    // No heartbeat: like a fresh queued run, it may wait for a free slot for as long as this process lives
    // (other machines would age a heartbeat and declare it crashed).
    const { finished, message, revived, timings, heartbeat, ...rest } = rec;
    const record: RunRecord = {
      ...rest, status: 'queued', ...thisProcess(),
      resumed: [...(rec.resumed ?? []), { at, fromEpoch: point.epoch, was: rec.status, time: kept.find((l) => l.epoch === point.epoch)?.time }],
    };
    writeRunRecord(dir, record);
    appendLog(dir, `${at} resume: the run was ${rec.status}; it continues from the checkpoint of epoch ${point.epoch}` +
      `${dropped ? `; the ${dropped} metric line(s) after it go once its worker starts training, to be recomputed` : ''}\n`);
    return { record, dir, fromEpoch: point.epoch, dropped, indexed: updateIndexEntry(storeDir, record).catch(() => undefined) };
  });
}

/**
 * What the worker of a resumed run does once it has checked the run can go on (its data unchanged) and
 * is about to train: metrics.jsonl keeps the lines up to the checkpoint (rewritten atomically; later
 * ones are recomputed), an earlier compression's compress.json and model.hone go (they describe a model
 * the run trains anew), and the record loses what the earlier session ended with, since a resumed run
 * that crashes again must not show it as its own. Returns the record's patch.
 */
export function applyResume(runDir: string, rec: RunRecord, log: (text: string) => void): Partial<RunRecord> {
  const from = rec.resumed!.at(-1)!.fromEpoch;
  const { kept, dropped } = linesUpTo(runDir, from);
  if (dropped) atomicWriteFileSync(join(runDir, METRICS_FILE), kept.map((l) => stringifyJson(l) + '\n').join(''));
  for (const f of [COMPRESS_FILE, PACKED_FILE]) rmSync(join(runDir, f), { force: true });
  const missing = from - kept.length;
  log(`resume: ${dropped} metric line(s) after epoch ${from} removed from metrics.jsonl, to be recomputed` +
    `${missing > 0 ? `; ${missing} epoch(s) before it have no metric line` : ''}`);
  return { final: undefined, best: undefined, bestEpoch: undefined, robustness: undefined, epochsDone: from, latest: kept.at(-1)?.metrics };
}

/** `prepareResume`, then its worker (see `launchRun`): what "Resume Run" and `hone resume` call. */
export async function resumeRun(storeDir: string, ref: string, o: LaunchOptions): Promise<RunHandle & { fromEpoch: number; dropped: number }> {
  const prepared = await prepareResume(storeDir, ref);
  return { ...launchRun(storeDir, prepared, o), fromEpoch: prepared.fromEpoch, dropped: prepared.dropped };
}

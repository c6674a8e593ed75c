/**
 * Starting, resuming and stopping sweeps: what the CLI (`hone sweep`) and the VS Code commands ("Hone:
 * Start Sweep", "Resume Sweep", "Stop Sweep") call. A sweep is coordinated by the process that started
 * or resumed it, which holds `coordinator.lock`; any other process stops it by leaving a `stop` file.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { cpus, hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { InputError } from '../errors';
import { plannedSteps } from '../dashboard/federated';
import { formatProblems, loadSpecFile } from '../spec/load';
import { reconcileRun } from '../store/stale';
import { runDirOf } from '../store/paths';
import { storeOption } from '../store/store-option';
import { FINAL_STATUSES } from '../store/types';
import { Coordinator, type CoordinatorOptions, type SweepEvent } from './coordinator';
import { createSpace } from './space';
import { resolveSampler } from './samplers';
import { claimCoordinator, coordinatorOf } from './coordinator-lock';
import { STOP_FILE, newSweepDir, readSweepRecord, resolveSweep, writeSweepRecord, type SweepRecord } from './record';

export interface SweepRunOptions {
  storeDir: string;
  /** The bundled worker entry (dist/worker.js). */
  workerPath: string;
  versions?: Record<string, string>;
  /**
   * Trials at once, saved in sweep.json as `trials` is, so a resume without it keeps it; default: the
   * record's `sweep.parallel` (the spec's, or the last one given), where 0 means one per CPU core.
   */
  parallel?: number;
  /** Total trials, replacing `sweep.trials` (on resume: at least the trials already there). */
  trials?: number;
  onEvent?: (e: SweepEvent) => void;
  /** How a trial's run starts (see CoordinatorOptions.launchTrial); default: a worker at once. */
  launchTrial?: CoordinatorOptions['launchTrial'];
  /** Trials on a queue (core/queue): how they start and are followed again, and the queue's redacted URL for sweep.json. */
  queue?: Required<Pick<CoordinatorOptions, 'launchTrial' | 'adoptTrial'>> & { url: string };
}

export interface SweepHandle {
  id: string;
  dir: string;
  /** Resolves with the final record once every trial of this session has ended. */
  done: Promise<SweepRecord>;
  /** Stops the sweep: running trials stop (they re-run on resume) and the sweep ends `stopped`. */
  stop(): void;
}

/** Trials in flight on a queue when neither --parallel nor sweep.parallel says. */
export const QUEUE_PARALLEL = 64;

function coordinate(rec: SweepRecord, dir: string, o: SweepRunOptions): SweepHandle {
  const release = claimCoordinator(dir, rec.id, o.storeDir);
  rmSync(join(dir, STOP_FILE), { force: true });
  Object.assign(rec, { status: 'running', coordinator: { pid: process.pid, host: hostname(), started: new Date().toISOString() } });
  if (o.queue) rec.queue = o.queue.url;
  else delete rec.queue;
  delete rec.finished;
  delete rec.message;
  if (o.parallel !== undefined) rec.sweep.parallel = o.parallel;
  // On a queue the agents' cores count, not this machine's: `0` then allows QUEUE_PARALLEL trials in flight.
  const parallel = rec.sweep.parallel || (o.queue ? QUEUE_PARALLEL : cpus().length);
  const c = new Coordinator(rec, dir, {
    storeDir: o.storeDir, workerPath: o.workerPath, versions: o.versions, parallel, onEvent: o.onEvent,
    launchTrial: o.queue?.launchTrial ?? o.launchTrial, adoptTrial: o.queue?.adoptTrial,
  });
  const done = c.run().finally(release);
  return { id: rec.id, dir, done, stop: () => c.stop() };
}

export interface SweepStartOptions extends SweepRunOptions {
  /** `--set` assignments applied to the spec before anything else. */
  sets?: string[];
  /**
   * The folder relative data paths resolve against, for the checks and every trial: the extension's
   * `hone.datasetsDir` when set, as for a single run. Default: the spec file's folder (the CLI's rule).
   */
  baseDir?: string;
}

/** Starts a sweep of the spec file's `sweep` section. Throws InputError listing every problem of a bad spec. */
/**
 * The sweep spec `specPath` with `o`'s assignments, validated as startSweep takes it (with `onQueue`, as
 * trials for queue agents); throws an InputError saying what is wrong. Writes nothing.
 */
export function loadSweepSpec(specPath: string, o: Pick<SweepStartOptions, 'baseDir' | 'sets' | 'trials'>, onQueue: boolean) {
  const file = resolve(specPath);
  const baseDir = resolve(o.baseDir ?? dirname(file));
  // `--trials` is the spec's budget, there before validation checks that a sampler has one.
  const loaded = loadSpecFile(file, [...(o.sets ?? []), ...(o.trials !== undefined ? [`sweep.trials=${o.trials}`] : [])], baseDir);
  const spec = loaded.spec;
  if (!spec) throw new InputError(formatProblems(file, loaded.problems));
  const { sweep, name } = spec;
  if (!sweep) throw new InputError(`${file}: (root): expected a 'sweep' section to run a sweep over, found nothing`);
  if (onQueue && spec.federated) {
    throw new InputError(`${file}: federated: a federated spec's trials run here, not on queue agents: sweep it without a queue (\`hone run <spec> --queue URL\` trains one federation's clients on the agents)`);
  }
  return { file, baseDir, raw: loaded.raw, spec, sweep, name };
}

export function startSweep(specPath: string, o: SweepStartOptions): SweepHandle {
  const { file, baseDir, raw, spec, sweep, name } = loadSweepSpec(specPath, o, Boolean(o.queue));
  const { id, dir } = newSweepDir(o.storeDir);
  // `auto` is settled here, once: the record names the sampler that runs (and why), and a resume keeps it.
  const { sampler, reason } = resolveSampler(sweep, createSpace(sweep.parameters));
  const rec: SweepRecord = {
    id, name, created: new Date().toISOString(), specPath: file, baseDir, raw,
    sweep: { ...sweep, sampler }, ...(reason && { samplerChoice: `auto: ${sampler.type}, for ${reason}` }),
    epochs: plannedSteps(spec), status: 'running', elapsedMs: 0, trials: [],
  };
  writeSweepRecord(dir, rec);
  return coordinate(rec, dir, o);
}

/**
 * Resumes a sweep (by id, id prefix or name) that was stopped, killed or finished: completed trials are
 * kept, interrupted ones re-run, the sampler continues from the history; `trials` may raise the budget.
 */
export function resumeSweep(ref: string, o: SweepRunOptions): SweepHandle {
  let found;
  try {
    found = resolveSweep(o.storeDir, ref);
  } catch (e) {
    throw new InputError((e as Error).message);
  }
  const { record, dir } = found;
  // Its trials may still be training on agents: resumed here without the queue, they would re-run locally
  // while the agents' results went unrecorded. The recorded URL has no password, so the caller gives it.
  if (record.queue && !o.queue) throw new InputError(`sweep ${record.id} runs its trials on ${record.queue}: resume it with its queue (--queue URL or HONE_QUEUE, giving the password)`);
  if (o.trials !== undefined) {
    if (o.trials < record.trials.length) throw new InputError(`--trials ${o.trials}: sweep ${record.id} already has ${record.trials.length} trials`);
    record.sweep.trials = o.trials;
  }
  return coordinate(record, dir, o);
}

/**
 * Records in sweep.json that the runs `runIds` of sweep `id` were deleted: a trial keeps its parameters
 * and values (the sweep's history stands) and says its run is gone. Takes the coordinator lock for the
 * write, so it never races a coordinator: a running sweep is refused.
 */
export async function markTrialRunsDeleted(storeDir: string, id: string, runIds: string[]): Promise<void> {
  const { dir } = resolveSweep(storeDir, id);
  const release = claimCoordinator(dir, id, storeDir);
  try {
    const rec = readSweepRecord(dir);
    if (!rec) return;
    for (const t of rec.trials) {
      if (t.runId && runIds.includes(t.runId)) t.runDeleted = true;
      if (t.interrupted) t.interrupted = t.interrupted.filter((r) => !runIds.includes(r));
    }
    writeSweepRecord(dir, rec);
  } finally {
    release();
  }
}

/**
 * Asks the process coordinating a sweep to stop it (from any process). Throws when no process runs it;
 * for a sweep whose coordinator was killed, the error says so and how to go on: its trials' workers
 * may still train, and only a coordinator (a resume) can record them and then stop the sweep.
 */
export function requestSweepStop(storeDir: string, ref: string): SweepRecord {
  const { record, dir } = resolveSweep(storeDir, ref);
  if (!coordinatorOf(dir)) {
    if (record.status !== 'running') throw new InputError(`sweep ${record.id} is not running (status ${record.status})`);
    throw new InputError(killedSweepMessage(storeDir, record));
  }
  writeFileSync(join(dir, STOP_FILE), new Date().toISOString());
  return record;
}

/** The command that resumes sweep `rec` of `storeDir`, as printed for users (a queue's URL left for them to give). */
export const sweepResumeCommand = (storeDir: string, rec: Pick<SweepRecord, 'id' | 'queue'>): string =>
  `hone sweep resume ${rec.id}${storeOption(storeDir)}${rec.queue ? ' --queue URL' : ''}`;

function killedSweepMessage(storeDir: string, rec: SweepRecord): string {
  const who = rec.coordinator ? `its coordinator (process ${rec.coordinator.pid} on ${rec.coordinator.host})` : 'its coordinator';
  const training = rec.trials.filter((t) => {
    const run = t.state === 'running' && t.runId ? reconcileRun(runDirOf(storeDir, t.runId)) : undefined;
    return run && !FINAL_STATUSES.includes(run.status);
  });
  const runs = training.length === 1 ? 'the trial run still training' : `the ${training.length} trial runs still training`;
  return `sweep ${rec.id} is not running: ${who} was killed before the sweep ended. \`${sweepResumeCommand(storeDir, rec)}\` goes on with it${training.length ? ` (adopting ${runs})` : ''}, and \`hone sweep stop ${rec.id}${storeOption(storeDir)}\` then stops it`;
}

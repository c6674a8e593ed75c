import { spawn, type Serializable } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { recordProvenance } from './provenance';
import { plannedEpochs } from './compress/plan';
import {
  createRun, ownerProcess, readRunRecord, reconcileRun, resolveRun, STOP_FILE, tryWrite, updateIndexEntry, writeRunRecord, type StoredRun,
} from './store';
import { FINAL_STATUSES, type RunRecord } from './store/types';
import type { Spec } from './spec/types';
import { EXIT_WITH_PARENT, RUN_SESSION, type WorkerMessage } from './protocol';

export interface RunRequest {
  storeDir: string;
  spec: Spec;
  specPath?: string;
  overrides: string[];
  versions?: Record<string, string>;
  /** Tags the run as trial `trial` of sweep `id`. */
  sweep?: RunRecord['sweep'];
  /** The run this one was made from (lineage). */
  parent?: string;
  /** The federated run the parent's model comes from (a compress run's lineage, kept when runs between them are deleted). */
  federatedOrigin?: RunRecord['federatedOrigin'];
  /** `train` when absent; `compress` for a `hone compress` run (the training worker compresses `parent`'s model). */
  kind?: RunRecord['kind'];
  /** The run's name; default the spec's name with the overrides. */
  name?: string;
  /** Epochs (metric lines) the run plans; default the spec's (plannedEpochs: a compress section's retraining counts). */
  epochsPlanned?: number;
  /** What made the run, for its provenance: default this process's command line. */
  command?: string[];
}

/** `M`: what the worker sends over IPC (a training worker's `WorkerMessage`, an exec supervisor's `ExecMessage`). */
export interface LaunchOptions<M = WorkerMessage> {
  /** The bundled worker entry: dist/worker.js for training, dist/exec-worker.js for `hone exec`. */
  workerPath: string;
  /** Each message from the worker, with a way to answer it (dropped once the worker has gone). */
  onMessage?: (m: M, reply: (answer: unknown) => void) => void;
  /** Told the worker's pid and command line once it is spawned, and how it ended (for logs). */
  onSpawn?: (pid: number | undefined, argv: string[]) => void;
  onExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
  /**
   * The worker ends when this process does (its IPC channel closes) instead of training on: a queue agent's
   * runs, whose job re-runs elsewhere when the agent dies, so an orphan would only burn the machine's cores.
   */
  exitWithParent?: boolean;
  /** Variables added to the worker's environment (a federated run's queue URL: never written to run.json). */
  env?: Record<string, string>;
}

export interface RunHandle {
  id: string;
  name: string;
  runDir: string;
  /** Resolves with the run's final record once the worker has exited. */
  done: Promise<RunRecord>;
  /** Asks the worker to stop after its current batch; it saves the model and records `stopped`. */
  stop(): void;
}

const runName = (spec: Spec, overrides: string[]) => (overrides.length ? `${spec.name} [${overrides.join(' ')}]` : spec.name);

/** A queued run and its pending index entry: later index writes for the run wait for this one. */
export type QueuedRun = StoredRun & { indexed: Promise<unknown> };

/** Records a new run with status `queued` (and indexes it), without starting anything yet. */
export function queueRun(r: RunRequest): QueuedRun {
  const kind = r.kind ?? (r.spec.federated ? 'federated' : undefined);
  const stored = createRun(r.storeDir, {
    kind,
    name: r.name ?? runName(r.spec, r.overrides),
    experiment: r.spec.name,
    specPath: r.specPath,
    spec: r.spec,
    overrides: r.overrides,
    seed: r.spec.seed,
    versions: { node: process.version, ...r.versions },
    epochsPlanned: r.epochsPlanned ?? plannedEpochs(r.spec, kind ?? 'train'),
    ...(r.sweep ? { sweep: r.sweep } : {}),
    ...(r.parent ? { parent: r.parent } : {}),
    ...(r.federatedOrigin ? { federatedOrigin: r.federatedOrigin } : {}),
  });
  recordProvenance(stored, r.specPath ? dirname(r.specPath) : process.cwd(), r.command ?? process.argv);
  // A failed index write loses nothing (the index is rebuilt from run folders); the run goes ahead.
  return { ...stored, indexed: updateIndexEntry(r.storeDir, stored.record).catch(() => undefined) };
}

/** How long a worker asked to stop may take to finish its batch and save, before it is killed. */
export const STOP_GRACE_MS = 30_000;

/**
 * Starts the worker process of a queued run. The worker owns the run folder from then on; only if it
 * dies before recording a final status does this coordinator write run.json once more, to mark the
 * run crashed with how the process ended (or stopped, when it was killed here after a stop request).
 * The worker runs detached (its own process group), so it outlives a reloaded VS Code window; a
 * terminal's Ctrl-C reaches it through `stop()`. IPC uses structured clone, so NaN and Infinity in
 * metrics arrive as numbers, not `null`.
 */
export function launchRun<M = WorkerMessage>(storeDir: string, run: QueuedRun, o: LaunchOptions<M>): RunHandle {
  if (existsSync(join(run.dir, STOP_FILE))) return stoppedInQueue(storeDir, run);
  const argv = [process.execPath, o.workerPath, run.dir];
  const env = { ...process.env, ...o.env, [RUN_SESSION]: String(run.record.resumed?.length ?? 0), ...(o.exitWithParent ? { [EXIT_WITH_PARENT]: '1' } : {}) };
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], detached: true, serialization: 'advanced', env });
  } catch (e) {
    // Thrown at once (E2BIG, an invalid argument): no process, no exit to come.
    notStarted(storeDir, run, e as Error);
    throw e;
  }
  o.onSpawn?.(child.pid, argv);
  let stderr = '';
  let killedAfterStop: string | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  child.stderr?.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-2000)));
  const reply = (answer: unknown) => void (child.connected && child.send(answer as Serializable, () => undefined));
  child.on('message', (m) => o.onMessage?.(m as M, reply));
  const kill = (why: string) => {
    killedAfterStop = why;
    child.kill('SIGKILL');
  };
  const done = new Promise<RunRecord>((resolve, reject) => {
    child.on('error', (e) => {
      // No process started (ENOENT, EAGAIN, EMFILE): no exit follows.
      if (child.pid === undefined) notStarted(storeDir, run, e);
      reject(e);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(killTimer);
      o.onExit?.(code, signal);
      const read = readRunRecord(run.dir);
      if (!existsSync(run.dir)) return resolve({ ...(read ?? run.record), message: 'its run folder was deleted while it ran' });
      // Unreadable now (too many open files, a sharing error): nothing is written from the queued snapshot,
      // which would pass for ours and could overwrite a completed record; a later listing settles the status.
      if (!read) return resolve({ ...run.record, message: 'its run.json could not be read when its worker ended; the next listing of the store settles its status' });
      const rec = read;
      // Only this launch's run is marked: a resume elsewhere may own the run now, with a live worker of its own.
      const ours = rec.pid === undefined || rec.pid === child.pid || (rec.status === 'queued' && rec.pid === process.pid);
      if (ours && !FINAL_STATUSES.includes(rec.status)) {
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        // A SIGTERM this process sent as a stop request kills a worker that has not yet taken its
        // signals (its first few tens of ms): that is the stop that was asked for, not a crash.
        const stoppedEarly = signal === 'SIGTERM' && killTimer !== undefined;
        Object.assign(rec, killedAfterStop
          ? { status: 'stopped', message: `${killedAfterStop}; killed, so its model was not saved` }
          : stoppedEarly ? { status: 'stopped', message: 'stopped on request before its worker started' }
            : { status: 'crashed', message: `worker ${how} before finishing${stderr ? `: ${stderr.trim()}` : ''}` });
        rec.finished = new Date().toISOString();
        tryWrite(() => writeRunRecord(run.dir, rec));
      }
      // The index is a cache: a store that refuses the write (full disk) loses nothing here.
      run.indexed.then(() => updateIndexEntry(storeDir, rec)).catch(() => undefined).then(() => resolve(rec));
    });
  });
  const stop = () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    if (killTimer) return kill('it was asked to stop twice');
    // On Windows a "SIGTERM" ends the process at once, unsaved: the stop file, which the worker polls, instead.
    if (signalsEndAtOnce()) writeStopFile(run.dir);
    else child.kill('SIGTERM');
    killTimer = setTimeout(() => kill(`it did not stop within ${STOP_GRACE_MS / 1000} s of the request`), STOP_GRACE_MS);
  };
  return { id: run.record.id, name: run.record.name, runDir: run.dir, done, stop };
}

/** A queued run whose worker could not be started: marked crashed here, not left queued while this process lives. */
function notStarted(storeDir: string, run: QueuedRun, e: Error): void {
  const rec = readRunRecord(run.dir);
  if (rec?.status !== 'queued' || rec.pid !== process.pid) return;
  const crashed: RunRecord = { ...rec, status: 'crashed', message: `its worker could not start: ${e.message}`, finished: new Date().toISOString() };
  tryWrite(() => writeRunRecord(run.dir, crashed));
  void run.indexed.then(() => updateIndexEntry(storeDir, crashed)).catch(() => undefined);
}

const QUEUED_STOP = 'stopped while queued: it never started';

/** `rec`, a queued run, recorded stopped now. */
const stoppedQueued = (rec: RunRecord): RunRecord => ({ ...rec, status: 'stopped', message: QUEUED_STOP, finished: new Date().toISOString() });

/**
 * A queued run asked to stop (`hone stop` from another process) before its turn: recorded stopped (unless
 * the request recorded it so already), no worker started.
 */
function stoppedInQueue(storeDir: string, run: QueuedRun): RunHandle {
  const now = readRunRecord(run.dir) ?? run.record;
  const rec = now.status === 'stopped' ? now : stoppedQueued(now);
  if (rec !== now) tryWrite(() => writeRunRecord(run.dir, rec));
  const done = run.indexed.then(() => updateIndexEntry(storeDir, rec)).catch(() => undefined).then(() => rec);
  return { id: rec.id, name: rec.name, runDir: run.dir, done, stop: () => undefined };
}

/** queueRun + launchRun. */
export const startRun = (r: RunRequest, o: LaunchOptions): RunHandle => launchRun(r.storeDir, queueRun(r), o);

/** Windows has no catchable SIGTERM: Node's kill() with it terminates the process outright. */
const signalsEndAtOnce = () => process.platform === 'win32';

/** The `stop` file a run's worker (or, queued, its launch) honours: when, where and who asked. */
const writeStopFile = (dir: string) => tryWrite(() => writeFileSync(join(dir, STOP_FILE), `${new Date().toISOString()} ${hostname()} ${process.pid}\n`));

/**
 * Asks the worker of the run in `dir` to stop, from any process and any machine sharing the store: a
 * `stop` file it polls, and on this host SIGTERM too (not on Windows, where it would end the worker
 * unsaved), but only to the very process the record names (same pid and start time, the run's id on its
 * command line), never to whatever now has that pid.
 */
export function signalStop(dir: string, rec: RunRecord): void {
  writeStopFile(dir);
  // A remote run's record names its coordinator, which forwards the stop file to the agent: no signal.
  if (rec.remote || !ownerProcess(rec) || !rec.pid || signalsEndAtOnce()) return;
  try {
    process.kill(rec.pid, 'SIGTERM');
  } catch {
    // It ended between the check and the signal.
  }
}

/**
 * Asks a run's worker to stop (see `signalStop`). A queued run, whichever process queued it, gets the stop
 * file (its recorded pid is that process's, not a worker's), which its launch then honours, and is recorded
 * stopped at once; a run queued for an agent stays queued until its coordinator forwards the stop. Returns
 * the record as it was, or throws when the run is neither running nor queued.
 */
export function requestStop(storeDir: string, ref: string): RunRecord {
  const found = resolveRun(storeDir, ref);
  const rec = reconcileRun(found.dir) ?? found.record;
  if (rec.status === 'queued') {
    // The stop file first: a launch that finds it starts nothing; one that started just before it stops its worker.
    writeStopFile(found.dir);
    if (!rec.remote) tryWrite(() => writeRunRecord(found.dir, stoppedQueued(rec)));
  } else if (rec.status === 'running') signalStop(found.dir, rec);
  else throw new Error(`run ${rec.id} is not running (status ${rec.status})`);
  return rec;
}

/** Runs `jobs` with at most `limit` in flight; results in input order. */
export async function mapLimit<T, R>(jobs: T[], limit: number, fn: (job: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(jobs.length);
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await fn(jobs[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, jobs.length)) }, lane));
  return out;
}

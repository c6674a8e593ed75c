import { spawn } from 'node:child_process';
import { createRun, readRunRecord, reconcileRun, resolveRun, updateIndexEntry, writeRunRecord, type StoredRun } from './store';
import { FINAL_STATUSES, type RunRecord } from './store/types';
import type { Spec } from './spec/types';
import type { WorkerMessage } from './protocol';

export interface RunRequest {
  storeDir: string;
  spec: Spec;
  specPath?: string;
  overrides: string[];
  versions?: Record<string, string>;
  /** Tags the run as trial `trial` of sweep `id`. */
  sweep?: RunRecord['sweep'];
}

export interface LaunchOptions {
  /** The bundled worker entry (dist/worker.js). */
  workerPath: string;
  onMessage?: (m: WorkerMessage) => void;
  /** Told the worker's pid and command line once it is spawned, and how it ended (for logs). */
  onSpawn?: (pid: number | undefined, argv: string[]) => void;
  onExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
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
  const stored = createRun(r.storeDir, {
    name: runName(r.spec, r.overrides),
    experiment: r.spec.name,
    specPath: r.specPath,
    spec: r.spec,
    overrides: r.overrides,
    seed: r.spec.seed,
    versions: { node: process.version, ...r.versions },
    epochsPlanned: r.spec.train.epochs,
    ...(r.sweep ? { sweep: r.sweep } : {}),
  });
  // A failed index write loses nothing (the index is rebuilt from run folders); the run goes ahead.
  return { ...stored, indexed: updateIndexEntry(r.storeDir, stored.record).catch(() => undefined) };
}

/**
 * Starts the worker process of a queued run. The worker owns the run folder from then on; only if it
 * dies before recording a final status does this coordinator write run.json once more, to mark the
 * run crashed with how the process ended. The worker runs detached (its own process group), so it
 * outlives a reloaded VS Code window; a terminal's Ctrl-C reaches it through `stop()`.
 */
export function launchRun(storeDir: string, run: QueuedRun, o: LaunchOptions): RunHandle {
  const argv = [process.execPath, o.workerPath, run.dir];
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], detached: true });
  o.onSpawn?.(child.pid, argv);
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-2000)));
  child.on('message', (m) => o.onMessage?.(m as WorkerMessage));
  const done = new Promise<RunRecord>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      o.onExit?.(code, signal);
      const rec = readRunRecord(run.dir) ?? run.record;
      if (!FINAL_STATUSES.includes(rec.status)) {
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        Object.assign(rec, { status: 'crashed', finished: new Date().toISOString(), message: `worker ${how} before finishing${stderr ? `: ${stderr.trim()}` : ''}` });
        writeRunRecord(run.dir, rec);
      }
      run.indexed.then(() => updateIndexEntry(storeDir, rec)).then(() => resolve(rec), reject);
    });
  });
  return { id: run.record.id, name: run.record.name, runDir: run.dir, done, stop: () => child.kill('SIGTERM') };
}

/** queueRun + launchRun. */
export const startRun = (r: RunRequest, o: LaunchOptions): RunHandle => launchRun(r.storeDir, queueRun(r), o);

/**
 * Asks a run's worker to stop, from any process (the CLI, another window): SIGTERM to the pid in
 * run.json. Returns the record, or throws when the run is not running.
 */
export function requestStop(storeDir: string, ref: string): RunRecord {
  const found = resolveRun(storeDir, ref);
  const rec = reconcileRun(found.dir) ?? found.record;
  if (FINAL_STATUSES.includes(rec.status) || rec.status === 'queued' || !rec.pid) throw new Error(`run ${rec.id} is not running (status ${rec.status})`);
  process.kill(rec.pid, 'SIGTERM');
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

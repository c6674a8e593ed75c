import { spawn } from 'node:child_process';
import { createRun, readRunRecord, updateIndexEntry, writeRunRecord } from './store';
import { FINAL_STATUSES, type RunRecord } from './store/types';
import type { Spec } from './spec/types';
import type { WorkerMessage } from './protocol';

export interface StartOptions {
  storeDir: string;
  spec: Spec;
  specPath?: string;
  overrides: string[];
  /** The bundled worker entry (dist/worker.js). */
  workerPath: string;
  /** The worker's working directory; data paths in the spec are absolute by now, so it matters little. */
  cwd?: string;
  onMessage?: (m: WorkerMessage) => void;
  versions?: Record<string, string>;
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

/**
 * Records a new run in the store and starts its worker process. The worker owns the run folder from
 * then on; only if it dies before recording a final status does this coordinator write run.json once
 * more, to mark the run crashed with how the process ended.
 */
export function startRun(o: StartOptions): RunHandle {
  const { record, dir } = createRun(o.storeDir, {
    name: runName(o.spec, o.overrides),
    experiment: o.spec.name,
    specPath: o.specPath,
    spec: o.spec,
    overrides: o.overrides,
    seed: o.spec.seed,
    versions: { node: process.version, ...o.versions },
    epochsPlanned: o.spec.train.epochs,
  });
  const child = spawn(process.execPath, [o.workerPath, dir], { cwd: o.cwd, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-2000)));
  child.on('message', (m) => o.onMessage?.(m as WorkerMessage));
  const indexed = updateIndexEntry(o.storeDir, record);
  const done = new Promise<RunRecord>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const rec = readRunRecord(dir) ?? record;
      if (!FINAL_STATUSES.includes(rec.status)) {
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        Object.assign(rec, { status: 'crashed', finished: new Date().toISOString(), message: `worker ${how} before finishing${stderr ? `: ${stderr.trim()}` : ''}` });
        writeRunRecord(dir, rec);
      }
      indexed.then(() => updateIndexEntry(o.storeDir, rec)).then(() => resolve(rec), reject);
    });
  });
  return { id: record.id, name: record.name, runDir: dir, done, stop: () => child.kill('SIGTERM') };
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

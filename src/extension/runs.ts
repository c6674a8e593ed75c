import type * as vscode from 'vscode';
import { launchRun, queueRun, requestStop, type QueuedRun, type RunHandle, type RunRequest } from '../core/runner';
import { readRunRecord, updateIndexEntry, writeRunRecord, type StoredRun } from '../core/store';
import type { RunRecord } from '../core/store/types';
import type { WorkerMessage } from '../core/protocol';

export interface RunManagerOptions {
  storeDir: () => string;
  limit: () => number;
  /** The training worker (dist/worker.js), for `enqueue`. */
  workerPath: string;
  log: Pick<vscode.OutputChannel, 'appendLine'>;
  /** Called whenever the set of active or queued runs changes. */
  onChange: () => void;
}

export interface EnqueueOptions<M = WorkerMessage> {
  onMessage?: (m: M) => void;
  /** Called with the run's record once its folder exists, before its worker can start. */
  onQueued?: (run: StoredRun) => void;
}

/** A run this window started or queued: `done` resolves with its final record once it has ended. */
export interface ManagedRun extends StoredRun {
  /** Undefined when its folder vanished (deleted while it ran). */
  done: Promise<RunRecord | undefined>;
  stop(): void;
}

interface Queued {
  run: QueuedRun;
  storeDir: string;
  workerPath: string;
  onMessage?: (m: any) => void;
  resolve: (rec: RunRecord | undefined) => void;
}

/**
 * The extension's run queue: starts worker processes (never training in the extension host), keeps at
 * most `limit()` running, whether a command or a sweep's trial asked, queues the rest, and logs every
 * process it starts and how it ended.
 */
export class RunManager {
  private readonly active = new Map<string, RunHandle>();
  private queue: Queued[] = [];

  constructor(private readonly o: RunManagerOptions) {}

  get activeCount(): number {
    return this.active.size;
  }

  get queuedCount(): number {
    return this.queue.length;
  }

  /** Records the run as queued at once (the tree shows it) and starts it when a slot is free. */
  enqueue(req: RunRequest, opts: EnqueueOptions = {}): ManagedRun {
    const run = queueRun(req);
    this.o.log.appendLine(`queued run ${run.record.id} (${run.record.name})${req.sweep ? ` as trial ${req.sweep.trial} of sweep ${req.sweep.id}` : ''}`);
    return this.enqueueQueued(req.storeDir, run, this.o.workerPath, opts);
  }

  /**
   * A run some core function already recorded as queued (a resumed, compress, evaluate or exec run),
   * started with `workerPath` (dist/worker.js, robust-worker.js, exec-worker.js) when a slot is free:
   * every run this window starts shares the one limit.
   */
  enqueueQueued<M = WorkerMessage>(storeDir: string, run: QueuedRun, workerPath: string, opts: EnqueueOptions<M> = {}): ManagedRun {
    opts.onQueued?.(run);
    let resolve!: Queued['resolve'];
    const done = new Promise<RunRecord | undefined>((r) => (resolve = r));
    this.queue.push({ run, storeDir, workerPath, onMessage: opts.onMessage, resolve });
    this.startQueued();
    return { ...run, done, stop: () => this.stop(storeDir, run.record.id) };
  }

  /**
   * Stops a run: a queued one is dropped from the queue and recorded `stopped` (its worker never
   * started); a running one, here or in another process, gets SIGTERM and records `stopped` itself.
   */
  stop(storeDir: string, id: string): void {
    const queued = this.queue.find((q) => q.run.record.id === id);
    if (queued) {
      this.queue = this.queue.filter((q) => q !== queued);
      const rec = readRunRecord(queued.run.dir) ?? queued.run.record;
      Object.assign(rec, { status: 'stopped', finished: new Date().toISOString(), message: 'stopped before it started' });
      writeRunRecord(queued.run.dir, rec);
      void queued.run.indexed.then(() => updateIndexEntry(storeDir, rec)).catch(() => undefined);
      this.o.log.appendLine(`run ${id}: stopped before it started`);
      queued.resolve(rec);
      this.o.onChange();
    } else if (this.active.has(id)) this.active.get(id)!.stop();
    else requestStop(storeDir, id);
  }

  /**
   * Starts queued runs while fewer than `limit()` run: after an enqueue, a run's end, and a change of
   * hone.maxParallelRuns (a raised limit frees slots no run's end would fill).
   */
  startQueued(): void {
    while (this.active.size < this.o.limit() && this.queue.length) {
      const q = this.queue.shift()!;
      let handle: RunHandle;
      try {
        handle = launchRun(q.storeDir, q.run, {
          workerPath: q.workerPath,
          onMessage: q.onMessage,
          onSpawn: (pid, argv) => this.o.log.appendLine(`started worker pid ${pid} for run ${q.run.record.id}: ${argv.join(' ')}`),
          onExit: (code, signal) => this.o.log.appendLine(`worker of run ${q.run.record.id} exited (${signal ?? `code ${code}`})`),
        });
      } catch (e) {
        this.o.log.appendLine(`run ${q.run.record.id}: could not start its worker: ${(e as Error).message}`);
        q.resolve(readRunRecord(q.run.dir));
        continue;
      }
      this.active.set(handle.id, handle);
      handle.done
        .then((rec) => {
          this.o.log.appendLine(`run ${rec.id}: ${rec.status}${rec.message ? ` (${rec.message})` : ''}`);
          q.resolve(readRunRecord(q.run.dir) ?? rec);
        })
        .catch((e: Error) => {
          this.o.log.appendLine(`run ${handle.id}: ${e.message}`);
          q.resolve(readRunRecord(q.run.dir));
        })
        .finally(() => {
          this.active.delete(handle.id);
          this.startQueued();
          this.o.onChange();
        });
    }
    this.o.onChange();
  }

  /** On deactivation: running workers go on (detached) and stay in the store; queued runs are recorded stopped. */
  dispose(): void {
    for (const q of [...this.queue]) this.stop(q.storeDir, q.run.record.id);
  }
}

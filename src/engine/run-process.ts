/**
 * What a process that owns a run folder while it trains needs, shared by the training worker (worker.ts) and a
 * federated run's coordinator (federated/coordinator.ts): progress to the parent over IPC, the run's log (the
 * console goes there too: TF.js and its backends print), run.json through RunFolderOwner, the heartbeat that
 * also notices a stop file, the model saved whole or not at all, and the exit once the parent has the record
 * (after writing the run's metrics cache, so that no reader of the finished run parses metrics.jsonl).
 */
import type * as tf from '@tensorflow/tfjs';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { appendLog, explainWriteError, modelTmpOf, readMetricColumns, recoverModel, RunFolderOwner, STOP_FILE, swapInModel, tryWrite } from '../core/store';
import type { RunRecord } from '../core/store/types';
import { modelBytes } from '../core/compress/sizes';
import { EXIT_WITH_PARENT, HEARTBEAT_MS, RUN_SESSION, type WorkerMessage } from '../core/protocol';
import { saveModel, type Preprocessing } from './models';
import { requestStop } from './stop-signal';

export const now = () => new Date().toISOString();

/**
 * `r` with the size of the model it saved as final and best tfjs_bytes: the metric compressed and attacked
 * runs have, which places a trained or federated model beside its compressed children (Trade-offs view,
 * `hone report`).
 */
export function sized<R extends { final: Record<string, number>; best: Record<string, number> }>(r: R, tfjsBytes: number): R {
  return { ...r, final: { ...r.final, tfjs_bytes: tfjsBytes }, best: { ...r.best, tfjs_bytes: tfjsBytes } };
}

export interface RunProcess {
  runDir: string;
  owner: RunFolderOwner;
  /** The session of the run this process was started for (see RunFolderOwner.startedFor); undefined when started by hand. */
  session: number | undefined;
  /** Progress for the parent, if it is still there: a worker outlives a reloaded window, and its IPC pipe. */
  send(m: WorkerMessage, then?: () => void): void;
  /** Appends to the run's log; a full disk drops the line rather than the run. */
  log(text: string): void;
  /** Writes run.json; a run folder deleted under the process (`rm -rf`, a user) stops it quietly. */
  persist(rec: RunRecord): void;
  /** Requests a stop when the stop file is there (`hone stop` from a process that is not the parent). */
  stopFiled(): void;
  /** Refreshes the heartbeat (through `save({})`) and looks for the stop file every HEARTBEAT_MS; returns the timer. */
  heartbeat(save: (patch: Partial<RunRecord>) => void): NodeJS.Timeout;
  /**
   * Saves into a fresh folder and renames it to model/ only once complete: a full disk leaves no half model.
   * Returns the size of model/model.json + model/weights.bin on disk, the run's `tfjs_bytes` as compression
   * and `hone attack` count it, so that a trained or federated model is placed beside its compressed children.
   */
  saveModelSafely(model: tf.LayersModel, pre: Preprocessing): Promise<number>;
  /**
   * Writes the metrics cache (store/metrics-cache.ts), then exits once the parent has the final message
   * (exiting at once could drop it from the IPC pipe): 0, 4 when the folder was deleted, 3 on a crash.
   */
  exitAfter(main: Promise<RunRecord>, name: string): void;
}

export function runProcess(runDir: string, role: string): RunProcess {
  const log = (text: string) => {
    if (!owner.gone) tryWrite(() => appendLog(runDir, `${now()} ${text}\n`));
  };
  const owner = new RunFolderOwner(runDir, log, role);
  const send = (m: WorkerMessage, then?: () => void) => {
    if (process.send && process.connected) process.send(m, undefined, {}, () => then?.());
    else then?.();
  };
  for (const level of ['log', 'info', 'warn', 'error'] as const) console[level] = (...args: unknown[]) => log(format(...args));
  // A queue agent's worker: its job re-runs on another agent when the agent dies, so it must not train on.
  if (process.env[EXIT_WITH_PARENT]) process.on('disconnect', () => process.exit(5));
  const stopFiled = () => {
    if (existsSync(join(runDir, STOP_FILE))) requestStop();
  };
  const session = process.env[RUN_SESSION] === undefined ? undefined : Number(process.env[RUN_SESSION]);
  try {
    recoverModel(runDir).forEach(log);
  } catch (e) {
    log(`the leftovers of a killed model save could not be tidied: ${(e as Error).message}`);
  }
  return {
    runDir, owner, session, send, log, stopFiled,
    persist: (rec) => {
      owner.persist(rec);
      if (owner.gone) requestStop();
    },
    heartbeat: (save) => setInterval(() => {
      stopFiled();
      // A full disk refuses a heartbeat now and then; training goes on, and a later write may pass. Any other
      // error too (a file another program holds open on Windows): thrown from a timer it would end the worker.
      try {
        tryWrite(() => save({}));
      } catch (e) {
        log(`heartbeat not written: ${(e as Error).message}`);
      }
    }, HEARTBEAT_MS),
    saveModelSafely: async (model, pre) => {
      const tmp = modelTmpOf(runDir);
      try {
        await saveModel(model, tmp, pre);
        swapInModel(runDir);
      } catch (e) {
        rmSync(tmp, { recursive: true, force: true });
        throw explainWriteError(e, 'the model');
      }
      return modelBytes(join(runDir, 'model'));
    },
    exitAfter: (main, name) => main.then(
      (record) => {
        if (!owner.gone) tryWrite(() => void readMetricColumns(runDir));
        send({ type: 'finished', record }, () => process.exit(owner.gone ? 4 : 0));
      },
      (e) => {
        process.stderr.write(`${name}: ${(e as Error).message}\n`);
        process.exit(3);
      },
    ),
  };
}

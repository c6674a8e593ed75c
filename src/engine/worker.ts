/**
 * The training worker: `node worker.js <runDir>`. It owns its run folder: run.json (status, heartbeat,
 * results), metrics.jsonl, log.txt and model/. It exits 0 once run.json holds a final status; any other
 * end (a signal, an uncaught crash) leaves status `running`, which the parent or a later reader turns
 * into `crashed`.
 */
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { format } from 'node:util';
import { appendLog, appendMetric, readRunRecord, writeRunRecord } from '../core/store';
import type { RunRecord } from '../core/store/types';
import { HEARTBEAT_MS, type WorkerMessage } from '../core/protocol';
import { chooseBackend, requiredKernels } from './backend';
import { loadDataset } from './data';
import { buildModel, describeModel, hiddenLayers, preprocessingOf, saveModel } from './models';
import { train } from './train';

const runDir = process.argv[2];
/** Progress for the parent, if it is still there: a worker outlives a reloaded window, and its IPC pipe. */
const send = (m: WorkerMessage, then?: () => void) => {
  if (process.send && process.connected) process.send(m, undefined, {}, () => then?.());
  else then?.();
};
const now = () => new Date().toISOString();
const log = (text: string) => appendLog(runDir, `${now()} ${text}\n`);

// TF.js and its backends print to the console; in a worker that output belongs in the run's log.
for (const level of ['log', 'info', 'warn', 'error'] as const) console[level] = (...args: unknown[]) => log(format(...args));

async function main(): Promise<RunRecord> {
  const rec = readRunRecord(runDir);
  if (!rec) throw new Error(`no readable run.json in ${runDir}`);
  const save = (patch: Partial<RunRecord>) => writeRunRecord(runDir, Object.assign(rec, patch, { heartbeat: now() }));
  let stopRequested = false;
  process.on('SIGTERM', () => (stopRequested = true));
  process.on('SIGINT', () => (stopRequested = true));
  const t0 = Date.now();
  save({ status: 'running', pid: process.pid, started: now(), versions: { ...rec.versions, tfjs: tf.version.tfjs } });
  const beat = setInterval(() => save({}), HEARTBEAT_MS);
  try {
    const { spec } = rec;
    const backend = await chooseBackend(spec.backend, requiredKernels(hiddenLayers(spec.model, spec.train.dropout)));
    log(`backend ${backend.name}: ${backend.reason}${Object.keys(backend.skipped).length ? `; skipped ${JSON.stringify(backend.skipped)}` : ''}`);
    save({ backend });
    send({ type: 'started', backend });
    const data = loadDataset(spec.data, spec.seed, process.cwd());
    log(`data ${data.description}`);
    const model = buildModel(spec.model, data, spec.seed, spec.train.dropout);
    save({ model: describeModel(model) });
    const loadMs = Date.now() - t0;
    const result = await train(model, data, spec.train, spec.seed, {
      onEpoch: (line) => {
        appendMetric(runDir, line);
        save({ epochsDone: line.epoch, latest: line.metrics });
        send({ type: 'epoch', line, epochs: spec.train.epochs });
      },
      shouldStop: () => stopRequested,
    });
    if (result.status !== 'diverged') {
      // The saved model answers raw inputs: Hone's normalisation goes into it (models/preprocess.ts).
      await saveModel(model, join(runDir, 'model'), preprocessingOf(data, spec.data, spec.seed, process.cwd()));
    }
    log(`${result.status}: ${result.message}`);
    const totalMs = Date.now() - t0;
    save({ ...result, finished: now(), timings: { loadMs, trainMs: totalMs - loadMs, totalMs } });
  } catch (e) {
    log(`failed: ${(e as Error).stack ?? e}`);
    save({ status: 'failed', message: (e as Error).message, finished: now() });
  } finally {
    clearInterval(beat);
  }
  return rec;
}

main().then(
  // Exit only once the parent has the final message: exiting at once could drop it from the IPC pipe.
  (record) => send({ type: 'finished', record }, () => process.exit(0)),
  (e) => {
    process.stderr.write(`hone worker: ${(e as Error).message}\n`);
    process.exit(3);
  },
);

/**
 * A federated run's coordinator: `node worker.js <runDir>` for a run of kind `federated` (worker-entry.ts
 * picks it). It owns the run folder like the training worker (run.json, heartbeat, metrics.jsonl, log,
 * model/) and adds partition.json. It deals the data, starts the client workers (pool.ts), runs the
 * rounds, evaluates the global model after each one and appends one metrics line per round (the round
 * is `epoch` and `step`). With HONE_FED_QUEUE set (`hone run --queue`), the clients train on queue agents
 * instead (queue-runner.ts). A stop request ends the run: a round it cuts short (clients skipped) is
 * discarded once the clients already training finish, and the global model of the last complete round
 * is saved, the one its last metrics line scored (with `averageRounds` > 1, the mean of the last rounds'
 * global models: iterate-average.ts). A client that fails (its worker killed) fails the run,
 * which keeps its complete rounds the same way: their model saved, the last one's metrics as final. A
 * killed coordinator leaves its completed rounds in metrics.jsonl, and its client workers exit when their
 * IPC channel closes.
 */
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { appendMetric, explainWriteError, thisProcess, readRunRecord } from '../../core/store';
import { atomicWriteFileSync } from '../../core/store/fs-util';
import { kindOf, type BackendReport, type MetricLine, type RunRecord } from '../../core/store/types';
import { updateBest } from '../../core/metrics';
import { PARTITION_FILE } from '../../core/federated/partition';
import type { Spec } from '../../core/spec/types';
import { startSystemSampler } from '../../core/system-metrics';
import { chooseBackend, requiredKernels, wasmThreadsFor } from '../backend';
import { loadDataset } from '../data';
import { dataProvenance } from '../data-hash';
import { buildModel, describeModel, hiddenLayers, preprocessingOf } from '../models';
import { evaluate, toTensors } from '../train/evaluate';
import { stopRequested } from '../stop-signal';
import { now, runProcess, sized } from '../run-process';
import { getFlat, layoutOf, setFlat } from './flat';
import { IterateAverage } from './iterate-average';
import { ProcessPool } from './pool';
import { FED_QUEUE_ENV } from './protocol';
import type { ClientRunner } from './runner';
import { clientLr, runRound, type RoundOutcome } from './round';
import { createFederation, dealClients, planWorkers } from './setup';

const runDir = process.argv[2];
const { owner, send, log, persist, stopFiled, heartbeat, saveModelSafely, exitAfter } = runProcess(runDir, 'coordinator');

async function main(): Promise<RunRecord> {
  const rec = readRunRecord(runDir);
  if (!rec) throw new Error(`no readable run.json in ${runDir}`);
  if (kindOf(rec) !== 'federated' || !(rec.spec as Spec).federated) throw new Error(`run ${rec.id} is not a federated run`);
  const spec = rec.spec as Spec;
  const f = spec.federated!;
  const save = (patch: Partial<RunRecord>) => persist(Object.assign(rec, patch, { heartbeat: now() }));
  const t0 = Date.now();
  save({ status: 'running', ...thisProcess(), started: rec.started ?? now(), epochsPlanned: f.rounds, versions: { ...rec.versions, tfjs: tf.version.tfjs } });
  const beat = heartbeat(save);
  const sampler = startSystemSampler(runDir);
  let runner: ClientRunner | undefined;
  try {
    const kernels = requiredKernels(hiddenLayers(spec.model, spec.train.dropout));
    // The run's share of the cores, split among its client workers; the coordinator itself only
    // evaluates between rounds, while the clients wait, so it takes the whole share then.
    const share = await wasmThreadsFor({ threads: spec.threads });
    const plan = planWorkers(f, share.threads);
    const own = await chooseBackend(spec.backend, kernels, { threads: share.threads });
    const data = loadDataset(spec.data, spec.seed, process.cwd());
    log(`data ${data.description}`);
    if (rec.provenance) save({ provenance: { ...rec.provenance, data: dataProvenance(data, spec.data, process.cwd()) } });
    const model = buildModel(spec.model, data, spec.seed, spec.train.dropout);
    save({ model: describeModel(model) });
    const layout = layoutOf(model);
    // Dealt before any client worker starts: a partition that cannot be dealt fails the run at once.
    const dealt = dealClients(f, data, spec.seed);
    const { summary } = dealt;
    atomicWriteFileSync(join(runDir, PARTITION_FILE), JSON.stringify(summary) + '\n');
    log(`partition ${f.partition.type}: ${f.clients} clients, ${Math.min(...summary.sizes)} to ${Math.max(...summary.sizes)} samples each${summary.byzantine.length ? `; ${summary.byzantine.length} Byzantine (${f.attack!.type})` : ''}`);
    const queueUrl = process.env[FED_QUEUE_ENV];
    let backend: BackendReport;
    if (queueUrl) {
      // Loaded only for a queue: BullMQ and ioredis stay out of every other run.
      const [{ QueueClientRunner }, { parseQueueUrl }] = await Promise.all([import('./queue-runner'), import('../../core/queue/url')]);
      const address = parseQueueUrl(queueUrl);
      runner = await QueueClientRunner.open(address, { runId: rec.id, spec, data: { inputShape: data.inputShape, classes: data.classes }, sizes: layout.sizes, log });
      backend = { ...own, threads: share.threads, threadsWhy: `${share.why}; the clients train on the agents of ${address.redacted}, and this backend scores the global model` };
      log(`clients on queue agents at ${address.redacted}: one job per client and round${f.deadline ? `, round deadline ${f.deadline} s` : ', no round deadline'}`);
    } else {
      const started = await ProcessPool.start({
        script: process.argv[1], runDir, count: plan.workers, log,
        init: { model: spec.model, dropout: spec.train.dropout, inputShape: data.inputShape, classes: data.classes, seed: spec.seed, backend: spec.backend, kernels, threads: plan.threads },
      });
      runner = started.pool;
      const split = `${plan.workers} client worker${plan.workers > 1 ? 's' : ''} x ${plan.threads} thread${plan.threads > 1 ? 's' : ''}`;
      backend = { ...started.backend, threads: plan.threads, threadsWhy: `${share.why}; ${split}` };
      log(`backend ${backend.name} (client workers): ${backend.reason}; ${backend.threadsWhy}; coordinator ${own.name}`);
    }
    save({ backend });
    send({ type: 'started', backend });
    const { fed, state } = createFederation(spec, data, layout.sizes, getFlat(model), runner, dealt);
    const [valT, testT] = [data.val, data.test].map((p) => toTensors(p, data.inputShape));
    const loadMs = Date.now() - t0;
    const trainStart = Date.now();
    const best: Record<string, number> = {};
    const average = new IterateAverage({ window: f.averageRounds });
    /** Puts `weights` in the model and scores it on the validation and test splits. */
    const score = async (weights: Float32Array) => {
      setFlat(model, weights);
      return { ...(await evaluate(model, valT, data, 'val_')), ...(await evaluate(model, testT, data, 'test_')) };
    };
    let last: MetricLine | undefined;
    let status: 'completed' | 'stopped' | 'diverged' | 'failed' = 'completed';
    let message = `trained ${f.rounds} rounds`;
    try {
      for (let round = 1; round <= f.rounds; round++) {
        stopFiled();
        if (stopRequested()) {
          [status, message] = ['stopped', `stopped on request after round ${round - 1}`];
          break;
        }
        const tensors = tf.memory().numTensors;
        let out: RoundOutcome;
        try {
          out = await runRound(fed, state, round, () => (stopFiled(), stopRequested()));
        } catch (e) {
          // A client failed (its worker died, its job failed): runRound threw before it changed the state,
          // so the rounds done stand, and the model holds the last complete round's weights.
          [status, message] = ['failed', `round ${round} failed: ${(e as Error).message}`];
          break;
        }
        if (out.skipped) {
          // runRound left the state as it was: the model still holds the last complete round's weights.
          log(`round ${round} cut short by a stop request (${out.reported} of ${out.sampled} clients reported, ${out.skipped} skipped): discarded, the ${f.averageRounds > 1 ? 'model scored after' : 'global model of'} round ${round - 1} is kept`);
          [status, message] = ['stopped', `stopped on request after round ${round - 1}`];
          break;
        }
        if (out.unchanged) log(`round ${round}: global model unchanged (${out.unchanged})`);
        if (out.late) log(`round ${round}: ${out.late} of ${out.sampled} clients missed the ${f.deadline} s deadline and count as dropped`);
        const scored = average.push(state.weights);
        // With averageRounds > 1 the latest global model is scored too (`*_latest`), then the mean of the last rounds', which the model keeps.
        const latest = scored === state.weights ? {} : Object.fromEntries(Object.entries(await score(state.weights)).map(([k, v]) => [`${k}_latest`, v]));
        const metrics = { ...out.metrics, ...(await score(scored)), ...latest };
        last = { epoch: round, step: round, time: (Date.now() - trainStart) / 1000, lr: clientLr(f, spec.train, round), metrics, tensors };
        updateBest(best, metrics);
        if (owner.gone) return rec;
        try {
          appendMetric(runDir, last);
        } catch (e) {
          throw explainWriteError(e, `the metrics of round ${round}`);
        }
        save({ epochsDone: round, latest: metrics });
        send({ type: 'epoch', line: last, epochs: f.rounds, unit: 'round' });
        const lossKey = testT.n > 0 ? 'test_loss' : valT.n > 0 ? 'val_loss' : 'loss';
        if (!state.weights.every(Number.isFinite) || (metrics[lossKey] !== undefined && !Number.isFinite(metrics[lossKey]))) {
          [status, message] = ['diverged', `the global model became non-finite in round ${round}`];
          break;
        }
        if (stopRequested()) {
          [status, message] = ['stopped', `stopped on request after round ${round}`];
          break;
        }
      }
    } finally {
      tf.dispose([valT.x, valT.y, testT.x, testT.y]);
    }
    if (owner.gone) return rec;
    if (status === 'failed' || status === 'stopped') {
      if (!last) message += '; no round completed, so no model is saved';
      else if (status === 'failed') message += `; the ${f.averageRounds > 1 ? 'mean of the global models up to' : 'global model of'} round ${last.epoch} is saved, with its metrics as final`;
    }
    // The saved model's size, as a trained run records it: the federated model is placed beside its compressed children.
    const metrics = { final: { ...last?.metrics }, best };
    // No round done, no model: the initial weights would pass for a trained model with `hone compress` and `hone attack`.
    const saved = status !== 'diverged' && last ? sized(metrics, await saveModelSafely(model, preprocessingOf(data, spec.data, spec.seed, process.cwd()))) : metrics;
    log(`${status}: ${message}`);
    const totalMs = Date.now() - t0;
    save({ status, message, epochsDone: last?.epoch ?? 0, ...saved, finished: now(), timings: { loadMs, trainMs: totalMs - loadMs, totalMs } });
  } catch (e) {
    log(`failed: ${(e as Error).stack ?? e}`);
    save({ status: 'failed', message: (e as Error).message, finished: now() });
  } finally {
    clearInterval(beat);
    await runner?.close();
    await sampler.stop();
  }
  return rec;
}

exitAfter(main(), 'hone federated coordinator');

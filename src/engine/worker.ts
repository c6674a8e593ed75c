/**
 * The training worker: `node worker.js <runDir>` (entered through worker-entry.ts). It owns its run
 * folder: run.json (status, heartbeat, results), metrics.jsonl, log.txt and model/. It exits 0 once
 * run.json holds a final status; any other end (a signal, an uncaught crash) leaves status `running`,
 * which the parent or a later reader turns into `crashed`.
 */
import * as tf from '@tensorflow/tfjs';
import { appendMetric, explainWriteError, thisProcess, readMetrics, readRunRecord, tryWrite } from '../core/store';
import { hasFullSpec, kindOf, type MetricLine, type RunRecord } from '../core/store/types';
import { plannedEpochs } from '../core/compress/plan';
import { backendForRun } from './run-backend';
import { loadDataset } from './data';
import { buildModel, describeModel, preprocessingOf, type Preprocessing } from './models';
import { loadTrainCheckpoint, saveTrainCheckpoint, train, type TrainCheckpoint } from './train';
import { dataChange, dataProvenance } from './data-hash';
import { compressModel, loadParent, trainedKept } from './compress';
import { requestStop, stopRequested } from './stop-signal';
import { now, runProcess, sized } from './run-process';
import { startSystemSampler } from '../core/system-metrics';
import { workerStart } from '../core/resume/session';
import { applyResume } from '../core/resume';
import { robustnessAfterTraining, robustTraining } from './robust/in-run';

const runDir = process.argv[2];
const { owner, session, send, log, persist, stopFiled, heartbeat, saveModelSafely, exitAfter } = runProcess(runDir, 'worker');

async function main(): Promise<RunRecord> {
  const rec = readRunRecord(runDir);
  if (!rec) throw new Error(`no readable run.json in ${runDir}`);
  if (!hasFullSpec(rec)) throw new Error(`run ${rec.id} is a ${rec.kind} run: the training worker runs train and compress runs only`);
  if (!owner.startedFor(rec, session)) return rec;
  const save = (patch: Partial<RunRecord>) => persist(Object.assign(rec, patch, { heartbeat: now() }));
  const t0 = Date.now();
  // A resumed run (see core/resume) keeps its first start time; its latest `resumed` entry gets this one.
  save({ status: 'running', ...thisProcess(), ...workerStart(rec, now()), versions: { ...rec.versions, tfjs: tf.version.tfjs } });
  const beat = heartbeat(save);
  const sampler = startSystemSampler(runDir);
  try {
    const { spec } = rec;
    const { backend, line } = await backendForRun(spec);
    log(line);
    if (rec.resumed?.length && rec.backend && rec.backend.name !== backend.name) {
      log(`resuming on ${backend.name}, not ${rec.backend.name} as before: the epochs that follow may differ from an uninterrupted run in the last bits`);
    }
    save({ backend });
    send({ type: 'started', backend });
    const data = loadDataset(spec.data, spec.seed, process.cwd());
    log(`data ${data.description}`);
    if (rec.provenance) {
      const now = dataProvenance(data, spec.data, process.cwd());
      const changed = dataChange(rec.provenance.data, now);
      // A resumed run goes on with the data it started with, or not at all: its record names one data set.
      if (rec.resumed?.length && changed) {
        throw new Error(`the data changed since the run started (${changed}), so the remaining epochs would train on other data; restore the data and resume again, or rerun it`);
      }
      save({ provenance: { ...rec.provenance, data: now } });
    }
    // A compress run starts from its parent's saved model instead of training one (engine/compress).
    const parent = kindOf(rec) === 'compress' ? await loadParent(runDir, rec.parent ?? '') : undefined;
    const model = parent?.network ?? buildModel(spec.model, data, spec.seed, spec.train.dropout);
    save({ model: describeModel(model), epochsPlanned: plannedEpochs(spec, kindOf(rec)) });
    // The normalisation the saved model carries; adversarial training (robustness.train) works in the raw
    // input space, so it needs it before training.
    let pre: Preprocessing | undefined;
    const preprocessing = () => (pre ??= preprocessingOf(data, spec.data, spec.seed, process.cwd()));
    const adv = spec.robustness?.train && !parent ? robustTraining(model, data, spec, preprocessing(), log) : undefined;
    const from = rec.resumed?.length ? checkpointToResume(rec) : undefined;
    const loadMs = Date.now() - t0;
    // Also at once, not only on the next heartbeat: a stop asked for while the worker loaded.
    stopFiled();
    if (stopRequested()) {
      save({ status: 'stopped', message: 'stopped before training started', finished: now() });
      return rec;
    }
    if (from) {
      // Only now, about to train, does the earlier session's later work go (core/resume).
      save(applyResume(runDir, rec, log));
      // metrics.jsonl holds the epochs up to the checkpoint: the collapse guard's history.
      if (adv) adv.resume(readMetrics(runDir).lines);
    }
    const onEpoch = (line: MetricLine) => {
      // Checked before each write of the run's files: a resume elsewhere may have taken the run over.
      if (!owner.owns(rec)) return requestStop();
      try {
        appendMetric(runDir, line);
      } catch (e) {
        throw explainWriteError(e, `the metrics of epoch ${line.epoch}`);
      }
      save({ epochsDone: line.epoch, latest: line.metrics });
      send({ type: 'epoch', line, epochs: rec.epochsPlanned });
    };
    const trained = parent ? undefined : await train(model, data, adv?.train ?? spec.train, spec.seed, {
      ...adv?.hooks,
      onEpoch,
      shouldStop: stopRequested,
      onCheckpoint: (c, best) => {
        if (!owner.owns(rec)) return;
        // A checkpoint the disk refuses leaves the previous one whole; training matters more than it.
        const refused = tryWrite(() => saveTrainCheckpoint(runDir, c, best, spec, () => owner.owns(rec)));
        if (refused) log(`checkpoint of epoch ${c.epoch} not written (${refused}); the previous one stays`);
      },
    }, from);
    if (owner.gone) return rec;
    let result = trained!;
    if ((parent || spec.compress) && (!trained || trained.status === 'completed')) {
      // The trained model and its metrics are kept first: a compression that diverges or fails loses neither.
      const kept = trained && sized(trained, await saveModelSafely(model, preprocessing()));
      if (kept) save({ final: kept.final, best: kept.best, bestEpoch: kept.bestEpoch });
      // Compression saves the model itself (model/ and model.hone); its metrics follow training's.
      const job = { model, data, spec, runDir, pre: preprocessing(), savedIn: parent?.dir ?? runDir, denseBytes: parent?.denseBytes, hooks: { onEpoch, shouldStop: stopRequested, log } };
      const { report, network, ...compressed } = await compressModel(job);
      if (network) save({ model: network });
      result = kept && compressed.status === 'diverged' ? trainedKept(kept, compressed) : { ...compressed, bestEpoch: undefined };
    } else if (result.status !== 'diverged') {
      // The saved model answers raw inputs: Hone's normalisation goes into it (models/preprocess.ts).
      result = sized(result, await saveModelSafely(model, preprocessing()));
    }
    adv?.dispose();
    // A resumed run's training time includes its earlier sessions' up to the checkpoint, as its metric lines' `time` does.
    const priorMs = from ? Math.round(from.time * 1000) : 0;
    const trainMs = Date.now() - t0 - loadMs + priorMs;
    if (spec.robustness && result.status === 'completed') {
      // The evaluation attacks model/ as saved last: after compression the compressed model, the one
      // whose accuracy and sizes the run reports (its sha256 is in robustness.evaluation.model).
      if (spec.robustness.evaluate) log(`robustness: evaluating the ${parent || spec.compress ? 'compressed' : 'trained'} model in model/`);
      const robust = await robustnessAfterTraining(runDir, spec, adv, result, { baseDir: process.cwd(), log, stop: stopRequested });
      result = robust.result;
      save({ robustness: robust.robustness });
    }
    log(`${result.status}: ${result.message}`);
    const totalMs = Date.now() - t0 + priorMs;
    // trainMs: training and saving; a robustness evaluation after it counts in totalMs only.
    save({ ...result, finished: now(), timings: { loadMs, trainMs, totalMs } });
  } catch (e) {
    log(`failed: ${(e as Error).stack ?? e}`);
    save({ status: 'failed', message: (e as Error).message, finished: now() });
  } finally {
    clearInterval(beat);
    await sampler.stop();
  }
  return rec;
}

/**
 * The checkpoint a resumed run continues from: the last one, of the epoch its latest `resumed` entry
 * names (`applyResume` then truncates metrics.jsonl after that epoch).
 */
function checkpointToResume(rec: RunRecord): TrainCheckpoint {
  const asked = rec.resumed!.at(-1)!.fromEpoch;
  const c = loadTrainCheckpoint(runDir);
  if (c?.epoch !== asked) throw new Error(`resume from epoch ${asked}: the run's last checkpoint is ${c ? `of epoch ${c.epoch}` : 'gone'}`);
  log(`resuming from the checkpoint of epoch ${c.epoch} (step ${c.step}); the metrics of later epochs are recomputed`);
  return c;
}

exitAfter(main(), 'hone worker');

import * as tf from '@tensorflow/tfjs';
import type { EarlyStopping, TrainSpec } from '../../core/spec/types';
import type { MetricLine } from '../../core/store/types';
import type { Dataset } from '../data/types';
import { createRng, derive } from '../../core/rng';
import { reseedDropout } from '../models/forward';
import { dataLoss, isPenalized, penalty } from './objective';
import { createOptimizer, type Optimizer } from './optimizers';
import { learningRateAt } from './schedule';
import { evaluate, taskMetric, toTensors, type PartTensors } from './evaluate';
import { earlyStoppingStep, watchedValue } from './early-stopping';
import { updateBest } from '../../core/metrics';
import { clipByGlobalNorm } from './clip';
import { trainStep } from './step';
import { capture, freshProgress, restore, restoreWeights, snapshot, type Progress, type TrainCheckpoint, type Trainer } from './checkpoint';

export interface TrainHooks {
  /** Called after every epoch with its metrics; awaited, so it may write files. */
  onEpoch(line: MetricLine): void | Promise<void>;
  /** Polled between batches: true ends training as `stopped` after the current batch. */
  shouldStop(): boolean;
  /**
   * Extension point for techniques: extra terms added to the objective of every batch
   * (proximal terms, adversarial losses). Must return a scalar built from the given tensors.
   */
  extraLoss?: (out: tf.Tensor, x: tf.Tensor, y: tf.Tensor) => tf.Scalar;
  /**
   * Extension points for techniques that constrain weights while training (pruning masks, shared weights,
   * fake quantization; engine/compress/constraints.ts). `transformGrads` maps each step's gradients (in
   * `model.trainableWeights` order) before clipping and the optimizer, inside the step's tidy.
   * `afterStep` runs after each optimizer step with the steps taken so far and the optimizer (whose
   * `state()` slots are live, grouped per variable in that same order); it disposes what it makes.
   */
  transformGrads?: (grads: tf.Tensor[]) => tf.Tensor[];
  afterStep?: (step: number, opt: Optimizer) => void;
  /**
   * Adversarial training (engine/robust/adversarial.ts): the inputs each batch trains on in place of x,
   * crafted before the step and outside its gradient tape; `step` is the global step (for seeds).
   */
  perturb?: (x: tf.Tensor, y: tf.Tensor, step: number) => tf.Tensor;
  /** Extra metrics at the end of each epoch (`val_robust_accuracy`), before early stopping reads them. */
  epochMetrics?: (epoch: number) => Promise<Record<string, number>>;
  /**
   * Asked after each complete epoch's early stopping: a reason to end training there (adversarial
   * training's collapse guard), which becomes the run's message; the best weights are restored as after
   * early stopping.
   */
  endTraining?: () => string | undefined;
  /**
   * With `train.checkpoint.every` = k > 0: called at the end of every k-th complete epoch, after
   * `onEpoch`, with the state to continue from (`train(..., from)`); `best` when that state is the best
   * of the checkpoints so far by the monitored metric (see `monitored`). Awaited.
   */
  onCheckpoint?: (c: TrainCheckpoint, best: boolean) => void | Promise<void>;
}

export interface TrainResult {
  status: 'completed' | 'stopped' | 'diverged';
  epochsDone: number;
  /** Metrics of the model as it ends (the restored best epoch's with early stopping), test metrics included. */
  final: Record<string, number>;
  best: Record<string, number>;
  bestEpoch?: number;
  message: string;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * What "best" means for checkpoints: early stopping's metric and rule when the spec has early stopping,
 * else val_loss (loss without a validation split), lower is better.
 */
export const monitored = (t: TrainSpec, data: Dataset): EarlyStopping =>
  t.earlyStopping ?? { metric: data.val.n > 0 ? 'val_loss' : 'loss', patience: 0, minDelta: 0, mode: 'auto' };

/**
 * Hone's training loop: minibatch descent on mean data loss + l2 * sum(w^2) + l1 * sum|w| (kernels, and
 * biases when regularizeBias), with the spec's optimizer, schedule, clipping and early stopping.
 * Deterministic for a seed on CPU backends: shuffles and dropout masks come from seeds derived from it.
 * `from` continues a run from one of its checkpoints, on the model built from the same spec and seed:
 * the epochs that follow are, on the same backend, the very epochs the uninterrupted run trains.
 */
export async function train(model: tf.LayersModel, data: Dataset, t: TrainSpec, seed: number, hooks: TrainHooks, from?: TrainCheckpoint): Promise<TrainResult> {
  const weights = model.trainableWeights;
  const vars = weights.map((w) => w.read() as tf.Variable);
  const penalized = weights.map((w) => isPenalized(w.originalName, t.regularizeBias));
  const opt = createOptimizer(vars, { name: t.optimizer, momentum: t.momentum, weightDecay: t.weightDecay, decayed: penalized });
  const [trainT, valT, testT] = [data.train, data.val, data.test].map((p) => toTensors(p, data.inputShape));
  const batch = t.batchSize === 0 ? trainT.n : Math.min(t.batchSize, trainT.n);
  const stepsPerEpoch = Math.ceil(trainT.n / batch);
  const totalSteps = stepsPerEpoch * t.epochs;
  const trainer: Trainer = { model, opt, rng: createRng(derive(seed, 'shuffle')), order: Int32Array.from({ length: trainT.n }, (_, i) => i) };
  const every = t.checkpoint?.every ?? 0;
  const watched = monitored(t, data);
  const started = Date.now();
  let status: TrainResult['status'] = 'completed';
  let message = `trained ${t.epochs} epochs`;

  const objective = (out: tf.Tensor, xb: tf.Tensor, yb: tf.Tensor) => {
    const loss = dataLoss(data.task, out, yb, data.classes);
    const pen = t.l1 > 0 || t.l2 > 0 ? penalty(vars.filter((_, i) => penalized[i]), t) : tf.scalar(0);
    const extra = hooks.extraLoss ? hooks.extraLoss(out, xb, yb) : tf.scalar(0);
    return { loss, total: loss.add(pen).add(extra) as tf.Scalar };
  };

  try {
    const p: Progress = from ? restore(from, trainer) : freshProgress();
    // The dropout seeds the model held after the checkpoint's last step: they are saved in model.json, and a
    // checkpoint of the last epoch (killed while saving the model) trains no step that would set them.
    if (p.step > 0) reseedDropout(model, derive(seed, 'dropout', p.step - 1));
    const before = p.time;
    for (let epoch = p.epoch + 1; epoch <= t.epochs && !p.earlyStopped; epoch++) {
      const tensors = tf.memory().numTensors;
      if (batch < trainT.n) trainer.rng.shuffle(trainer.order);
      let lossSum: tf.Scalar = tf.scalar(0);
      let hits: tf.Scalar = tf.scalar(0);
      let lr = t.lr;
      for (let start = 0; start < trainT.n; start += batch) {
        lr = learningRateAt(t.lr, t.schedule, { step: p.step, stepsPerEpoch, totalSteps });
        reseedDropout(model, derive(seed, 'dropout', p.step));
        const [l, h] = trainStep({
          model, vars, part: trainT, idx: trainer.order.subarray(start, start + batch), fullBatch: batch === trainT.n, objective,
          apply: (raw) => {
            const grads = hooks.transformGrads ? hooks.transformGrads(raw) : raw;
            opt.step(t.clipNorm > 0 ? clipByGlobalNorm(grads, t.clipNorm) : grads, lr);
          },
          lossSum, hits, classification: data.task === 'classification',
          ...(hooks.perturb ? { perturb: (x: tf.Tensor, y: tf.Tensor) => hooks.perturb!(x, y, p.step) } : {}),
        });
        tf.dispose([lossSum, hits]);
        [lossSum, hits] = [l, h];
        p.step++;
        hooks.afterStep?.(p.step, opt);
        await nextTurn();
        if (hooks.shouldStop()) break;
      }
      const complete = p.step === epoch * stepsPerEpoch;
      const seen = Math.min(trainT.n, (p.step - (epoch - 1) * stepsPerEpoch) * batch);
      const trainLoss = (await lossSum.data())[0] / seen;
      const accuracy = (await hits.data())[0] / seen;
      tf.dispose([lossSum, hits]);
      const pen = tf.tidy(() => penalty(vars.filter((_, i) => penalized[i]), t).dataSync()[0]);
      const metrics: Record<string, number> = {
        loss: trainLoss,
        ...taskMetric(data, '', trainLoss, accuracy),
        ...(await evaluate(model, valT, data, 'val_')),
        ...(t.l1 > 0 || t.l2 > 0 ? { penalty: pen } : {}),
        ...(hooks.epochMetrics ? await hooks.epochMetrics(epoch) : {}),
      };
      const last: MetricLine = { epoch, step: p.step, time: before + (Date.now() - started) / 1000, lr, metrics, tensors };
      Object.assign(p, { epoch, last });
      updateBest(p.best, metrics);
      await hooks.onEpoch(last);
      if (!Number.isFinite(trainLoss)) {
        [status, message] = ['diverged', `loss became ${trainLoss} at epoch ${epoch}`];
        break;
      }
      // The loss is measured before each step: the epoch's last step may have made the weights NaN unseen.
      const broken = nonFiniteWeight(vars);
      if (broken !== undefined) {
        [status, message] = ['diverged', `weights became ${broken} at the end of epoch ${epoch}`];
        break;
      }
      // Only a complete epoch counts for early stopping and may be checkpointed: a stop request can
      // cut an epoch short, and a resume continues at an epoch's start.
      if (complete && t.earlyStopping) {
        const r = earlyStoppingStep(t.earlyStopping, p.stopper, epoch, watchedValue(metrics, t.earlyStopping.metric));
        p.stopper = r.state;
        if (r.improved) [p.bestWeights, p.bestLine] = [snapshot(model), last];
        if (r.stop) p.earlyStopped = `early stopping at epoch ${epoch}: ${t.earlyStopping.metric} did not improve for ${t.earlyStopping.patience} epochs`;
      }
      const end = complete ? hooks.endTraining?.() : undefined;
      if (end) p.earlyStopped = end;
      if (complete && every > 0 && epoch % every === 0 && hooks.onCheckpoint) {
        const r = earlyStoppingStep(watched, p.checkpointBest, epoch, watchedValue(metrics, watched.metric));
        p.checkpointBest = r.state;
        await hooks.onCheckpoint(capture({ ...p, last, time: last.time }, trainer), r.improved);
      }
      if (hooks.shouldStop()) {
        [status, message] = ['stopped', `stopped on request during epoch ${epoch}`];
        break;
      }
    }
    if (status !== 'stopped' && p.earlyStopped) message = p.earlyStopped;
    if (p.bestWeights && p.bestLine && status !== 'diverged' && p.bestLine.epoch !== p.last?.epoch) {
      restoreWeights(model, p.bestWeights);
      message += `; restored the weights of epoch ${p.bestLine.epoch} (best ${t.earlyStopping?.metric})`;
    }
    // A diverged run keeps its last weights (nothing is restored or saved): its metrics are the last epoch's.
    const kept = status !== 'diverged' && p.bestWeights ? p.bestLine : undefined;
    const final = { ...((kept ?? p.last)?.metrics ?? {}), ...(status === 'diverged' ? {} : await evaluate(model, testT, data, 'test_')) };
    return { status, epochsDone: p.last?.epoch ?? 0, final, best: p.best, bestEpoch: kept?.epoch, message };
  } finally {
    [trainT, valT, testT].forEach((part: PartTensors) => tf.dispose([part.x, part.y]));
    opt.dispose();
  }
}

/** NaN or ±Infinity when a weight is not finite (from each tensor's sum: one number read back per tensor), else undefined. */
function nonFiniteWeight(vars: tf.Variable[]): number | undefined {
  for (const v of vars) {
    const sum = tf.tidy(() => tf.sum(v).dataSync()[0]);
    if (!Number.isFinite(sum)) return sum;
  }
  return undefined;
}

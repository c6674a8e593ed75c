import * as tf from '@tensorflow/tfjs';
import type { TrainSpec } from '../../core/spec/types';
import type { MetricLine } from '../../core/store/types';
import type { Dataset } from '../data/types';
import { createRng, derive } from '../../core/rng';
import { forward, reseedDropout } from '../models/forward';
import { correctCount, dataLoss, isPenalized, penalty } from './objective';
import { createOptimizer } from './optimizers';
import { learningRateAt } from './schedule';
import { evaluate, taskMetric, toTensors, type PartTensors } from './evaluate';
import { earlyStoppingStep, higherIsBetter, initialStopper } from './early-stopping';
import { clipByGlobalNorm } from './clip';

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
 * Hone's training loop: minibatch descent on mean data loss + l2 * sum(w^2) + l1 * sum|w| (kernels, and
 * biases when regularizeBias), with the spec's optimizer, schedule, clipping and early stopping.
 * Deterministic for a seed on CPU backends: shuffles and dropout masks come from seeds derived from it.
 */
export async function train(model: tf.LayersModel, data: Dataset, t: TrainSpec, seed: number, hooks: TrainHooks): Promise<TrainResult> {
  const weights = model.trainableWeights;
  const vars = weights.map((w) => w.read() as tf.Variable);
  const penalized = weights.map((w) => isPenalized(w.originalName, t.regularizeBias));
  const opt = createOptimizer(vars, { name: t.optimizer, momentum: t.momentum, weightDecay: t.weightDecay, decayed: penalized });
  const [trainT, valT, testT] = [data.train, data.val, data.test].map((p) => toTensors(p, data.inputShape));
  const batch = t.batchSize === 0 ? trainT.n : Math.min(t.batchSize, trainT.n);
  const stepsPerEpoch = Math.ceil(trainT.n / batch);
  const totalSteps = stepsPerEpoch * t.epochs;
  const shuffleRng = createRng(derive(seed, 'shuffle'));
  const order = Int32Array.from({ length: trainT.n }, (_, i) => i);
  const started = Date.now();
  const best: Record<string, number> = {};
  let stopper = initialStopper();
  let bestWeights: Snapshot | undefined;
  let bestLine: MetricLine | undefined;
  let last: MetricLine | undefined;
  let status: TrainResult['status'] = 'completed';
  let message = `trained ${t.epochs} epochs`;
  let step = 0;

  const objective = (out: tf.Tensor, xb: tf.Tensor, yb: tf.Tensor) => {
    const loss = dataLoss(data.task, out, yb, data.classes);
    const pen = t.l1 > 0 || t.l2 > 0 ? penalty(vars.filter((_, i) => penalized[i]), t) : tf.scalar(0);
    const extra = hooks.extraLoss ? hooks.extraLoss(out, xb, yb) : tf.scalar(0);
    return { loss, total: loss.add(pen).add(extra) as tf.Scalar };
  };

  try {
    for (let epoch = 1; epoch <= t.epochs; epoch++) {
      const tensors = tf.memory().numTensors;
      if (batch < trainT.n) shuffleRng.shuffle(order);
      let lossSum: tf.Scalar = tf.scalar(0);
      let hits: tf.Scalar = tf.scalar(0);
      let lr = t.lr;
      for (let start = 0; start < trainT.n; start += batch) {
        lr = learningRateAt(t.lr, t.schedule, { step, stepsPerEpoch, totalSteps });
        reseedDropout(model, derive(seed, 'dropout', step));
        const [l, h] = trainStep({
          model, vars, part: trainT, idx: order.subarray(start, start + batch), fullBatch: batch === trainT.n, objective,
          apply: (grads) => opt.step(t.clipNorm > 0 ? clipByGlobalNorm(grads, t.clipNorm) : grads, lr),
          lossSum, hits, classification: data.task === 'classification',
        });
        tf.dispose([lossSum, hits]);
        [lossSum, hits] = [l, h];
        step++;
        await nextTurn();
        if (hooks.shouldStop()) break;
      }
      const seen = Math.min(trainT.n, (step - (epoch - 1) * stepsPerEpoch) * batch);
      const trainLoss = (await lossSum.data())[0] / seen;
      const accuracy = (await hits.data())[0] / seen;
      tf.dispose([lossSum, hits]);
      const pen = tf.tidy(() => penalty(vars.filter((_, i) => penalized[i]), t).dataSync()[0]);
      const metrics: Record<string, number> = {
        loss: trainLoss,
        ...taskMetric(data, '', trainLoss, accuracy),
        ...(await evaluate(model, valT, data, 'val_')),
        ...(t.l1 > 0 || t.l2 > 0 ? { penalty: pen } : {}),
      };
      last = { epoch, step, time: (Date.now() - started) / 1000, lr, metrics, tensors };
      for (const [k, v] of Object.entries(metrics)) {
        if (!(k in best) || (higherIsBetter(k) ? v > best[k] : v < best[k])) best[k] = v;
      }
      await hooks.onEpoch(last);
      if (!Number.isFinite(trainLoss)) {
        [status, message] = ['diverged', `loss became ${trainLoss} at epoch ${epoch}`];
        break;
      }
      if (hooks.shouldStop()) {
        [status, message] = ['stopped', `stopped on request during epoch ${epoch}`];
        break;
      }
      if (t.earlyStopping) {
        const r = earlyStoppingStep(t.earlyStopping, stopper, epoch, metrics[t.earlyStopping.metric]);
        stopper = r.state;
        if (r.improved) [bestWeights, bestLine] = [snapshot(model), last];
        if (r.stop) {
          message = `early stopping at epoch ${epoch}: ${t.earlyStopping.metric} did not improve for ${t.earlyStopping.patience} epochs`;
          break;
        }
      }
    }
    if (bestWeights && bestLine && status !== 'diverged' && bestLine !== last) {
      restore(model, bestWeights);
      message += `; restored the weights of epoch ${bestLine.epoch} (best ${t.earlyStopping?.metric})`;
    }
    const ending = bestWeights && bestLine ? bestLine : last;
    const final = { ...(ending?.metrics ?? {}), ...(status === 'diverged' ? {} : await evaluate(model, testT, data, 'test_')) };
    return { status, epochsDone: last?.epoch ?? 0, final, best, bestEpoch: bestLine?.epoch, message };
  } finally {
    [trainT, valT, testT].forEach((p: PartTensors) => tf.dispose([p.x, p.y]));
    opt.dispose();
  }
}

/** Weights copied to plain arrays: keeping the best epoch costs no tensors, so the tensor count stays flat. */
type Snapshot = { data: Float32Array; shape: number[] }[];

const snapshot = (model: tf.LayersModel): Snapshot =>
  model.getWeights().map((w) => ({ data: (w.dataSync() as Float32Array).slice(), shape: w.shape }));

function restore(model: tf.LayersModel, s: Snapshot): void {
  const tensors = s.map((w) => tf.tensor(w.data, w.shape));
  model.setWeights(tensors);
  tf.dispose(tensors);
}

interface StepArgs {
  model: tf.LayersModel;
  vars: tf.Variable[];
  part: PartTensors;
  idx: Int32Array;
  fullBatch: boolean;
  objective: (out: tf.Tensor, x: tf.Tensor, y: tf.Tensor) => { loss: tf.Scalar; total: tf.Scalar };
  apply: (grads: tf.Tensor[]) => void;
  lossSum: tf.Scalar;
  hits: tf.Scalar;
  classification: boolean;
}

/**
 * One optimisation step on the rows `idx` of the training part; returns the running sums of data loss
 * (times batch size) and correct predictions, so the epoch reads them back with a single sync.
 */
function trainStep(a: StepArgs): [tf.Scalar, tf.Scalar] {
  return tf.tidy(() => {
    const rows = a.fullBatch ? undefined : tf.tensor1d(a.idx, 'int32');
    const xb = rows ? tf.gather(a.part.x, rows) : a.part.x;
    const yb = rows ? tf.gather(a.part.y, rows) : a.part.y;
    let loss!: tf.Scalar;
    let out!: tf.Tensor;
    const { grads } = tf.variableGrads(() => {
      out = tf.keep(forward(a.model, xb, true));
      const o = a.objective(out, xb, yb);
      loss = tf.keep(o.loss);
      return o.total;
    }, a.vars);
    a.apply(a.vars.map((v) => grads[v.name]));
    const sums: [tf.Scalar, tf.Scalar] = [
      a.lossSum.add(loss.mul(a.idx.length)),
      a.classification ? a.hits.add(correctCount(out, yb)) : a.hits.clone(),
    ];
    tf.dispose([loss, out]);
    return sums;
  });
}

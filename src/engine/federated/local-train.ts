import * as tf from '@tensorflow/tfjs';
import type { OptimizerName } from '../../core/spec/types';
import { createRng, derive } from '../../core/rng';
import { reseedDropout } from '../models/forward';
import type { PartTensors } from '../train/evaluate';
import { createOptimizer } from '../train/optimizers';
import { dataLoss, isPenalized, penalty } from '../train/objective';
import { clipByGlobalNorm } from '../train/clip';
import { trainStep } from '../train/step';

/** How a client trains in one round: the spec's `train` optimiser settings, E, B, FedProx's mu. */
export interface LocalConfig {
  optimizer: OptimizerName;
  lr: number;
  momentum: number;
  weightDecay: number;
  l1: number;
  l2: number;
  regularizeBias: boolean;
  clipNorm: number;
  /** E: passes over the client's data. */
  epochs: number;
  /** B; 0 = the whole client data as one batch. */
  batch: number;
  /** FedProx's mu; 0: plain local training. */
  mu: number;
  /** A straggler stops after this many steps (at least 1); absent: all E epochs. */
  maxSteps?: number;
  /** Seeds this client's shuffles and dropout masks in this round. */
  seed: number;
}

export interface LocalResult {
  steps: number;
  /** Mean data loss and accuracy over the samples of the steps taken. */
  loss: number;
  accuracy: number;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A client's local training from the global weights the model holds: E epochs of minibatch steps of
 * size B on its data `part`, with a fresh optimiser (client state does not persist across rounds, as in
 * FedAvg). With mu > 0 the objective gains FedProx's proximal term (mu / 2) ||w - w_global||^2 over the
 * trainable weights (Li et al. 2020, arXiv:1812.06127), which keeps a client near the global model.
 * Steps are Hone's own (train/step.ts): the same objective, optimisers and clipping as central training.
 */
export async function localTrain(model: tf.LayersModel, part: PartTensors, classes: number, c: LocalConfig): Promise<LocalResult> {
  const weights = model.trainableWeights;
  const vars = weights.map((w) => w.read() as tf.Variable);
  const penalized = weights.map((w) => isPenalized(w.originalName, c.regularizeBias));
  const opt = createOptimizer(vars, { name: c.optimizer, momentum: c.momentum, weightDecay: c.weightDecay, decayed: penalized });
  const anchor = c.mu > 0 ? vars.map((v) => v.clone()) : [];
  const task = classes > 0 ? 'classification' : 'regression';
  const objective = (out: tf.Tensor, _x: tf.Tensor, yb: tf.Tensor) => {
    const loss = dataLoss(task, out, yb, classes);
    let total: tf.Scalar = loss;
    if (c.l1 > 0 || c.l2 > 0) total = total.add(penalty(vars.filter((_, i) => penalized[i]), c));
    if (c.mu > 0) total = total.add(tf.addN(vars.map((v, i) => v.sub(anchor[i]).square().sum())).mul(c.mu / 2));
    return { loss, total };
  };
  const n = part.n;
  const batch = c.batch === 0 ? n : Math.min(c.batch, n);
  const rng = createRng(c.seed);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const budget = c.maxSteps ?? Infinity;
  let lossSum: tf.Scalar = tf.scalar(0);
  let hits: tf.Scalar = tf.scalar(0);
  let steps = 0;
  let seen = 0;
  try {
    for (let e = 0; e < c.epochs && steps < budget; e++) {
      if (batch < n) rng.shuffle(order);
      for (let start = 0; start < n && steps < budget; start += batch) {
        const idx = order.subarray(start, start + batch);
        reseedDropout(model, derive(c.seed, 'dropout', steps));
        const [l, h] = trainStep({
          model, vars, part, idx, fullBatch: batch === n, objective,
          apply: (grads) => opt.step(c.clipNorm > 0 ? clipByGlobalNorm(grads, c.clipNorm) : grads, c.lr),
          lossSum, hits, classification: task === 'classification',
        });
        tf.dispose([lossSum, hits]);
        [lossSum, hits] = [l, h];
        steps++;
        seen += idx.length;
        // Let the process hear from its coordinator now and then (a disconnect ends it).
        if (steps % 64 === 0) await nextTurn();
      }
    }
    const [loss, correct] = [(await lossSum.data())[0], (await hits.data())[0]];
    return { steps, loss: loss / seen, accuracy: task === 'classification' ? correct / seen : NaN };
  } finally {
    tf.dispose([lossSum, hits, ...anchor]);
    opt.dispose();
  }
}

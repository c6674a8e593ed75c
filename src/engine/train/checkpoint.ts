import * as tf from '@tensorflow/tfjs';
import type { MetricLine } from '../../core/store/types';
import type { Rng, RngState } from '../../core/rng';
import type { Optimizer } from './optimizers';
import { initialStopper, type StopperState } from './early-stopping';

/** A tensor's values and shape, copied out of TF.js; weights keep their variable's name. */
export interface NamedArray {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** What the training loop carries from one epoch to the next, besides the tensors it trains. */
export interface Progress {
  /** Complete epochs, and optimizer steps taken (dropout masks and schedules are functions of it). */
  epoch: number;
  step: number;
  /** Training seconds before this process trained (in a checkpoint: up to `epoch`), so `time` runs on across a resume. */
  time: number;
  /** Best value of each metric so far (min for losses, max for accuracies). */
  best: Record<string, number>;
  last?: MetricLine;
  /** Early stopping: its state, the best epoch's line and weights, and why it ended training if it did. */
  stopper: StopperState;
  bestLine?: MetricLine;
  bestWeights?: NamedArray[];
  earlyStopped?: string;
  /** Early stopping's bookkeeping over the checkpoints written, to tell which one `best/` should hold. */
  checkpointBest: StopperState;
}

/**
 * Everything needed to continue training bit for bit at an epoch's end: the progress, every weight of
 * the model (trainable or not: batch-norm moving statistics too), the optimizer's slots and step count,
 * and the shuffle's generator and permutation (each epoch shuffles the previous epoch's order).
 */
export interface TrainCheckpoint extends Progress {
  last: MetricLine;
  weights: NamedArray[];
  optimizer: { t: number; slots: NamedArray[] };
  shuffle: { rng: RngState; order: Int32Array };
}

export const freshProgress = (): Progress => ({ epoch: 0, step: 0, time: 0, best: {}, stopper: initialStopper(), checkpointBest: initialStopper() });

const toArrays = (tensors: tf.Tensor[], names: string[]): NamedArray[] =>
  tensors.map((t, i) => ({ name: names[i], shape: t.shape.slice(), data: (t.dataSync() as Float32Array).slice() }));

/** Every weight of `model`, copied to plain arrays (keeping a snapshot costs no tensors). */
export const snapshot = (model: tf.LayersModel): NamedArray[] => toArrays(model.getWeights(), model.weights.map((w) => w.name));

/** Sets `model`'s weights from a snapshot of a model built from the same spec (matched by position and shape). */
export function restoreWeights(model: tf.LayersModel, s: NamedArray[]): void {
  const fit = model.weights.length === s.length && model.weights.every((w, i) => tf.util.arraysEqual(w.shape as number[], s[i].shape));
  if (!fit) throw new Error(`the checkpoint's ${s.length} weights do not fit the model's ${model.weights.length} (was the model changed?)`);
  const tensors = s.map((w) => tf.tensor(w.data, w.shape));
  model.setWeights(tensors);
  tf.dispose(tensors);
}

/** The pieces of a training run a checkpoint reads from and writes back into. */
export interface Trainer {
  model: tf.LayersModel;
  opt: Optimizer;
  rng: Rng;
  order: Int32Array;
}

/** The loop's state at the end of epoch `p.epoch`, copied out of the model, the optimizer and the shuffle. */
export function capture(p: Progress & { last: MetricLine }, r: Trainer): TrainCheckpoint {
  const { t, slots } = r.opt.state();
  return {
    ...p,
    best: { ...p.best },
    stopper: { ...p.stopper },
    checkpointBest: { ...p.checkpointBest },
    weights: snapshot(r.model),
    optimizer: { t, slots: toArrays(slots, slots.map((_, i) => `slot${i}`)) },
    shuffle: { rng: r.rng.state(), order: r.order.slice() },
  };
}

/** Puts a checkpoint back into a trainer freshly built from the same spec and seed; returns the progress to go on from. */
export function restore(c: TrainCheckpoint, r: Trainer): Progress {
  if (c.shuffle.order.length !== r.order.length) throw new Error(`the checkpoint shuffles ${c.shuffle.order.length} rows, the training data has ${r.order.length}`);
  restoreWeights(r.model, c.weights);
  const slots = c.optimizer.slots.map((s) => tf.tensor(s.data, s.shape));
  try {
    r.opt.restore({ t: c.optimizer.t, slots });
  } finally {
    tf.dispose(slots);
  }
  r.rng.restore(c.shuffle.rng);
  r.order.set(c.shuffle.order);
  const { weights, optimizer, shuffle, ...progress } = c;
  return { ...progress, best: { ...c.best }, stopper: { ...c.stopper }, checkpointBest: { ...c.checkpointBest } };
}

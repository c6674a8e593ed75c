import * as tf from '@tensorflow/tfjs';
import { forward } from '../models/forward';
import type { PartTensors } from './evaluate';
import { correctCount } from './objective';

export interface StepArgs {
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
  /** Adversarial training: the inputs to train on in place of the batch's (see TrainHooks.perturb). */
  perturb?: (x: tf.Tensor, y: tf.Tensor) => tf.Tensor;
}

/**
 * One optimisation step on the rows `idx` of the training part; returns the running sums of data loss
 * (times batch size) and correct predictions, so the epoch reads them back with a single sync.
 */
export function trainStep(a: StepArgs): [tf.Scalar, tf.Scalar] {
  return tf.tidy(() => {
    const rows = a.fullBatch ? undefined : tf.tensor1d(a.idx, 'int32');
    const clean = rows ? tf.gather(a.part.x, rows) : a.part.x;
    const yb = rows ? tf.gather(a.part.y, rows) : a.part.y;
    const xb = a.perturb ? a.perturb(clean, yb) : clean;
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

import * as tf from '@tensorflow/tfjs';
import type { Task } from '../data/types';

/**
 * Data loss, mean over the batch. Regression: mean squared error with predictions flattened to (N,)
 * so they meet targets of shape (N,) element-wise (an (N,1) against (N,) pair would broadcast to N x N).
 * Classification: softmax cross-entropy on logits against integer labels.
 */
export function dataLoss(task: Task, out: tf.Tensor, y: tf.Tensor, classes: number): tf.Scalar {
  if (task === 'regression') return tf.losses.meanSquaredError(y, out.reshape([-1])) as tf.Scalar;
  return tf.losses.softmaxCrossEntropy(tf.oneHot(y.toInt(), classes), out) as tf.Scalar;
}

/** Number of correct predictions in a batch of logits. */
export const correctCount = (out: tf.Tensor, y: tf.Tensor): tf.Scalar => out.argMax(-1).equal(y.toInt()).sum();

export interface PenaltyConfig {
  l1: number;
  l2: number;
}

/** l2 * sum(w^2) + l1 * sum(|w|) over the given weights (kernels, plus biases when regularizeBias). */
export function penalty(weights: tf.Tensor[], c: PenaltyConfig): tf.Scalar {
  return tf.tidy(() => {
    let total: tf.Scalar = tf.scalar(0);
    for (const w of weights) {
      if (c.l2 > 0) total = total.add(w.square().sum().mul(c.l2));
      if (c.l1 > 0) total = total.add(w.abs().sum().mul(c.l1));
    }
    return total;
  });
}

/** Which trainable weights the penalty and decoupled weight decay apply to: kernels, and biases on request. */
export const isPenalized = (weightName: string, regularizeBias: boolean): boolean =>
  /\/kernel$/.test(weightName) || (regularizeBias && /\/bias$/.test(weightName));

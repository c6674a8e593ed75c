/**
 * Per-example losses of logits z [N, C] against int32 labels y [N], each [N]. Attacks ascend them.
 * Masks are subtracted as large constants rather than selected (TF.js has no gradient for the boolean
 * ops a `where` mask needs when the mask itself depends on z).
 */
import * as tf from '@tensorflow/tfjs';

const BIG = 1e9;

export type Loss = (z: tf.Tensor, y: tf.Tensor) => tf.Tensor;

/** The label's one-hot rows, float32 [N, C]. */
const labelMask = (z: tf.Tensor, y: tf.Tensor) => tf.oneHot(y, z.shape[1]!).toFloat();

/** Cross-entropy: logsumexp(z) - z_y. */
export const crossEntropy: Loss = (z, y) => tf.logSumExp(z, 1).sub(z.mul(labelMask(z, y)).sum(1));

/** The largest logit other than the label's. */
const bestOther = (z: tf.Tensor, y: tf.Tensor) => z.sub(labelMask(z, y).mul(BIG)).max(1);

/** Margin z_y - max_{i != y} z_i: negative exactly when the point is misclassified (Square minimises it). */
export const margin: Loss = (z, y) => z.mul(labelMask(z, y)).sum(1).sub(bestOther(z, y));

/**
 * Difference of logits ratio (Croce & Hein 2020, arXiv:2003.01690, eq. 6): -(z_y - max_{i != y} z_i) /
 * (z_pi1 - z_pi3 + 1e-12), with z_pi the logits sorted in decreasing order. Invariant to shifting and
 * scaling the logits, so a saturated softmax cannot hide the gradient. Needs 3 or more classes.
 */
export const dlr: Loss = (z, y) => {
  const c = z.shape[1]!;
  const first = tf.oneHot(z.argMax(1), c).toFloat();
  const second = tf.oneHot(z.sub(first.mul(BIG)).argMax(1), c).toFloat();
  const third = z.sub(first.add(second).mul(BIG)).max(1);
  return margin(z, y).neg().div(z.max(1).sub(third).add(1e-12));
};

/** KL(p || softmax(z)) per example, for TRADES; p [N, C] are fixed probabilities. */
export const klFrom = (p: tf.Tensor, z: tf.Tensor): tf.Tensor => p.mul(p.add(1e-12).log().sub(tf.logSoftmax(z))).sum(1);

/**
 * Per-example loss at x, its input gradient, and which points the model misclassifies there: one
 * forward and one backward pass. The caller disposes `grad`.
 */
export function lossAndGrad(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor, y: tf.Tensor, loss: Loss): { loss: Float32Array; grad: tf.Tensor; wrong: Uint8Array } {
  let per!: tf.Tensor;
  let z!: tf.Tensor;
  const grad = tf.grad((xx: tf.Tensor) => {
    z = tf.keep(f(xx));
    per = tf.keep(loss(z, y));
    return per.sum();
  })(x);
  const values = per.dataSync() as Float32Array;
  const wrong = tf.tidy(() => z.argMax(1).notEqual(y).dataSync()) as Uint8Array;
  tf.dispose([per, z]);
  return { loss: Float32Array.from(values), grad, wrong: Uint8Array.from(wrong) };
}

/** Which points the model misclassifies at x: one forward pass. */
export const misclassified = (f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor, y: tf.Tensor): Uint8Array =>
  Uint8Array.from(tf.tidy(() => f(x).argMax(1).notEqual(y).dataSync()) as Uint8Array);

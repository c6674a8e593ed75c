/**
 * TRADES (Zhang et al. 2019, arXiv:1901.08573): minimise cross-entropy(f(x), y) + beta * KL(f(x) || f(x')),
 * x' maximising that KL inside the linf ball. The first term is the training step's own loss on the
 * clean batch; these are the inner maximisation and the added term.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../core/rng';
import { ascend, freeBall, makeBall, project } from './ball';
import { klFrom } from './losses';
import type { Logits } from './types';

export interface TradesConfig {
  eps: number;
  alpha: number;
  steps: number;
}

/**
 * x' from x + 0.001 N(0, 1) (the paper's start; the first gradient is taken there, unclipped, as in the
 * authors' trades.py) by `steps` signed steps of alpha up KL(p(x) || p(x')), each projected onto the ball
 * and [0, 1]. x: [N, ...] in [0, 1].
 */
export function tradesAdversary(f: Logits, x: tf.Tensor, c: TradesConfig, rng: Rng): tf.Tensor {
  const b = makeBall(x, c.eps, 'linf');
  const p = tf.tidy(() => tf.softmax(f(x)));
  const noise = Float32Array.from({ length: b.n * b.d }, () => 0.001 * rng.normal());
  let xa = tf.tidy(() => x.add(tf.tensor(noise, x.shape)));
  try {
    for (let t = 0; t < c.steps; t++) {
      const grad = tf.grad((xx: tf.Tensor) => klFrom(p, f(xx)).sum())(xa);
      const next = tf.tidy(() => project(b, ascend(b, xa, grad, c.alpha)));
      tf.dispose([xa, grad]);
      xa = next;
    }
    // Projecting is idempotent: this only matters with no steps, when the start itself is returned.
    return project(b, xa);
  } finally {
    tf.dispose([xa, p]);
    freeBall(b);
  }
}

/** beta * mean over the batch of KL(softmax(clean) || softmax(adversarial)), from logits [N, C]. */
export const tradesLoss = (clean: tf.Tensor, adversarial: tf.Tensor, beta: number): tf.Scalar =>
  tf.tidy(() => klFrom(tf.softmax(clean), adversarial).mean().mul(beta) as tf.Scalar);

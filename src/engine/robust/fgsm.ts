/**
 * FGSM is one PGD step: a variant is a config, not another attack. `fgsm` is Goodfellow et al. 2015
 * (arXiv:1412.6572): a step of eps from x along the gradient's sign. `fastAtExample` is the example Fast
 * adversarial training trains on (Wong et al. 2020, arXiv:2001.03994).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../core/rng';
import { crossEntropy, lossAndGrad } from './losses';
import type { PgdConfig } from './pgd';
import type { Logits } from './types';

export const fgsm = (eps: number): PgdConfig => ({ eps, alpha: eps, steps: 1, restarts: 1, norm: 'linf', randomStart: false });

/**
 * Wong et al.'s training example for x (in [0, 1]), as their MNIST code makes it: a uniform start delta0
 * in [-eps, eps] per value, the cross-entropy gradient at x + delta0 (not clipped to [0, 1] first: a
 * start clipped to the box puts half of MNIST's black pixels exactly at 0, and every one of them then
 * moves by 0 or eps, which is FGSM without its random start on most of the image), a step of alpha
 * along its sign, the step clipped to [-eps, eps] and x + delta to [0, 1]. Synchronous (inside a training step).
 */
export function fastAtExample(f: Logits, x: tf.Tensor, y: tf.Tensor, eps: number, alpha: number, rng: Rng): tf.Tensor {
  const noise = new Float32Array(x.size);
  for (let i = 0; i < noise.length; i++) noise[i] = (2 * rng.next() - 1) * eps;
  const delta0 = tf.tensor(noise, x.shape);
  const start = x.add(delta0);
  const { grad } = lossAndGrad(f, start, y, crossEntropy);
  try {
    return tf.tidy(() => x.add(delta0.add(grad.sign().mul(alpha)).clipByValue(-eps, eps)).clipByValue(0, 1));
  } finally {
    tf.dispose([delta0, start, grad]);
  }
}

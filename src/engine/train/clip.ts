import * as tf from '@tensorflow/tfjs';

/** Scales gradients so their global L2 norm is at most `maxNorm` (Pascanu et al. 2013, arXiv:1211.5063). */
export function clipByGlobalNorm(grads: tf.Tensor[], maxNorm: number): tf.Tensor[] {
  return tf.tidy(() => {
    const norm = tf.addN(grads.map((g) => g.square().sum())).sqrt();
    const scale = tf.minimum(1, tf.scalar(maxNorm).div(norm.add(1e-12)));
    return grads.map((g) => g.mul(scale));
  });
}

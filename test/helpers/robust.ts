// Small classifiers with known answers for the attack tests, as attack-space `Logits` functions.
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../src/core/rng';
import type { Logits } from '../../src/engine/robust';

/**
 * A linear binary classifier on d features: logits [0, w.u + b]. Its smallest perturbation that flips a
 * point is |w.u + b| / ||w||_1 in linf and |w.u + b| / ||w||_2 in l2 (while the box does not bind).
 */
export function linearBinary(d: number, seed: number) {
  const rng = createRng(seed);
  const w = Float64Array.from({ length: d }, () => rng.normal());
  const b = -0.5 * w.reduce((s, v) => s + v, 0) + 0.5 * rng.normal();
  const wt = tf.tensor2d(Float32Array.from(w), [d, 1]);
  const f: Logits = (u) => tf.tidy(() => {
    const z = u.reshape([u.shape[0], d]).matMul(wt).add(b);
    return tf.concat([tf.zerosLike(z), z], 1);
  });
  const score = (x: ArrayLike<number>, i: number) => {
    let s = b;
    for (let j = 0; j < d; j++) s += w[j] * x[i * d + j];
    return s;
  };
  const l1 = w.reduce((s, v) => s + Math.abs(v), 0);
  const l2 = Math.sqrt(w.reduce((s, v) => s + v * v, 0));
  return { f, w, b, score, margin: (x: ArrayLike<number>, i: number, norm: 'linf' | 'l2') => Math.abs(score(x, i)) / (norm === 'linf' ? l1 : l2), dispose: () => wt.dispose() };
}

/** n points with values uniform in [lo, hi]. */
export function uniformPoints(n: number, d: number, seed: number, lo = 0.3, hi = 0.7): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n * d }, () => lo + (hi - lo) * rng.next());
}

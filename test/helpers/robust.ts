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

/** A random ReLU MLP on image inputs [N, h, w, 1] with `classes` outputs. */
export function randomMlp(shape: [number, number, number], classes: number, seed: number, hidden = 16) {
  const rng = createRng(seed);
  const d = shape[0] * shape[1] * shape[2];
  const w1 = tf.tensor2d(Float32Array.from({ length: d * hidden }, () => rng.normal() * 0.8), [d, hidden]);
  const w2 = tf.tensor2d(Float32Array.from({ length: hidden * classes }, () => rng.normal()), [hidden, classes]);
  const b1 = tf.tensor1d(Float32Array.from({ length: hidden }, () => rng.normal() * 0.5));
  const f: Logits = (u) => tf.tidy(() => u.reshape([u.shape[0], d]).matMul(w1).add(b1).relu().matMul(w2));
  return { f, dispose: () => tf.dispose([w1, w2, b1]) };
}

/**
 * A 3-class model on images whose class 0 points provably have an adversarial example at linf eps: the
 * logits are [0, a (mean(u) - t), -a mean(u) - 5], so raising every value of a point by eps (it stays
 * in [0, 1]) moves class 1 above class 0 whenever mean(u) > t - eps. `points` draws such points, each
 * with a slack of `slack` in mean(u), all classified 0.
 */
export function brightnessModel(shape: [number, number, number], eps: number, seed: number, slack = 0.03) {
  const [t, a] = [0.45, 20];
  const f: Logits = (u) => tf.tidy(() => {
    const m = u.reshape([u.shape[0], -1]).mean(1, true);
    return tf.concat([tf.zerosLike(m), m.sub(t).mul(a), m.mul(-a).sub(5)], 1);
  });
  const points = (n: number) => {
    const rng = createRng(seed);
    const d = shape[0] * shape[1] * shape[2];
    const x = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      const mean = t - eps + slack + (eps - 2 * slack) * rng.next();
      for (let j = 0; j < d; j++) x[i * d + j] = Math.min(1 - eps, Math.max(0, mean + 0.1 * (rng.next() - 0.5)));
    }
    return x;
  };
  return { f, points };
}

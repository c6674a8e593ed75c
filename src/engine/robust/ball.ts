/**
 * The eps ball around a batch, as tensors: per-value bounds for linf (exact, see core/robust/ball.ts),
 * the [0, 1] box for l2. Attacks step, project and start at random through these helpers.
 */
import * as tf from '@tensorflow/tfjs';
import type { Norm } from '../../core/spec/robust-types';
import { linfBounds, projectL2 } from '../../core/robust/ball';
import type { Rng } from '../../core/rng';

export interface Ball {
  x: tf.Tensor;
  /** x's values, read once. */
  xs: Float32Array;
  eps: number;
  norm: Norm;
  n: number;
  /** Values per point. */
  d: number;
  /** linf: the exact per-value bounds; l2: 0 and 1. */
  lo: tf.Tensor;
  hi: tf.Tensor;
}

/** The ball of radius eps around the rows of x (which it keeps a copy of; dispose with `freeBall`). */
export function makeBall(x: tf.Tensor, eps: number, norm: Norm): Ball {
  const xs = Float32Array.from(x.dataSync() as Float32Array);
  const n = x.shape[0];
  const d = xs.length / Math.max(1, n);
  const bounds = norm === 'linf' ? linfBounds(xs, eps) : undefined;
  const lo = bounds ? tf.tensor(bounds.lo, x.shape) : tf.scalar(0);
  const hi = bounds ? tf.tensor(bounds.hi, x.shape) : tf.scalar(1);
  return { x: x.clone(), xs, eps, norm, n, d, lo, hi };
}

/** The ball of the rows `rows` of `b`. */
export function subBall(b: Ball, rows: number[]): Ball {
  const x = tf.tidy(() => tf.gather(b.x, rows));
  const sub = makeBall(x, b.eps, b.norm);
  x.dispose();
  return sub;
}

export const freeBall = (b: Ball): void => tf.dispose([b.x, b.lo, b.hi]);

/** Per-row l2 norms, shaped [N, 1, ...] to broadcast against rows. */
function rowNorms(t: tf.Tensor): tf.Tensor {
  const axes = t.shape.slice(1).map((_, i) => i + 1);
  return t.square().sum(axes, true).sqrt();
}

/** Onto the ball and the [0, 1] box (linf exactly; l2 up to float32 rounding, which `finish` removes). */
export function project(b: Ball, xa: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    if (b.norm === 'linf') return tf.minimum(tf.maximum(xa, b.lo), b.hi);
    const delta = xa.sub(b.x);
    const factor = tf.minimum(1, tf.div(b.eps, rowNorms(delta).add(1e-12)));
    return b.x.add(delta.mul(factor)).clipByValue(0, 1);
  });
}

/** A step of size alpha (a number, or a tensor [N, 1, ...] per point) up the gradient: its sign for linf, its direction for l2. */
export function ascend(b: Ball, xa: tf.Tensor, grad: tf.Tensor, alpha: number | tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const dir = b.norm === 'linf' ? grad.sign() : grad.div(rowNorms(grad).add(1e-12));
    return xa.add(dir.mul(alpha));
  });
}

/** A point drawn uniformly from the ball (then clipped to the box): each value in [-eps, eps] for linf; a uniform radius direction for l2. */
export function randomStart(b: Ball, rng: Rng): tf.Tensor {
  const noise = new Float32Array(b.n * b.d);
  if (b.norm === 'linf') {
    for (let i = 0; i < noise.length; i++) noise[i] = (2 * rng.next() - 1) * b.eps;
  } else {
    for (let i = 0; i < b.n; i++) {
      let ss = 0;
      for (let j = i * b.d; j < (i + 1) * b.d; j++) ss += (noise[j] = rng.normal()) ** 2;
      const r = (b.eps * rng.next() ** (1 / b.d)) / Math.sqrt(ss || 1);
      for (let j = i * b.d; j < (i + 1) * b.d; j++) noise[j] *= r;
    }
  }
  return tf.tidy(() => project(b, b.x.add(tf.tensor(noise, b.x.shape))));
}

/** Row i of `a` where mask[i], else of `b` (a rank-1 condition would broadcast against the last axis, not rows). */
export function pickRows(mask: Uint8Array, a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.where(tf.tensor(mask, [mask.length, ...a.shape.slice(1).map(() => 1)], 'bool'), a, b));
}

/** The values of xa made exactly valid: inside the box and within eps of x (l2 projected in float64). */
export function finish(b: Ball, values: Float32Array): Float32Array {
  if (b.norm === 'l2') projectL2(b.xs, values, b.n, b.d, b.eps);
  return values;
}

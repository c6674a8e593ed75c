import * as tf from '@tensorflow/tfjs';
import { linfBounds } from '../../core/robust/ball';
import { createRng, derive } from '../../core/rng';
import { margin } from './losses';
import type { Attack, Logits } from './types';

export interface SquareConfig {
  eps: number;
  /** Model queries per point, the first one included. */
  queries: number;
  /** Initial share of the image a square covers. */
  pInit: number;
}

/** The share of the image the square covers at query i: pInit halved at the paper's fixed points (scaled to 10,000 queries). */
export function squareShare(pInit: number, i: number, queries: number): number {
  const it = Math.floor((i / queries) * 10000);
  const halvings = [10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000].filter((t) => it > t).length;
  return pInit / 2 ** halvings;
}

/**
 * Square Attack, linf (Andriushchenko et al. 2020, arXiv:1912.00049; AutoAttack's square.py): random
 * search that only queries the model, so masked gradients cannot mislead it. Starts from vertical stripes
 * of +-eps; each query moves one random square window (the same one for the whole batch, as the
 * reference does) to +-eps around the current best point, per channel, and keeps it where the margin
 * z_y - max_{i != y} z_i decreases. x: [N, h, w, c] in [0, 1]; y: [N] int32. A point is done once its
 * margin is negative. Everything but the model query runs on the CPU, inside exact linf bounds.
 */
export function* square(f: Logits, x: tf.Tensor, y: tf.Tensor, c: SquareConfig, seed = 0): Attack {
  const [n, h, w, ch] = x.shape as [number, number, number, number];
  const d = h * w * ch;
  const xs = Float32Array.from(x.dataSync() as Float32Array);
  const { lo, hi } = linfBounds(xs, c.eps);
  const labels = Int32Array.from(y.dataSync() as Int32Array);
  const rng = createRng(derive(seed, 'square'));
  const clip = (k: number, v: number) => Math.min(hi[k], Math.max(lo[k], v));
  const margins = (values: Float32Array, rows: number[]) =>
    tf.tidy(() => margin(f(tf.tensor(values, [rows.length, h, w, ch])), tf.tensor1d(rows.map((r) => labels[r]), 'int32')).dataSync()) as Float32Array;
  const best = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let col = 0; col < w; col++) {
      for (let k = 0; k < ch; k++) {
        const s = rng.next() < 0.5 ? -c.eps : c.eps;
        for (let row = 0; row < h; row++) {
          const at = i * d + (row * w + col) * ch + k;
          best[at] = clip(at, xs[at] + s);
        }
      }
    }
  }
  const all = Array.from({ length: n }, (_, i) => i);
  const low = Float32Array.from(margins(best, all));
  for (let q = 1; q < c.queries; q++) {
    const rows = all.filter((i) => low[i] >= 0);
    if (!rows.length) break;
    const s = Math.min(Math.max(Math.round(Math.sqrt(squareShare(c.pInit, q, c.queries) * h * w)), 1), h, w);
    const [top, left] = [rng.int(h - s + 1), rng.int(w - s + 1)];
    const signs = Array.from({ length: ch }, () => (rng.next() < 0.5 ? -2 * c.eps : 2 * c.eps));
    const cand = new Float32Array(rows.length * d);
    rows.forEach((i, r) => {
      cand.set(best.subarray(i * d, (i + 1) * d), r * d);
      for (let row = top; row < top + s; row++) {
        for (let col = left; col < left + s; col++) {
          for (let k = 0; k < ch; k++) {
            const at = (row * w + col) * ch + k;
            cand[r * d + at] = clip(i * d + at, best[i * d + at] + signs[k]);
          }
        }
      }
    });
    const m = margins(cand, rows);
    rows.forEach((i, r) => {
      if (m[r] < low[i]) {
        low[i] = m[r];
        best.set(cand.subarray(r * d, (r + 1) * d), i * d);
      }
    });
    yield;
  }
  return tf.tensor(best, x.shape);
}

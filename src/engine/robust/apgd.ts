import * as tf from '@tensorflow/tfjs';
import type { Norm } from '../../core/spec/robust-types';
import { createRng, derive, type Rng } from '../../core/rng';
import { ascend, finish, freeBall, makeBall, pickRows, project, subBall, type Ball } from './ball';
import { crossEntropy, dlr, lossAndGrad } from './losses';
import type { Attack, Logits } from './types';

export interface ApgdConfig {
  eps: number;
  norm: Norm;
  steps: number;
  restarts: number;
  loss: 'ce' | 'dlr';
}

/** Momentum weight and the share of increasing steps below which the step size is halved (the paper's alpha and rho). */
const MOMENTUM = 0.75;
const RHO = 0.75;

/** AutoAttack's start: x + eps * t / ||t|| per point, t uniform in [-1, 1] (linf) or normal (l2), then projected. */
function start(b: Ball, rng: Rng): tf.Tensor {
  const t = new Float32Array(b.n * b.d);
  for (let i = 0; i < b.n; i++) {
    let size = 0;
    for (let j = i * b.d; j < (i + 1) * b.d; j++) {
      t[j] = b.norm === 'linf' ? 2 * rng.next() - 1 : rng.normal();
      size = b.norm === 'linf' ? Math.max(size, Math.abs(t[j])) : size + t[j] * t[j];
    }
    const scale = b.eps / ((b.norm === 'linf' ? size : Math.sqrt(size)) || 1);
    for (let j = i * b.d; j < (i + 1) * b.d; j++) t[j] *= scale;
  }
  return tf.tidy(() => project(b, b.x.add(tf.tensor(t, b.x.shape))));
}

/**
 * Auto-PGD (Croce & Hein 2020, arXiv:2003.01690, Algorithm 1; AutoAttack's autopgd_base.py). x: [N, ...shape]
 * in [0, 1], y: [N] int32. Per point: step size 2 eps, momentum 0.75, and at checkpoints w_j (the first at
 * 0.22 steps, then closer, never under 0.06 steps apart) the step is halved and the run restarts from the
 * best point when fewer than 75% of the steps since the last checkpoint increased the loss, or when the
 * step was not halved last time and the best loss has not improved since. Every iterate is checked; a
 * fooled point keeps its first example. Restarts run on the points still robust. Loss `ce` or `dlr`.
 */
export function* apgd(f: Logits, x: tf.Tensor, y: tf.Tensor, c: ApgdConfig, seed = 0): Attack {
  const all = makeBall(x, c.eps, c.norm);
  const out = Float32Array.from(all.xs);
  const fooled = new Uint8Array(all.n);
  const lossFn = c.loss === 'ce' ? crossEntropy : dlr;
  const [first, shrink, least] = [Math.max(Math.floor(0.22 * c.steps), 1), Math.max(Math.floor(0.03 * c.steps), 1), Math.max(Math.floor(0.06 * c.steps), 1)];
  try {
    for (let r = 0; r < c.restarts; r++) {
      const rows = Array.from(fooled.keys()).filter((i) => !fooled[i]);
      if (!rows.length) break;
      const b = rows.length === all.n ? all : subBall(all, rows);
      const yb = tf.gather(y, rows);
      const keep = (xa: tf.Tensor, wrong: Uint8Array, last: boolean): boolean => {
        if (last || rows.some((row, i) => wrong[i] && !fooled[row])) {
          const v = finish(b, Float32Array.from(xa.dataSync() as Float32Array));
          rows.forEach((row, i) => {
            if (!fooled[row]) out.set(v.subarray(i * b.d, (i + 1) * b.d), row * b.d);
            if (wrong[i]) fooled[row] = 1;
          });
        }
        return rows.every((row) => fooled[row]);
      };
      let xa = start(b, createRng(derive(seed, 'apgd', r)));
      let { loss, grad, wrong } = lossAndGrad(f, xa, yb, lossFn);
      let [xOld, xBest, gradBest] = [xa.clone(), xa.clone(), grad.clone()];
      try {
        if (keep(xa, wrong, false)) continue;
        const eta = new Float32Array(b.n).fill(2 * c.eps);
        let lossBest = loss.slice();
        let bestAtCheck = lossBest.slice();
        let halvedAtCheck = new Uint8Array(b.n).fill(1);
        const increased: Uint8Array[] = [];
        let [period, since] = [first, 0];
        for (let i = 0; i < c.steps; i++) {
          const a = i === 0 ? 1 : MOMENTUM;
          const next = tf.tidy(() => {
            const step = tf.tensor(eta, [b.n, ...xa.shape.slice(1).map(() => 1)]);
            const z = project(b, ascend(b, xa, grad, step));
            return project(b, xa.add(z.sub(xa).mul(a)).add(xa.sub(xOld).mul(1 - a)));
          });
          tf.dispose([xOld, grad]);
          [xOld, xa] = [xa, next];
          const prev = loss;
          ({ loss, grad, wrong } = lossAndGrad(f, xa, yb, lossFn));
          if (keep(xa, wrong, i === c.steps - 1)) break;
          increased.push(Uint8Array.from(loss, (v, j) => (v > prev[j] ? 1 : 0)));
          const better = Uint8Array.from(loss, (v, j) => (v > lossBest[j] ? 1 : 0));
          const [xb, gb] = [pickRows(better, xa, xBest), pickRows(better, grad, gradBest)];
          tf.dispose([xBest, gradBest]);
          [xBest, gradBest] = [xb, gb];
          lossBest = lossBest.map((v, j) => (loss[j] > v ? loss[j] : v));
          if (++since === period) {
            const halve = new Uint8Array(b.n);
            for (let j = 0; j < b.n; j++) {
              let ups = 0;
              for (let s = increased.length - period; s < increased.length; s++) ups += increased[s][j];
              halve[j] = ups <= period * RHO || (!halvedAtCheck[j] && bestAtCheck[j] >= lossBest[j]) ? 1 : 0;
              if (halve[j]) eta[j] /= 2;
            }
            [halvedAtCheck, bestAtCheck] = [halve, lossBest.slice()];
            if (halve.some(Boolean)) {
              const [xr, gr] = [pickRows(halve, xBest, xa), pickRows(halve, gradBest, grad)];
              tf.dispose([xa, grad]);
              [xa, grad] = [xr, gr];
            }
            [period, since] = [Math.max(period - shrink, least), 0];
          }
          yield;
        }
      } finally {
        tf.dispose([xa, grad, xOld, xBest, gradBest, yb]);
        if (b !== all) freeBall(b);
      }
    }
    return tf.tensor(out, x.shape);
  } finally {
    freeBall(all);
  }
}

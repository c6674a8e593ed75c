import * as tf from '@tensorflow/tfjs';
import type { Norm } from '../../core/spec/robust-types';
import { createRng, derive, type Rng } from '../../core/rng';
import { ascend, finish, freeBall, makeBall, project, randomStart, subBall, type Ball } from './ball';
import { crossEntropy, lossAndGrad, misclassified } from './losses';
import type { Attack, Logits } from './types';

export interface PgdConfig {
  eps: number;
  /** Step size in the [0, 1] space (Madry et al.: 2.5 eps / steps). */
  alpha: number;
  steps: number;
  restarts: number;
  norm: Norm;
  /** Start each restart at a uniformly random point of the ball (else at x). */
  randomStart: boolean;
}

/** Rows still to attack: those not yet fooled. */
const open = (fooled: Uint8Array) => Array.from(fooled.keys()).filter((i) => !fooled[i]);

/**
 * Projected gradient descent on the cross-entropy (Madry et al. 2018, arXiv:1706.06083), for evaluation.
 * x: [N, ...shape] in [0, 1]; y: [N] int32 labels. Every iterate is checked: a point counts as fooled
 * at the first iterate the model misclassifies, and keeps that example (so more steps never lose a
 * success). Restarts run on the points earlier ones left robust, from fresh random starts (seeded by
 * `seed`). Returns [N, ...shape]: the examples found, the last iterate elsewhere.
 */
export function* pgd(f: Logits, x: tf.Tensor, y: tf.Tensor, c: PgdConfig, seed = 0): Attack {
  const all = makeBall(x, c.eps, c.norm);
  const out = Float32Array.from(all.xs);
  const fooled = new Uint8Array(all.n);
  try {
    for (let r = 0; r < c.restarts && open(fooled).length; r++) {
      const rows = open(fooled);
      const b = rows.length === all.n ? all : subBall(all, rows);
      const yb = tf.gather(y, rows);
      const rng = createRng(derive(seed, 'pgd', r));
      let xa = c.randomStart ? randomStart(b, rng) : b.x.clone();
      try {
        // Keeps iterate xa for row i (of `rows`) where it fools the model; true once all are fooled.
        const record = (wrong: Uint8Array, last: boolean) => {
          const fresh = rows.filter((row, i) => wrong[i] && !fooled[row]);
          if (fresh.length || last) {
            const v = finish(b, Float32Array.from(xa.dataSync() as Float32Array));
            rows.forEach((row, i) => {
              if ((wrong[i] && !fooled[row]) || (last && !fooled[row])) out.set(v.subarray(i * b.d, (i + 1) * b.d), row * b.d);
              if (wrong[i]) fooled[row] = 1;
            });
          }
          return rows.every((row) => fooled[row]);
        };
        for (let t = 0; ; t++) {
          if (t === c.steps) {
            record(misclassified(f, xa, yb), true);
            break;
          }
          const { grad, wrong } = lossAndGrad(f, xa, yb, crossEntropy);
          if (record(wrong, false)) {
            grad.dispose();
            break;
          }
          const next = tf.tidy(() => project(b, ascend(b, xa, grad, c.alpha)));
          tf.dispose([xa, grad]);
          xa = next;
          yield;
        }
      } finally {
        tf.dispose([xa, yb]);
        if (b !== all) freeBall(b);
      }
    }
    return tf.tensor(out, x.shape);
  } finally {
    freeBall(all);
  }
}

/**
 * The last iterate of one PGD run from `rng`'s start, for adversarial training (Madry et al.; with
 * `fgsm`'s configs, Wong et al.'s FGSM from a random start): training wants the highest-loss point the
 * steps reach, not the first misclassified one. Synchronous: it runs inside a training step.
 */
export function pgdLastIterate(f: Logits, x: tf.Tensor, y: tf.Tensor, c: PgdConfig, rng: Rng): tf.Tensor {
  const b: Ball = makeBall(x, c.eps, c.norm);
  let xa = c.randomStart ? randomStart(b, rng) : b.x.clone();
  try {
    for (let t = 0; t < c.steps; t++) {
      const { grad } = lossAndGrad(f, xa, y, crossEntropy);
      const next = tf.tidy(() => project(b, ascend(b, xa, grad, c.alpha)));
      tf.dispose([xa, grad]);
      xa = next;
    }
    return c.norm === 'l2' ? tf.tensor(finish(b, Float32Array.from(xa.dataSync() as Float32Array)), x.shape) : xa.clone();
  } finally {
    xa.dispose();
    freeBall(b);
  }
}

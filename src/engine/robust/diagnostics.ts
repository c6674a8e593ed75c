/**
 * Gradient-masking diagnostics at the clean points (Athalye et al. 2018, arXiv:1802.00420; Carlini et al.
 * 2019, arXiv:1902.06705): input gradients that are zero or vanish, a forward pass that is randomised, and
 * an attack at an eps so large it allows any input, which must break (nearly) every point.
 */
import * as tf from '@tensorflow/tfjs';
import type { Diagnostics } from '../../core/robust/report';
import type { AttackSpec, Norm, RobustEvaluate } from '../../core/spec/robust-types';
import { crossEntropy, lossAndGrad, margin } from './losses';
import type { Logits } from './types';
import type { Points } from './evaluate';

/** Points the whole-box attack runs on (the first correctly classified ones). */
export const LARGE_EPS_POINTS = 100;

type AttackRows = (f: Logits, p: Points, rows: number[], eps: number, norm: Norm, s: AttackSpec, o: { batch: number; seed: number; tick?: () => Promise<void> }) => Promise<{ broken: number[]; invalid: number }>;

/** Per-row l1 norms of a gradient [N, ...]. */
const rowL1 = (g: tf.Tensor): Float32Array => tf.tidy(() => g.abs().reshape([g.shape[0], -1]).sum(1).dataSync() as Float32Array);

export async function diagnose(f: Logits, p: Points, correct: number[], cfg: RobustEvaluate, o: { seed: number; tick?: () => Promise<void>; attackRows: AttackRows }): Promise<Diagnostics> {
  const m = Math.min(p.n, cfg.batch);
  const d = p.x.length / Math.max(1, p.n);
  const x = tf.tensor(p.x.subarray(0, m * d), [m, ...p.shape]);
  const y = tf.tensor1d(p.y.subarray(0, m), 'int32');
  let zeroGradient = 0;
  let vanishingGradient = 0;
  let randomized = false;
  try {
    for (const [loss, check] of [[margin, (v: number) => !(v > 0)], [crossEntropy, (v: number) => !(v >= 1e-8)]] as const) {
      const { grad } = lossAndGrad(f, x, y, loss);
      const count = rowL1(grad).filter(check).length;
      grad.dispose();
      if (loss === margin) zeroGradient = count;
      else vanishingGradient = count;
    }
    // As AutoAttack's check: predictions differ, or logits scaled to unit norm differ by more than 1e-4.
    randomized = tf.tidy(() => {
      const [a, b] = [f(x), f(x)];
      const unit = (z: tf.Tensor) => z.div(z.norm('euclidean', 1, true).add(1e-10));
      return a.argMax(1).notEqual(b.argMax(1)).any().dataSync()[0] === 1 || unit(a).sub(unit(b)).norm('euclidean', 1).max().dataSync()[0] > 1e-4;
    });
  } finally {
    tf.dispose([x, y]);
  }
  const big = cfg.norm === 'linf' ? 1 : Math.sqrt(d);
  const rows = correct.slice(0, LARGE_EPS_POINTS);
  const steps = 40;
  const r = await o.attackRows(f, p, rows, big, cfg.norm, { attack: 'pgd', steps, restarts: 1, stepSize: 2.5 / steps, randomStart: true }, { batch: cfg.batch, seed: o.seed, tick: o.tick });
  return { zeroGradient, vanishingGradient, checked: m, randomized, largeEps: { eps: big, points: rows.length, robust: rows.length - r.broken.length } };
}

import * as tf from '@tensorflow/tfjs';
import { inBall } from '../../core/robust/ball';
import { ATTACK_INFO } from '../../core/robust/catalog';
import { clopperPearson } from '../../core/robust/ci';
import { redFlags } from '../../core/robust/flags';
import type { AttackTally, EpsResult, RobustReport } from '../../core/robust/report';
import { derive } from '../../core/rng';
import { epsList, type AttackSpec, type Norm, type RobustEvaluate } from '../../core/spec/robust-types';
import { diagnose } from './diagnostics';
import { describeAttack, startAttack } from './index';
import { runAsync, type Logits } from './types';

/** Points to attack: n rows of prod(shape) values in [0, 1], their labels. */
export interface Points {
  x: Float32Array;
  y: Int32Array;
  shape: number[];
  n: number;
}

export interface EvaluateOptions {
  seed: number;
  /** How raw inputs map to [0, 1], for the report. */
  space: string;
  /** Awaited at every safe point of every attack (heartbeat, stop requests). */
  tick?: () => Promise<void>;
  /** Called as each eps is done, ascending. */
  onEps?: (r: EpsResult) => void | Promise<void>;
}

const rowsOf = (p: Points, rows: number[]) => {
  const d = p.x.length / Math.max(1, p.n);
  const x = new Float32Array(rows.length * d);
  rows.forEach((r, i) => x.set(p.x.subarray(r * d, (r + 1) * d), i * d));
  return { x, y: Int32Array.from(rows, (r) => p.y[r]), shape: p.shape, n: rows.length };
};

/** The predicted class of each row, `batch` rows at a time. */
export function predict(f: Logits, x: Float32Array, n: number, shape: number[], batch: number): Int32Array {
  const d = x.length / Math.max(1, n);
  const out = new Int32Array(n);
  for (let s = 0; s < n; s += batch) {
    const m = Math.min(batch, n - s);
    out.set(tf.tidy(() => f(tf.tensor(x.subarray(s * d, (s + m) * d), [m, ...shape])).argMax(1).dataSync()) as Int32Array, s);
  }
  return out;
}

/**
 * Runs one attack on the rows `rows` of `p`, `batch` at a time, and scores what it returns itself: an
 * example counts only if it is inside the ball and [0, 1] (checked exactly) and the model misclassifies it.
 */
export async function attackRows(f: Logits, p: Points, rows: number[], eps: number, norm: Norm, s: AttackSpec, o: { batch: number; seed: number; tick?: () => Promise<void> }) {
  const broken: number[] = [];
  let invalid = 0;
  for (let start = 0; start < rows.length; start += o.batch) {
    const part = rowsOf(p, rows.slice(start, start + o.batch));
    const [x, y] = [tf.tensor(part.x, [part.n, ...p.shape]), tf.tensor1d(part.y, 'int32')];
    let adv: tf.Tensor;
    try {
      adv = await runAsync(startAttack({ f, x, y, eps, norm, seed: derive(o.seed, start) }, s), o.tick);
    } finally {
      tf.dispose([x, y]);
    }
    const values = Float32Array.from(adv.dataSync() as Float32Array);
    adv.dispose();
    const pred = predict(f, values, part.n, p.shape, o.batch);
    const d = values.length / part.n;
    for (let i = 0; i < part.n; i++) {
      if (!inBall(part.x, values, i, d, eps, norm)) invalid++;
      else if (pred[i] !== part.y[i]) broken.push(rows[start + i]);
    }
  }
  return { broken, invalid };
}

/** Unique names for the ensemble's attacks: a repeated one gets -2, -3. */
const names = (attacks: AttackSpec[]) => attacks.map((a, i) => {
  const k = attacks.slice(0, i).filter((b) => b.attack === a.attack).length;
  return k ? `${a.attack}-${k + 1}` : a.attack;
});

/**
 * Robust accuracy of f on the points under the ensemble `cfg.attacks`, at each eps (ascending): each
 * attack runs on the points the ones before it left robust, so a point is robust only if every attack
 * fails on it (the per-point worst case, not an average over attacks). At each eps a point also counts
 * as broken if it was at a smaller one (that example lies in this ball too). With `cfg.checks`, the
 * gradient-masking diagnostics; red flags from both.
 */
export async function evaluateRobustness(f: Logits, p: Points, cfg: RobustEvaluate, o: EvaluateOptions): Promise<RobustReport> {
  const t0 = Date.now();
  const clean = predict(f, p.x, p.n, p.shape, cfg.batch);
  const correct = Array.from(clean.keys()).filter((i) => clean[i] === p.y[i]);
  const label = names(cfg.attacks);
  const perEps: EpsResult[] = [];
  const brokenBefore = new Uint8Array(p.n);
  for (const eps of [...new Set(epsList(cfg))].sort((a, b) => a - b)) {
    const robust = new Uint8Array(p.n);
    for (const i of correct) robust[i] = 1;
    const attacks: AttackTally[] = [];
    for (const [k, s] of cfg.attacks.entries()) {
      const rows = correct.filter((i) => robust[i]);
      const t = Date.now();
      const r = await attackRows(f, p, rows, eps, cfg.norm, s, { batch: cfg.batch, seed: derive(o.seed, 'attack', k, eps), tick: o.tick });
      for (const i of r.broken) robust[i] = 0;
      attacks.push({ name: label[k], settings: describeAttack(s), box: ATTACK_INFO[s.attack].box, ran: rows.length, broke: r.broken.length, invalid: r.invalid, ms: Date.now() - t });
    }
    const alone = correct.filter((i) => robust[i]).length;
    const kept = correct.filter((i) => robust[i] && !brokenBefore[i]).length;
    for (const i of correct) if (!robust[i]) brokenBefore[i] = 1;
    const result: EpsResult = { eps, robust: kept, robustAccuracy: kept / p.n, ci: clopperPearson(kept, p.n), alone, attacks };
    perEps.push(result);
    await o.onEps?.(result);
  }
  const diagnostics = cfg.checks ? await diagnose(f, p, correct, cfg, { seed: derive(o.seed, 'checks'), tick: o.tick, attackRows }) : undefined;
  const headline = epsList(cfg)[0];
  return {
    norm: cfg.norm, space: o.space, points: p.n, correct: correct.length, headline, perEps,
    ...(diagnostics ? { diagnostics } : {}), flags: redFlags(perEps, p.n, diagnostics), ms: Date.now() - t0,
  };
}

// Known answers: for a linear binary classifier the smallest linf perturbation that flips a point is
// |w.x + b| / ||w||_1 (l2: / ||w||_2), so FGSM, PGD and APGD flip a point exactly when eps exceeds it.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { apgd, fastAtExample, fgsm, pgd, runSync, tradesAdversary, type Attack, type Logits } from '../../src/engine/robust';
import { createRng } from '../../src/core/rng';
import { linearBinary, uniformPoints } from '../helpers/robust';
import { useCpu } from '../helpers/engine';

before(useCpu);

const [N, D] = [300, 20];

type Make = (f: Logits, x: tf.Tensor, y: tf.Tensor, eps: number) => Attack;

const CASES: [string, 'linf' | 'l2', Make][] = [
  ['fgsm', 'linf', (f, x, y, eps) => pgd(f, x, y, fgsm(eps))],
  ['pgd linf, random start', 'linf', (f, x, y, eps) => pgd(f, x, y, { eps, alpha: (2.5 * eps) / 10, steps: 10, restarts: 1, norm: 'linf', randomStart: true }, 3)],
  ['pgd l2, from x', 'l2', (f, x, y, eps) => pgd(f, x, y, { eps, alpha: (2.5 * eps) / 10, steps: 10, restarts: 1, norm: 'l2', randomStart: false })],
  ['apgd-ce linf', 'linf', (f, x, y, eps) => apgd(f, x, y, { eps, norm: 'linf', steps: 10, restarts: 1, loss: 'ce' }, 5)],
];

for (const [name, norm, make] of CASES) {
  test(`${name} flips a linear classifier's point exactly when eps > its margin (${N} random points)`, () => {
    const model = linearBinary(D, 11);
    const xs = uniformPoints(N, D, 12);
    const rng = createRng(13);
    // One eps per point, between half and 1.5 times its margin and at least 1e-4 away from it (float32
    // rounding is far smaller), at most 0.2 so that x +- eps stays inside [0, 1].
    const eps = Float64Array.from({ length: N }, (_, i) => {
      const m = model.margin(xs, i, norm);
      const e = Math.min(0.2, m * (0.5 + rng.next()));
      return Math.abs(e - m) > 1e-4 ? e : m + 2e-4;
    });
    const labels = Int32Array.from({ length: N }, (_, i) => (model.score(xs, i) > 0 ? 1 : 0));
    let flips = 0;
    for (let i = 0; i < N; i++) {
      const [x, y] = [tf.tensor(xs.subarray(i * D, (i + 1) * D), [1, D]), tf.tensor1d([labels[i]], 'int32')];
      const adv = runSync(make(model.f, x, y, eps[i]));
      const flipped = (model.score(adv.dataSync(), 0) > 0 ? 1 : 0) !== labels[i];
      const should = eps[i] > model.margin(xs, i, norm);
      assert.equal(flipped, should, `point ${i}: eps ${eps[i]}, margin ${model.margin(xs, i, norm)}`);
      flips += Number(flipped);
      tf.dispose([x, y, adv]);
    }
    assert.ok(flips > N / 5 && flips < (4 * N) / 5, `both outcomes are exercised (${flips} flips)`);
    model.dispose();
  });
}

test("Fast-AT's example (Wong et al.'s MNIST code): a step of alpha from an unclipped uniform start, clipped to the eps ball, then to [0, 1]", () => {
  // Logits [0, -sum(u)] and label 1: the cross-entropy gradient is +(1 - p1) everywhere, so every value
  // steps up by alpha from x + delta0, delta0 ~ U(-eps, eps) drawn from the rng in order.
  const [n, d, eps, alpha] = [40, 100, 0.3, 0.375];
  const f: Logits = (u) => tf.tidy(() => { const z = u.sum(1, true).neg(); return tf.concat([tf.zerosLike(z), z], 1); });
  const xs = Float32Array.from({ length: n * d }, (_, i) => [0, 0.5, 1][Math.floor(i / d) % 3]);
  const x = tf.tensor2d(xs, [n, d]);
  const y = tf.fill([n], 1, 'int32');
  const adv = fastAtExample(f, x, y, eps, alpha, createRng(21)).dataSync();
  const rng = createRng(21);
  let atEps = 0;
  let black = 0;
  for (let i = 0; i < n * d; i++) {
    const delta0 = Math.fround((2 * rng.next() - 1) * eps);
    const want = Math.min(1, xs[i] + Math.min(delta0 + alpha, eps));
    assert.ok(Math.abs(adv[i] - want) < 1e-6, `value ${i}: ${adv[i]}, expected ${want}`);
    assert.ok(Math.abs(adv[i] - xs[i]) <= eps + 1e-7 && adv[i] >= 0 && adv[i] <= 1);
    if (xs[i] === 0) [black, atEps] = [black + 1, atEps + (adv[i] === Math.fround(eps) ? 1 : 0)];
  }
  // A start clipped to [0, 1] first would move every black value by exactly eps; this start moves
  // alpha / (2 eps) = 62.5% of them by eps and the rest by U(alpha - eps, eps).
  assert.ok(Math.abs(atEps / black - alpha / (2 * eps)) < 0.05, `${atEps} of ${black} black values moved by eps`);
  tf.dispose([x, y]);
});

test("TRADES' inner maximisation takes its first gradient at x + 0.001 N(0, 1) unclipped, as the authors' trades.py", () => {
  // Logits [0, -sum(u)]: at black images p(x) is uniform and KL(p(x) || p(x')) grows with |sum(x' - x)|, so
  // the first step goes up on every pixel of a row whose noise sums above 0 and down (then clipped back to
  // 0) on a row whose noise sums below 0. A start clipped to [0, 1] first would sum above 0 on every row.
  const [n, d, eps, alpha] = [60, 50, 0.3, 0.1];
  const f: Logits = (u) => tf.tidy(() => { const z = u.sum(1, true).neg(); return tf.concat([tf.zerosLike(z), z], 1); });
  const x = tf.zeros([n, d]);
  const adv = tf.tidy(() => tradesAdversary(f, x, { eps, alpha, steps: 1 }, createRng(31)).dataSync());
  const rng = createRng(31);
  const noise = Float32Array.from({ length: n * d }, () => 0.001 * rng.normal());
  let up = 0;
  for (let r = 0; r < n; r++) {
    const row = noise.subarray(r * d, (r + 1) * d);
    const rises = row.reduce((a, b) => a + b, 0) > 0;
    up += Number(rises);
    for (let j = 0; j < d; j++) {
      const want = rises ? Math.min(eps, row[j] + alpha) : 0;
      assert.ok(Math.abs(adv[r * d + j] - want) < 1e-6, `row ${r}, pixel ${j}: ${adv[r * d + j]}, expected ${want}`);
    }
  }
  assert.ok(up > n / 4 && up < (3 * n) / 4, `${up} of ${n} rows went up`);
  x.dispose();
});

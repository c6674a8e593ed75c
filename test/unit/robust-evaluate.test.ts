// Robust evaluation (engine/robust/evaluate.ts): the per-point worst case over the ensemble, robust
// accuracy that never rises with eps and reaches 0 when eps allows any input, examples checked before they
// count, and the red flags a masked, randomised or buggy setup raises. A digits MLP trained here (cpu).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { AttackSpec, RobustEvaluate } from '../../src/core/spec/robust-types';
import { ATTACKS, type Logits } from '../../src/engine/robust';
import { networkLogits } from '../../src/engine/robust/classifier';
import { evaluateRobustness, type Points } from '../../src/engine/robust/evaluate';
import { digitsData, trainOnce, trainSpec, useCpu } from '../helpers/engine';

let f: Logits;
let pts: Points;
let release: () => void;

before(async () => {
  await useCpu();
  const { model, data } = await trainOnce(digitsData(), { type: 'mlp', layers: [32], activation: 'relu', dropout: 0 }, trainSpec({ epochs: 12, batchSize: 64, lr: 0.01 }), 2);
  // normalize 'scale' divides by the training maximum, 16: the network's inputs are the attack space itself.
  const [a, b] = [tf.ones([1, 8, 8, 1]), tf.zeros([1, 8, 8, 1])];
  f = networkLogits(model, a, b);
  const n = 120;
  pts = { x: data.test.x.slice(0, n * 64), y: Int32Array.from(data.test.y.subarray(0, n)), shape: [8, 8, 1], n };
  release = () => (tf.dispose([a, b]), model.dispose());
});

const cfg = (eps: number | number[], attacks: AttackSpec[], checks = false): RobustEvaluate => ({ eps, norm: 'linf', attacks, points: 1000, batch: 50, checks });
const FAST: AttackSpec[] = [{ attack: 'fgsm' }, { attack: 'apgd-ce', steps: 20, restarts: 1 }, { attack: 'apgd-dlr', steps: 20, restarts: 1 }, { attack: 'square', queries: 100, pInit: 0.8 }];

test('robust accuracy is the per-point worst case, never rises with eps, and is 0 at eps 1; nothing leaks', async () => {
  const tensors = tf.memory().numTensors;
  const epsList = [0.2, 0.02, 0.05, 0.1, 1];
  const r = await evaluateRobustness(f, pts, cfg(epsList, FAST, true), { seed: 1, space: 'test' });
  assert.equal(tf.memory().numTensors, tensors);
  assert.deepEqual(r.perEps.map((e) => e.eps), [0.02, 0.05, 0.1, 0.2, 1], 'ascending');
  assert.equal(r.headline, 0.2);
  assert.ok(r.correct / r.points > 0.9, `clean accuracy ${r.correct / r.points}`);
  for (const e of r.perEps) {
    // Each attack runs on what the ones before it left: what is left at the end is what none broke.
    let left = r.correct;
    for (const a of e.attacks) {
      assert.equal(a.ran, left);
      left -= a.broke;
      assert.equal(a.invalid, 0);
    }
    assert.equal(left, e.alone);
    assert.ok(e.robust <= e.alone);
    assert.ok(e.ci[0] <= e.robustAccuracy && e.robustAccuracy <= e.ci[1]);
  }
  r.perEps.slice(1).forEach((e, i) => assert.ok(e.robust <= r.perEps[i].robust, `eps ${e.eps}: ${e.robust} > ${r.perEps[i].robust}`));
  assert.ok(r.perEps[0].robust > 0 && r.perEps[0].robust < r.correct, 'eps 0.02 breaks some points, not all');
  assert.equal(r.perEps.at(-1)!.robust, 0, 'eps 1 allows any input');
  assert.deepEqual(r.flags.filter((x) => x.id !== 'black-box-beats-white-box'), [], JSON.stringify(r.flags));
  assert.deepEqual({ ...r.diagnostics, largeEps: undefined }, { zeroGradient: 0, vanishingGradient: 0, checked: 50, randomized: false, largeEps: undefined });
  assert.equal(r.diagnostics!.largeEps!.robust, 0);
});

test('the ensemble is at least as strong as its first attack alone, and as the strongest single one on these points', async () => {
  const eps = 0.05;
  const all = await evaluateRobustness(f, pts, cfg(eps, FAST), { seed: 1, space: 'test' });
  for (const a of FAST) {
    const alone = await evaluateRobustness(f, pts, cfg(eps, [a]), { seed: 1, space: 'test' });
    assert.ok(all.perEps[0].robust <= alone.perEps[0].robust, `${a.attack}: ensemble ${all.perEps[0].robust} vs alone ${alone.perEps[0].robust}`);
  }
});

test('red flags: shattered gradients (input quantisation) are caught by the zero-gradient check and by Square beating the gradient attacks', async () => {
  // round() has a zero gradient everywhere (Athalye et al.'s shattered gradients); the model still classifies.
  const quantised: Logits = (u) => tf.tidy(() => f(u.mul(4).round().div(4)));
  const r = await evaluateRobustness(quantised, pts, cfg(0.2, [{ attack: 'apgd-ce', steps: 10, restarts: 1 }, { attack: 'square', queries: 200, pInit: 0.8 }], true), { seed: 1, space: 'test' });
  const ids = r.flags.map((x) => x.id);
  assert.ok(ids.includes('zero-gradients') && ids.includes('black-box-beats-white-box'), ids.join(', '));
  const [ce, sq] = r.perEps[0].attacks;
  assert.ok(sq.broke > ce.broke, `square ${sq.broke} vs apgd-ce ${ce.broke}`);
});

test('red flags: a randomised forward pass is detected', async () => {
  let calls = 0;
  const noisy: Logits = (u) => tf.tidy(() => f(u).add(tf.randomNormal([u.shape[0], 10], 0, 0.5, 'float32', ++calls)));
  const r = await evaluateRobustness(noisy, { ...pts, n: 40, x: pts.x.subarray(0, 40 * 64), y: pts.y.subarray(0, 40) }, cfg(0.05, [{ attack: 'fgsm' }], true), { seed: 1, space: 'test' });
  assert.ok(r.flags.some((x) => x.id === 'randomized-forward'));
});

test('an example outside the ball is never scored: it is counted invalid and flagged', async () => {
  const real = ATTACKS.fgsm;
  // An "attack" that steps 2 eps: its examples would fool the model more, but they are not allowed.
  ATTACKS.fgsm = function* (t) {
    yield;
    return tf.tidy(() => t.x.add(2 * t.eps).clipByValue(0, 1));
  };
  try {
    const r = await evaluateRobustness(f, pts, cfg(0.1, [{ attack: 'fgsm' }]), { seed: 1, space: 'test' });
    const a = r.perEps[0].attacks[0];
    assert.equal(a.broke, 0);
    assert.ok(a.invalid > 0);
    assert.equal(r.perEps[0].robust, r.correct);
    assert.ok(r.flags.some((x) => x.id === 'invalid-examples'));
  } finally {
    ATTACKS.fgsm = real;
  }
});

test('teardown', () => release());

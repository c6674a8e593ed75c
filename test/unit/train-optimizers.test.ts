// Known answers for Hone's optimizers against PyTorch's update rules, as the torch.optim docs write them
// (SGD, Adam, AdamW, Adagrad, RMSprop pages, defaults: dampening 0, betas (0.9, 0.999), eps 1e-8; Adagrad
// eps 1e-10 with no lr decay; RMSprop alpha 0.99, eps 1e-8, not centered). First a few steps worked out by
// hand, then several steps on a vector against a plain-number transcription of those rules, and the
// weightDecay semantics: decoupled decay for adamw on the variables marked decayed, nothing elsewhere.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { OptimizerName } from '../../src/core/spec/types';
import { createOptimizer, type OptimizerConfig } from '../../src/engine/train/optimizers';
import { useCpu } from '../helpers/engine';

before(useCpu);

const ALL: OptimizerName[] = ['sgd', 'momentum', 'nesterov', 'adam', 'adamw', 'adagrad', 'rmsprop'];

/** Runs `name` from weights `w0` through `grads` (one array per step) at `lrs`; returns the weights after each step. */
function run(name: OptimizerName, w0: number[][], grads: number[][][], lrs: number[], c: Partial<OptimizerConfig> = {}): number[][][] {
  const vars = w0.map((w) => tf.tidy(() => tf.variable(tf.tensor1d(w))));
  const opt = createOptimizer(vars, { name, momentum: 0.9, weightDecay: 0, decayed: vars.map(() => true), ...c });
  const after: number[][][] = [];
  grads.forEach((g, t) => {
    const gs = g.map((x) => tf.tensor1d(x));
    opt.step(gs, lrs[t]);
    gs.forEach((x) => x.dispose());
    after.push(vars.map((v) => Array.from(v.dataSync())));
  });
  opt.dispose();
  vars.forEach((v) => v.dispose());
  return after;
}

/** Float32 arithmetic: equal to about 6 significant digits. */
function close(actual: number[], expected: number[], what: string, rel = 2e-6): void {
  assert.equal(actual.length, expected.length, what);
  actual.forEach((a, i) => assert.ok(Math.abs(a - expected[i]) <= rel * Math.max(1, Math.abs(expected[i])), `${what}[${i}]: ${a} vs ${expected[i]}`));
}

test('sgd: w -= lr g, at the lr given to each step', () => {
  const [s1, s2] = run('sgd', [[1, -2]], [[[0.5, -1]], [[0.5, -1]]], [0.1, 0.01]);
  close(s1[0], [0.95, -1.9], 'step 1');
  close(s2[0], [0.945, -1.89], 'step 2');
});

test('momentum (heavy ball, PyTorch form): b = mu b + g, w -= lr b', () => {
  // b1 = 1, w = -0.1; b2 = 0.9 + 1 = 1.9, w = -0.29; b3 = 1.71 - 1 = 0.71, w = -0.361.
  const steps = run('momentum', [[0]], [[[1]], [[1]], [[-1]]], [0.1, 0.1, 0.1]);
  close(steps.map((s) => s[0][0]), [-0.1, -0.29, -0.361], 'w');
});

test('nesterov (PyTorch form): b = mu b + g, w -= lr (g + mu b)', () => {
  // b1 = 1, w = -0.1 (1 + 0.9) = -0.19; b2 = 1.9, w = -0.19 - 0.1 (1 + 1.71) = -0.461.
  const steps = run('nesterov', [[0]], [[[1]], [[1]]], [0.1, 0.1]);
  close(steps.map((s) => s[0][0]), [-0.19, -0.461], 'w');
});

test('adam: the first step moves each weight by lr against the sign of its gradient (bias correction)', () => {
  // m^ = g, v^ = g^2 after one step, so the update is lr g / (|g| + eps).
  const [s1, s2] = run('adam', [[1, 1, 1]], [[[2, -0.5, 1e-3]], [[-2, -0.5, 1e-3]]], [0.1, 0.1]);
  close(s1[0], [1 - 0.1 * (2 / (2 + 1e-8)), 1.1, 1 - 0.1 * (1e-3 / (1e-3 + 1e-8))], 'step 1');
  // Step 2, first weight: m = 0.9 * 0.2 - 0.2 = -0.02 -> m^ = -0.02 / 0.19; v = 0.999 * 0.004 + 0.004 = 0.007996 -> v^ = 0.007996 / 0.001999 = 4.
  close(s2[0].slice(0, 1), [s1[0][0] - 0.1 * (-0.02 / 0.19) / (2 + 1e-8)], 'step 2');
});

test('adamw: w <- w (1 - lr wd) before the Adam step, only on the variables marked decayed', () => {
  const [kernel, bias] = run('adamw', [[1], [1]], [[[2], [2]]], [0.1], { weightDecay: 0.1, decayed: [true, false] })[0];
  close(kernel, [1 * (1 - 0.1 * 0.1) - 0.1 * (2 / (2 + 1e-8))], 'decayed');
  close(bias, [1 - 0.1 * (2 / (2 + 1e-8))], 'not decayed');
});

test('adagrad: acc += g^2, w -= lr g / (sqrt(acc) + 1e-10)', () => {
  const steps = run('adagrad', [[1]], [[[2]], [[2]]], [0.1, 0.1]);
  close(steps.map((s) => s[0][0]), [1 - 0.1, 1 - 0.1 - 0.1 * (2 / Math.sqrt(8))], 'w');
});

test('rmsprop: v = 0.99 v + 0.01 g^2, w -= lr g / (sqrt(v) + 1e-8)', () => {
  // v1 = 0.04: the first step is lr g / 0.2 = 10 lr g / |g|, large as in PyTorch.
  const steps = run('rmsprop', [[1]], [[[2]], [[2]]], [0.01, 0.01]);
  const v2 = 0.99 * 0.04 + 0.01 * 4;
  close(steps.map((s) => s[0][0]), [1 - 0.01 * 10, 1 - 0.1 - 0.01 * (2 / Math.sqrt(v2))], 'w', 1e-5);
});

/** PyTorch's rules on plain numbers, one weight at a time (torch.optim docs' pseudocode). */
function reference(name: OptimizerName, w0: number, gs: number[], lrs: number[], mu: number, wd: number): number[] {
  let w = w0;
  let b = 0;
  let m = 0;
  let v = 0;
  return gs.map((g, i) => {
    const lr = lrs[i];
    const t = i + 1;
    switch (name) {
      case 'sgd': w -= lr * g; break;
      case 'momentum': b = t === 1 ? g : mu * b + g; w -= lr * b; break;
      case 'nesterov': b = t === 1 ? g : mu * b + g; w -= lr * (g + mu * b); break;
      case 'adam':
      case 'adamw':
        if (name === 'adamw') w *= 1 - lr * wd;
        m = 0.9 * m + 0.1 * g;
        v = 0.999 * v + 0.001 * g * g;
        w -= (lr * (m / (1 - 0.9 ** t))) / (Math.sqrt(v / (1 - 0.999 ** t)) + 1e-8);
        break;
      case 'adagrad': v += g * g; w -= (lr * g) / (Math.sqrt(v) + 1e-10); break;
      case 'rmsprop': v = 0.99 * v + 0.01 * g * g; w -= (lr * g) / (Math.sqrt(v) + 1e-8); break;
    }
    return w;
  });
}

test('every optimizer follows the PyTorch rule over 6 steps with changing gradients and lr', () => {
  const w0 = [0.5, -1.5, 2];
  const grads = [[0.3, -0.2, 1], [0.1, 0.4, -2], [-0.5, 0.05, 0.5], [0.2, -0.3, 0.1], [0, 0.6, -0.7], [0.25, -0.1, 0]];
  const lrs = [0.05, 0.05, 0.04, 0.03, 0.02, 0.01];
  for (const name of ALL) {
    const steps = run(name, [w0], grads.map((g) => [g]), lrs, { momentum: 0.8, weightDecay: name === 'adamw' ? 0.2 : 0 });
    w0.forEach((w, j) => {
      const expected = reference(name, w, grads.map((g) => g[j]), lrs, 0.8, 0.2);
      close(steps.map((s) => s[0][j]), expected, `${name} weight ${j}`, 1e-5);
    });
  }
});

test('weightDecay is decoupled decay for adamw alone: with zero gradients only adamw moves the weights', () => {
  for (const name of ALL) {
    const [s1, s2] = run(name, [[1, -3]], [[[0, 0]], [[0, 0]]], [0.1, 0.1], { weightDecay: 0.5 });
    if (name === 'adamw') {
      close(s1[0], [0.95, -2.85], `${name} step 1`);
      close(s2[0], [0.9025, -2.7075], `${name} step 2`);
    } else {
      assert.deepEqual([s1[0], s2[0]], [[1, -3], [1, -3]], `${name} ignores weightDecay`);
    }
  }
  // And plain adam with weightDecay set behaves as adam without it.
  const g = [[[0.3, -1]], [[0.2, 0.5]]];
  assert.deepEqual(run('adam', [[1, 1]], g, [0.1, 0.1], { weightDecay: 0.5 }), run('adam', [[1, 1]], g, [0.1, 0.1], { weightDecay: 0 }));
});

test('each step and dispose leave no tensors behind', () => {
  for (const name of ALL) {
    const before = tf.memory().numTensors;
    const vars = tf.tidy(() => [tf.variable(tf.ones([3])), tf.variable(tf.zeros([2]))]);
    const opt = createOptimizer(vars, { name, momentum: 0.9, weightDecay: 0.1, decayed: [true, false] });
    const allocated = tf.memory().numTensors;
    const grads = [tf.ones([3]), tf.ones([2])];
    for (let i = 0; i < 3; i++) opt.step(grads, 0.1);
    assert.equal(tf.memory().numTensors, allocated + 2, `${name}: state allocated up front, nothing per step`);
    grads.forEach((x) => x.dispose());
    opt.dispose();
    vars.forEach((v) => v.dispose());
    assert.equal(tf.memory().numTensors, before, `${name}: dispose frees its state`);
  }
});

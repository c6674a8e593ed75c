// Known answers for global-norm gradient clipping (Pascanu et al. 2013, arXiv:1211.5063; PyTorch's
// clip_grad_norm_): the norm is taken over all tensors together; above maxNorm every tensor is scaled by the
// same factor maxNorm / norm, so the norm becomes maxNorm and the direction is kept; at or below it nothing changes.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { clipByGlobalNorm } from '../../src/engine/train/clip';
import { useCpu } from '../helpers/engine';

before(useCpu);

/** Clips plain arrays and returns plain arrays, disposing every tensor. */
function clip(grads: number[][], maxNorm: number): number[][] {
  const ts = grads.map((g) => tf.tensor1d(g));
  const out = clipByGlobalNorm(ts, maxNorm);
  const values = out.map((t) => Array.from(t.dataSync()));
  [...ts, ...out].forEach((t) => t.dispose());
  return values;
}
const norm = (gs: number[][]) => Math.sqrt(gs.flat().reduce((s, v) => s + v * v, 0));
const close = (a: number[], b: number[], what: string) => a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-6, `${what}[${i}]: ${v} vs ${b[i]}`));

test('above maxNorm: the global norm (over all tensors) becomes maxNorm, every tensor scaled by maxNorm / norm', () => {
  // Global norm of [3, 4] and [12] is 13 (each tensor alone would be under 13); clipped to 6.5 it halves.
  const out = clip([[3, 4], [12]], 6.5);
  close(out[0], [1.5, 2], 'first');
  close(out[1], [6], 'second');
  assert.ok(Math.abs(norm(out) - 6.5) < 1e-5, `norm after: ${norm(out)}`);
});

test('the direction is kept: the clipped gradient is a positive multiple of the original', () => {
  const g = [[0.3, -2.5, 7], [-1, 0], [4.2]];
  const out = clip(g, 1);
  assert.ok(Math.abs(norm(out) - 1) < 1e-5, `norm after: ${norm(out)}`);
  const k = norm(out) / norm(g);
  g.forEach((t, i) => close(out[i], t.map((v) => v * k), `tensor ${i}`));
});

test('at or below maxNorm the gradients are unchanged, and zero gradients stay zero (no NaN)', () => {
  const g = [[0.3, -0.4], [0]];
  assert.deepEqual(clip(g, 1), [[Math.fround(0.3), Math.fround(-0.4)], [0]]);
  assert.deepEqual(clip([[3, 4]], 5), [[3, 4]], 'exactly at the norm');
  assert.deepEqual(clip([[0, 0], [0]], 1), [[0, 0], [0]]);
});

test('leaves no tensors behind but its results', () => {
  const ts = [tf.tensor1d([30, 40]), tf.tensor1d([1])];
  const before = tf.memory().numTensors;
  const out = clipByGlobalNorm(ts, 1);
  assert.equal(tf.memory().numTensors, before + ts.length);
  [...ts, ...out].forEach((t) => t.dispose());
});

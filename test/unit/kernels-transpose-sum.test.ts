// Hone's wasm Transpose (tiled copies for batches of matrices) and Sum (over leading axes, the bias
// gradients) against the cpu backend on random shapes, plus the permutation test that picks the path.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { loadWasmAndCpu, on, sameOnBoth, seeded, uniform } from '../helpers/backends';
import { swappedGroups } from '../../src/engine/kernels/transpose';
import { SIMD_TRANSPOSE } from '../../src/engine/kernels/simd-transpose';
import { SIMD_COLUMN_SUMS } from '../../src/engine/kernels/simd-column-sums';
import { assemble } from '../../src/engine/kernels/wasm-asm';

before(loadWasmAndCpu);

test('swappedGroups recognises prefix + two swapped groups + suffix, and nothing else', () => {
  assert.deepEqual(swappedGroups([3, 4], [1, 0]), { P: 1, A: 3, B: 4, Q: 1 });
  assert.deepEqual(swappedGroups([2, 3, 4], [0, 2, 1]), { P: 2, A: 3, B: 4, Q: 1 });
  assert.deepEqual(swappedGroups([2, 3, 4, 5], [1, 2, 0, 3]), { P: 1, A: 2, B: 12, Q: 5 });
  assert.deepEqual(swappedGroups([2, 3, 4, 5], [2, 3, 0, 1]), { P: 1, A: 6, B: 20, Q: 1 });
  assert.deepEqual(swappedGroups([2, 3, 4, 5], [0, 1, 3, 2]), { P: 6, A: 4, B: 5, Q: 1 });
  assert.equal(swappedGroups([2, 3, 4, 5], [3, 1, 2, 0]), undefined, 'three groups move');
  assert.equal(swappedGroups([2, 3, 4], [2, 1, 0]), undefined, 'a reversal is three groups');
  assert.equal(swappedGroups([2, 3], [0, 1]), undefined, 'identity');
});

test('the SIMD transpose and column-sum modules validate for both builds\' memories (the tests below run them and their JavaScript edges)', () => {
  for (const f of [SIMD_TRANSPOSE, SIMD_COLUMN_SUMS]) {
    assert.ok(WebAssembly.validate(assemble(f, false)));
    assert.ok(WebAssembly.validate(assemble(f, true)));
  }
});

test('Transpose equals cpu on random shapes and permutations (float32, int32, 1- to 5-D)', async () => {
  for (let seed = 1; seed <= 60; seed++) {
    const rng = seeded(seed);
    const rank = 1 + rng.int(5);
    const shape = Array.from({ length: rank }, () => 1 + rng.int(seed % 4 === 0 ? 70 : 6));
    const perm = shape.map((_, i) => i);
    for (let i = rank - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [perm[i], perm[j]] = [perm[j], perm[i]];
    }
    const xv = uniform(rng, shape);
    const dtype = seed % 5 === 0 ? 'int32' : 'float32';
    await sameOnBoth(`x ${shape} perm ${perm} ${dtype}`, () => tf.transpose(tf.tensor(xv.map((v) => (dtype === 'int32' ? Math.round(v * 100) : v)), shape, dtype), perm).toFloat(), 0);
  }
});

test('Transpose of the matrices backpropagation meets (256 x 784, batched 3-D) equals cpu exactly', async () => {
  const rng = seeded(7);
  for (const [shape, perm] of [[[256, 784], [1, 0]], [[3, 33, 65], [0, 2, 1]]] as [number[], number[]][]) {
    const xv = uniform(rng, shape);
    await sameOnBoth(`x ${shape} perm ${perm}`, () => tf.transpose(tf.tensor(xv, shape), perm), 0);
  }
});

test('Sum over leading axes equals cpu exactly (keepDims too); other reductions equal it closely', async () => {
  for (let seed = 1; seed <= 40; seed++) {
    const rng = seeded(100 + seed);
    const rank = 1 + rng.int(4);
    const shape = Array.from({ length: rank }, () => 1 + rng.int(seed % 3 === 0 ? 300 : 9));
    const k = 1 + rng.int(rank);
    const leading = [...Array(k).keys()];
    const xv = uniform(rng, shape);
    const keepDims = seed % 2 === 0;
    await sameOnBoth(`sum of ${shape} over ${leading} keepDims ${keepDims}`, () => tf.sum(tf.tensor(xv, shape), leading, keepDims), 0);
    const other = [rank - 1];
    await sameOnBoth(`sum of ${shape} over ${other}`, () => tf.sum(tf.tensor(xv, shape), other), 1e-4);
  }
});

test('bias gradients of a conv and a dense layer (dy summed over batch and space) equal cpu exactly', async () => {
  const rng = seeded(3);
  // 6 channels: 4 summed in SIMD and 2 in JavaScript; 16 and 512 columns: all in SIMD. 50,176 rows make
  // float32 accumulation differ from float64 in the last bits: equality needs the float64 sums.
  for (const shape of [[64, 28, 28, 6], [64, 14, 14, 16], [256, 512]]) {
    const dy = uniform(rng, shape);
    const axes = shape.slice(0, -1).map((_, i) => i);
    const [w, c] = [await on('wasm', () => tf.sum(tf.tensor(dy, shape), axes)), await on('cpu', () => tf.sum(tf.tensor(dy, shape), axes))];
    assert.deepEqual(Array.from(w[0]), Array.from(c[0]), `dy ${shape}`);
  }
});

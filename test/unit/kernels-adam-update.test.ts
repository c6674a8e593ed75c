// Hone's fused Adam step on wasm (kernels/adam-update.ts) against the op-by-op optimizer on the cpu
// backend, bit for bit: several steps of Adam and AdamW (decay on some variables only) over variables of
// odd sizes, with gradients of very different scales, zeros and a changing learning rate.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { seeded, uniform } from '../helpers/backends';
import { chooseBackend } from '../../src/engine/backend';
import { ADAM_UPDATE } from '../../src/engine/kernels';
import { createOptimizer } from '../../src/engine/train/optimizers';
import { SIMD_ADAM } from '../../src/engine/kernels/simd-adam';
import { assemble } from '../../src/engine/kernels/wasm-asm';
import type { OptimizerName } from '../../src/core/spec/types';

before(() => chooseBackend('wasm', [], { threads: 1 }));
after(() => chooseBackend('wasm', [], { threads: 1 }));

const SHAPES = [[7], [33, 5], [3, 3, 2, 9], [1]];

/** Weights, first and second moments after `steps` steps of `name` on `backend`, as numbers. */
async function train(backend: 'wasm' | 'cpu', name: OptimizerName, steps: number, seed: number): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const rng = seeded(seed);
  const vars = SHAPES.map((s) => tf.variable(tf.tensor(uniform(rng, s), s)));
  const opt = createOptimizer(vars, { name, momentum: 0, weightDecay: 0.05, decayed: vars.map((_, i) => i % 2 === 0) });
  for (let t = 0; t < steps; t++) {
    const scale = 10 ** (rng.int(7) - 3);
    const grads = SHAPES.map((s, i) => (t === 2 && i === 0 ? tf.zeros(s) : tf.tensor(uniform(rng, s).map((g) => g * scale), s)));
    opt.step(grads, 1e-3 * (1 + t));
    tf.dispose(grads);
  }
  const values = [...vars, ...opt.state().slots].map((v) => v.dataSync() as Float32Array);
  opt.dispose();
  tf.dispose(vars);
  return values;
}

test('the SIMD module assembles and validates, for the single-threaded build\'s memory and the threaded build\'s shared one', () => {
  assert.ok(WebAssembly.validate(assemble(SIMD_ADAM, false)));
  assert.ok(WebAssembly.validate(assemble(SIMD_ADAM, true)));
});

for (const threads of [1, 2]) {
  for (const name of ['adam', 'adamw'] as const) {
    test(`${name}, wasm on ${threads} thread(s): the fused step equals the op-by-op step on cpu bit for bit (weights and both moments, 6 steps)`, async () => {
      await chooseBackend('wasm', [], { threads });
      assert.ok(tf.getKernel(ADAM_UPDATE, 'wasm'), 'the fused kernel is registered for wasm');
      assert.equal(tf.getKernel(ADAM_UPDATE, 'cpu'), undefined, 'cpu runs the ops');
      for (const seed of [1, 2, 3]) {
        const [wasm, cpu] = [await train('wasm', name, 6, seed), await train('cpu', name, 6, seed)];
        assert.equal(wasm.length, cpu.length);
        wasm.forEach((v, i) => assert.deepEqual(Array.from(v), Array.from(cpu[i]), `seed ${seed}, tensor ${i}`));
      }
    });
  }
}

test('the fused step moves the weights (a test of equality alone would pass on a step that did nothing) and leaks nothing', async () => {
  await tf.setBackend('wasm');
  const w = tf.variable(tf.tensor1d([1, -1, 0.5]));
  const opt = createOptimizer([w], { name: 'adam', momentum: 0, weightDecay: 0, decayed: [false] });
  const g = tf.tensor1d([2, -3, 0]);
  const before = tf.memory().numTensors;
  opt.step([g], 0.1);
  assert.equal(tf.memory().numTensors, before, 'the step leaves no tensors behind (the old values of w, m and s are freed)');
  // First Adam step: m / c1 = g, s / c2 = g^2, so w -= lr g / (|g| + eps) = lr sign(g) (0 where g = 0).
  const got = Array.from(w.dataSync());
  [0.9, -0.9, 0.5].forEach((e, i) => assert.ok(Math.abs(got[i] - e) < 1e-6, `w[${i}] = ${got[i]}, expected ${e}`));
  opt.dispose();
  tf.dispose([w, g]);
});

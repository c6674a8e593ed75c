// The gradients conv-net training takes on wasm, through the ops that call the kernels (Hone's conv and
// max-pool gradients, TF.js's AvgPoolGrad, batch norm and dropout from ops), equal the cpu backend's on
// random shapes, strides and paddings, and a LeNet-5 takes the same training step on both.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { loadWasmAndCpu, on, maxAbsDiff, sameOnBoth, seeded, uniform } from '../helpers/backends';
import { requiredKernels } from '../../src/engine/backend';
import { buildModel, hiddenLayers } from '../../src/engine/models';
import { forward } from '../../src/engine/models/forward';
import { dataLoss } from '../../src/engine/train/objective';

before(loadWasmAndCpu);

const CASES = 25;

/** Random NHWC input shape and a window that fits it. */
function randomWindow(seed: number) {
  const rng = seeded(seed);
  const int = (lo: number, hi: number) => lo + rng.int(hi - lo + 1);
  const shape = [int(1, 3), int(3, 12), int(3, 12), int(1, 4)];
  return { rng, int, shape, size: int(1, 3), stride: int(1, 3), pad: rng.next() < 0.5 ? ('same' as const) : ('valid' as const) };
}

test('conv2d input and filter gradients match cpu on random cases', async () => {
  for (let seed = 1; seed <= CASES; seed++) {
    const { rng, int, shape, size, stride, pad } = randomWindow(seed);
    const filter = [size, int(1, 3), shape[3], int(1, 4)];
    const [xv, fv] = [uniform(rng, shape), uniform(rng, filter)];
    const grads = () => tf.grads((x: tf.Tensor, f: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, stride, pad).square().sum())([tf.tensor(xv, shape), tf.tensor(fv, filter)]);
    await sameOnBoth(`conv2d x ${shape} filter ${filter} stride ${stride} ${pad}`, grads);
  }
});

test('max and average pooling gradients match cpu on random cases', async () => {
  for (let seed = 1; seed <= CASES; seed++) {
    const { rng, shape, size, stride, pad } = randomWindow(100 + seed);
    const xv = uniform(rng, shape);
    const wv = uniform(rng, [shape[3]]);
    for (const pool of [tf.maxPool, tf.avgPool]) {
      const grad = () => tf.grad((x: tf.Tensor) => pool(x as tf.Tensor4D, size, stride, pad).mul(tf.tensor1d(wv)).sum())(tf.tensor(xv, shape));
      await sameOnBoth(`${pool === tf.maxPool ? 'maxPool' : 'avgPool'} x ${shape} size ${size} stride ${stride} ${pad}`, grad);
    }
  }
});

test('a LeNet-5 with batch norm and dropout takes the same loss and gradients on wasm as on cpu', async () => {
  const spec = { type: 'cnn' as const, filters: [6, 16], kernelSize: 5, pool: 2, dense: [120, 84], activation: 'relu' as const, dropout: 0.5, batchNorm: true };
  assert.deepEqual(requiredKernels(hiddenLayers(spec, 0)), ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'MaxPoolGrad']);
  for (const k of requiredKernels(hiddenLayers(spec, 0))) assert.ok(tf.getKernel(k, 'wasm'), `wasm lacks ${k}`);
  const rng = seeded(3);
  const xv = uniform(rng, [8, 28, 28, 1]);
  const y = tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7]);
  const step = (backend: 'wasm' | 'cpu') => on(backend, () => {
    const model = buildModel(spec, { inputShape: [28, 28, 1], task: 'classification', classes: 10 }, 11, 0);
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { value, grads } = tf.variableGrads(() => dataLoss('classification', forward(model, tf.tensor(xv, [8, 28, 28, 1]), true), y, 10), vars);
    const out = [value, ...vars.map((v) => grads[v.name])];
    model.dispose();
    return out;
  });
  const [w, c] = [await step('wasm'), await step('cpu')];
  assert.equal(w.length, c.length);
  w.forEach((v, i) => {
    const scale = Math.max(1, ...c[i].map(Math.abs));
    assert.ok(maxAbsDiff(v, c[i]) <= 1e-4 * scale, `output ${i} (${i ? 'gradient' : 'loss'}) differs by ${maxAbsDiff(v, c[i])}, largest value ${scale}`);
  });
});

// Property test of Hone's wasm Conv2DBackpropFilter kernel (the wasm backend has none): on random
// shapes, strides and paddings it gives the cpu backend's numbers, and it frees what it allocates.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { loadWasmAndCpu, randomConvCases, sameOnBoth, seeded, uniform, type ConvCase } from '../helpers/backends';

before(loadWasmAndCpu);

const backpropFilter = (c: ConvCase, x: tf.Tensor, dy: tf.Tensor): tf.Tensor =>
  tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: c.dimRoundingMode, filterShape: c.filter } as unknown as tf.NamedAttrMap) as tf.Tensor;

test('Conv2DBackpropFilter on wasm equals cpu on 80 random cases (max abs diff <= 1e-4)', async () => {
  for (const [i, c] of randomConvCases(80).entries()) {
    const rng = seeded(1000 + i);
    const [xv, dyv] = [uniform(rng, c.x), uniform(rng, c.out)];
    await sameOnBoth(`case ${JSON.stringify(c)}`, () => backpropFilter(c, tf.tensor(xv, c.x), tf.tensor(dyv, c.out)));
  }
});

test('the kernel frees every intermediate it allocates', async () => {
  await tf.setBackend('wasm');
  const backend = tf.backend();
  const c = randomConvCases(1)[0];
  const [x, dy] = [tf.randomUniform(c.x), tf.randomUniform(c.out)];
  const before = backend.numDataIds();
  const out = backpropFilter(c, x, dy);
  assert.deepEqual(out.shape, c.filter);
  assert.equal(backend.numDataIds(), before + 1);
  tf.dispose([x, dy, out]);
  await tf.setBackend('cpu');
});

// Property test of Hone's wasm Conv2DBackpropInput kernel (a forward convolution of the dilated dy with
// the flipped filter, replacing the backend's slow loop) against the cpu backend.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { loadWasmAndCpu, randomConvCases, sameOnBoth, seeded, uniform, type ConvCase } from '../helpers/backends';

before(loadWasmAndCpu);

const backpropInput = (c: ConvCase, dy: tf.Tensor, filter: tf.Tensor): tf.Tensor =>
  tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: c.dimRoundingMode, inputShape: c.x } as unknown as tf.NamedAttrMap) as tf.Tensor;

test('Conv2DBackpropInput on wasm equals cpu on 80 random cases (max abs diff <= 1e-4)', async () => {
  for (const [i, c] of randomConvCases(80).entries()) {
    const rng = seeded(2000 + i);
    const [dyv, fv] = [uniform(rng, c.out), uniform(rng, c.filter)];
    await sameOnBoth(`case ${JSON.stringify(c)}`, () => backpropInput(c, tf.tensor(dyv, c.out), tf.tensor(fv, c.filter)));
  }
});

test('the kernel frees every intermediate it allocates, strided or not', async () => {
  await tf.setBackend('wasm');
  const backend = tf.backend();
  for (const strides of [[1, 1], [2, 3]] as const) {
    const c: ConvCase = { x: [2, 9, 9, 3], filter: [3, 3, 3, 4], strides: [...strides], pad: 'same', out: [2, Math.ceil(9 / strides[0]), Math.ceil(9 / strides[1]), 4] };
    const [dy, filter] = [tf.randomUniform(c.out), tf.randomUniform(c.filter)];
    const before = backend.numDataIds();
    const dx = backpropInput(c, dy, filter);
    assert.deepEqual(dx.shape, c.x);
    assert.equal(backend.numDataIds(), before + 1);
    tf.dispose([dy, filter, dx]);
  }
  await tf.setBackend('cpu');
});

// Property test of Hone's wasm MaxPoolGrad kernel against the cpu backend: random shapes, window sizes,
// strides and paddings, with negative inputs and ties (TF.js 4.22's own wasm kernel fails both).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { backend_util } from '@tensorflow/tfjs';
import { loadWasmAndCpu, sameOnBoth, seeded, uniform } from '../helpers/backends';

before(loadWasmAndCpu);

function maxPoolGrad(x: tf.Tensor4D, dy: tf.Tensor, filterSize: [number, number], strides: [number, number], pad: 'same' | 'valid' | number): tf.Tensor {
  const output = tf.maxPool(x, filterSize, strides, pad);
  return tf.engine().runKernel('MaxPoolGrad', { dy, input: x, output }, { filterSize, strides, pad } as unknown as tf.NamedAttrMap) as tf.Tensor;
}

test('MaxPoolGrad on wasm equals cpu on 60 random cases, ties and negative windows included', async () => {
  let n = 0;
  for (let seed = 1; n < 60; seed++) {
    const rng = seeded(seed);
    const int = (lo: number, hi: number) => lo + rng.int(hi - lo + 1);
    const shape = [int(1, 3), int(1, 10), int(1, 10), int(1, 4)] as [number, number, number, number];
    const pad = (['same', 'valid', int(0, 1)] as const)[rng.int(3)];
    // TF.js sizes numeric padding from the window's height and stride only, so those cases stay square.
    const [fh, sh] = [int(1, 3), int(1, 3)];
    const filterSize: [number, number] = [fh, typeof pad === 'number' ? fh : int(1, 3)];
    const strides: [number, number] = [sh, typeof pad === 'number' ? sh : int(1, 3)];
    const info = backend_util.computePool2DInfo(shape, filterSize, strides, 1, pad);
    if (info.outHeight < 1 || info.outWidth < 1) continue;
    // Every other case rounds to a few levels, as after ReLU, so windows hold ties.
    const levels = seed % 2 ? 0 : 3;
    const xv = uniform(rng, shape).map((v) => (levels ? Math.round(v * levels) / levels : v));
    const dyv = uniform(rng, info.outShape);
    await sameOnBoth(`x ${shape} window ${filterSize} strides ${strides} pad ${pad}`, () => maxPoolGrad(tf.tensor4d(xv, shape), tf.tensor(dyv, info.outShape), filterSize, strides, pad));
    n++;
  }
});

test('a window of negative values passes its gradient to its maximum (known answer)', async () => {
  await tf.setBackend('wasm');
  const x = tf.tensor4d([-3, -1, -2, -4, -0.5, -7, -6, -5], [1, 2, 4, 1]);
  const dx = maxPoolGrad(x, tf.tensor4d([10, 20], [1, 1, 2, 1]), [2, 2], [2, 2], 'valid');
  // Windows {-3, -1, -0.5, -7} and {-2, -4, -6, -5}: maxima -0.5 (flat index 4) and -2 (index 2).
  assert.deepEqual(Array.from(dx.dataSync()), [0, 0, 20, 0, 10, 0, 0, 0]);
  tf.dispose([x, dx]);
  await tf.setBackend('cpu');
});

test('the kernel frees every intermediate it allocates', async () => {
  await tf.setBackend('wasm');
  const backend = tf.backend();
  const x = tf.randomUniform([2, 6, 6, 3], -1, 1) as tf.Tensor4D;
  const output = tf.maxPool(x, 2, 2, 'valid');
  const dy = tf.onesLike(output);
  const before = backend.numDataIds();
  const dx = tf.engine().runKernel('MaxPoolGrad', { dy, input: x, output }, { filterSize: 2, strides: 2, pad: 'valid' }) as tf.Tensor;
  assert.deepEqual(dx.shape, [2, 6, 6, 3]);
  assert.equal(backend.numDataIds(), before + 1);
  tf.dispose([x, output, dy, dx]);
  await tf.setBackend('cpu');
});

test('the 2x2 stride-2 path (LeNet\'s pooling) equals cpu: ReLU-like ties, odd sides, batches of channels', async () => {
  for (const [shape, pad] of [[[64, 28, 28, 6], 'valid'], [[8, 14, 14, 16], 'same'], [[3, 7, 9, 5], 'valid'], [[2, 7, 7, 3], 'same'], [[1, 1, 5, 2], 'valid']] as [[number, number, number, number], 'same' | 'valid'][]) {
    const rng = seeded(shape[1] * 31 + shape[2]);
    // Half the inputs are zeros (as after ReLU), so many windows tie.
    const xv = uniform(rng, shape).map((v) => (v < 0 ? 0 : v));
    const info = backend_util.computePool2DInfo(shape, [2, 2], [2, 2], 1, pad);
    if (info.outHeight < 1 || info.outWidth < 1) continue;
    const dyv = uniform(rng, info.outShape);
    await sameOnBoth(`x ${shape} 2x2/2 ${pad}`, () => maxPoolGrad(tf.tensor4d(xv, shape), tf.tensor(dyv, info.outShape), [2, 2], [2, 2], pad), 0);
  }
});

test('the 2x2 path skips NaN, passes nothing from a window of -Infinity, and gives ties to the first (known answer)', async () => {
  await tf.setBackend('wasm');
  // Windows {NaN, 1, 2, NaN}, {-Inf x 4}, {0, 0, 0, 0}: maxima 2 (flat index 6), none, the first 0 (index 4).
  const x = tf.tensor4d([NaN, 1, -Infinity, -Infinity, 0, 0, 2, NaN, -Infinity, -Infinity, 0, 0], [1, 2, 6, 1]);
  const dx = maxPoolGrad(x, tf.tensor4d([10, 20, 30], [1, 1, 3, 1]), [2, 2], [2, 2], 'valid');
  assert.deepEqual(Array.from(dx.dataSync()), [0, 0, 0, 0, 30, 0, 10, 0, 0, 0, 0, 0]);
  tf.dispose([x, dx]);
  await tf.setBackend('cpu');
});

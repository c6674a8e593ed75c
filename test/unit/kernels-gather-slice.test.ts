// Hone's wasm GatherV2 (whole rows) and Slice (contiguous blocks) copy straight between views of the
// heap; every other case goes to the backend's own kernel. Both paths equal cpu.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { loadWasmAndCpu, sameOnBoth, seeded, uniform } from '../helpers/backends';

before(loadWasmAndCpu);

test('GatherV2 equals cpu for rows (float32 and int32, repeated indices) and along other axes', async () => {
  for (let seed = 1; seed <= 30; seed++) {
    const rng = seeded(seed);
    const int = (lo: number, hi: number) => lo + rng.int(hi - lo + 1);
    const shape = [int(1, 20), int(1, 6), int(1, 5)].slice(0, int(1, 3));
    const axis = rng.int(shape.length);
    const indices = Array.from({ length: int(1, 12) }, () => rng.int(shape[axis]));
    const xv = uniform(rng, shape);
    const dtype = seed % 3 === 0 ? 'int32' : 'float32';
    await sameOnBoth(`x ${shape} axis ${axis} indices ${indices} ${dtype}`, () =>
      tf.gather(tf.tensor(xv.map((v) => (dtype === 'int32' ? Math.round(v * 100) : v)), shape, dtype), tf.tensor1d(indices, 'int32'), axis).toFloat());
  }
});

test('GatherV2 of rows rejects an index out of range, and leaks nothing doing so', async () => {
  await tf.setBackend('wasm');
  const backend = tf.backend();
  const x = tf.tensor2d([[1, 2], [3, 4]]);
  const idx = tf.tensor1d([1, 2], 'int32');
  const before = backend.numDataIds();
  assert.throws(() => tf.gather(x, idx), /index value 2 is not in \[0, 1\]/);
  assert.equal(backend.numDataIds(), before);
  tf.dispose([x, idx]);
  await tf.setBackend('cpu');
});

test('Slice equals cpu for contiguous blocks of rows and for strided windows', async () => {
  for (let seed = 1; seed <= 30; seed++) {
    const rng = seeded(50 + seed);
    const int = (lo: number, hi: number) => lo + rng.int(hi - lo + 1);
    const shape = [int(1, 30), int(1, 6), int(1, 4)];
    const rowsOnly = seed % 2 === 0;
    const begin = shape.map((d, i) => (rowsOnly && i > 0 ? 0 : rng.int(d)));
    const size = shape.map((d, i) => (rowsOnly && i > 0 ? d : int(1, d - begin[i])));
    const xv = uniform(rng, shape);
    await sameOnBoth(`x ${shape} begin ${begin} size ${size}`, () => tf.slice(tf.tensor(xv, shape), begin, size));
  }
});

// Hone's wasm BatchMatMul transposes its operands explicitly before the backend's fast matmul; on
// random shapes, batch broadcasting and every transpose combination it equals cpu.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { loadWasmAndCpu, sameOnBoth, seeded, uniform } from '../helpers/backends';

before(loadWasmAndCpu);

/** Shapes of a and b for a product of m x k by k x n, with batch dims and the given transposes. */
function shapes(rng: ReturnType<typeof seeded>, ta: boolean, tb: boolean) {
  const int = (lo: number, hi: number) => lo + rng.int(hi - lo + 1);
  const [m, k, n] = [int(1, 40), int(1, 70), int(1, 40)];
  const batch = [[], [int(1, 3)], [2, 3]][rng.int(3)];
  const bBatch = batch.length && rng.next() < 0.3 ? batch.map(() => 1) : batch; // broadcast b's batch
  return { a: [...batch, ...(ta ? [k, m] : [m, k])], b: [...bBatch, ...(tb ? [n, k] : [k, n])], n };
}

test('BatchMatMul on wasm equals cpu for every transpose combination on random shapes', async () => {
  for (let seed = 1; seed <= 40; seed++) {
    const rng = seeded(seed);
    const [ta, tb] = [seed % 2 === 1, seed % 4 >= 2];
    const s = shapes(rng, ta, tb);
    const [av, bv] = [uniform(rng, s.a), uniform(rng, s.b)];
    await sameOnBoth(`a ${s.a} b ${s.b} transposeA ${ta} transposeB ${tb}`, () => tf.matMul(tf.tensor(av, s.a), tf.tensor(bv, s.b), ta, tb));
  }
});

test('a transposed product frees the transposed copies it makes', async () => {
  await tf.setBackend('wasm');
  const backend = tf.backend();
  const [a, b] = [tf.randomUniform([30, 20]), tf.randomUniform([40, 30])];
  const before = backend.numDataIds();
  const out = tf.matMul(a, b, true, true);
  assert.deepEqual(out.shape, [20, 40]);
  assert.equal(backend.numDataIds(), before + 1);
  tf.dispose([a, b, out]);
  await tf.setBackend('cpu');
});

test('operands that do not fit are refused as given, naming their own shapes and flags, and leave nothing behind', async () => {
  await tf.setBackend('wasm');
  const [a, b] = [tf.ones([3, 4]), tf.ones([5, 6])];
  const before = tf.engine().backend.numDataIds();
  assert.throws(() => tf.matMul(a, b, true, true), /shapes 3,4 and 5,6 and transposeA=true and transposeB=true must match/);
  const [ia, ib] = [tf.ones([3, 4], 'int32'), tf.ones([4, 3], 'int32')];
  assert.throws(() => tf.matMul(ia, ib, true, true));
  assert.equal(tf.engine().backend.numDataIds(), before + 2, 'only the two int32 operands were made');
  tf.dispose([a, b, ia, ib]);
});

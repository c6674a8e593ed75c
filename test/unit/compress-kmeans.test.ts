// Known answers for k-means weight sharing: a hand-made 1-D case, with each centroid initialisation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kmeans1d } from '../../src/engine/compress';

const values = Float32Array.from([0.9, 1, 1.1, 4.8, 5, 5.2, 9.5, 10, 10.5]);

for (const init of ['linear', 'density', 'random'] as const) {
  test(`k-means (${init} init) of three clear groups finds their means 1, 5, 10`, () => {
    const { centroids, assign } = kmeans1d(values, { clusters: 3, init, iterations: 50, seed: 2 });
    assert.deepEqual(Array.from(centroids), [1, 5, 10].map(Math.fround));
    assert.deepEqual(Array.from(assign), [0, 0, 0, 1, 1, 1, 2, 2, 2]);
  });
}

test('linear initialisation spaces centroids over [min, max]; Lloyd then moves them to the means', () => {
  // [0, 1, 2, 10] with 2 clusters: linear init 0 and 10; the boundary 5 splits {0, 1, 2} from {10}.
  const { centroids } = kmeans1d(Float32Array.from([0, 1, 2, 10]), { clusters: 2, init: 'linear', iterations: 10, seed: 0 });
  assert.deepEqual(Array.from(centroids), [1, 10]);
});

test('fewer distinct values than clusters: one centroid each, no empty duplicates', () => {
  const { centroids, assign } = kmeans1d(Float32Array.from([2, 2, 3, 3, 3]), { clusters: 8, init: 'density', iterations: 5, seed: 0 });
  assert.deepEqual(Array.from(centroids), [2, 3]);
  assert.deepEqual(Array.from(assign), [0, 0, 1, 1, 1]);
});

// data.seed: the data's own seed. It generates and shuffles the samples in place of the run's seed, so
// runs of different seeds can share their data; without it the run's seed picks the samples, and the
// metrics of the parts it picks do not rank across seeds (core/dashboard/conditions.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { loadDataset } from '../../src/engine/data';
import { mixedEvaluations, ranks } from '../../src/core/dashboard/conditions';
import { validateSpec } from '../../src/core/spec';
import type { DataSpec } from '../../src/core/spec/types';
import type { Dataset } from '../../src/engine/data/types';
import { digitsSpec } from '../helpers/cli';

const MNIST = resolve(__dirname, '../../data/mnist');
const digits: DataSpec = { source: 'digits', split: { train: 0.6, val: 0.2, test: 0.2 }, normalize: 'none', normalizeTarget: false };
const generated: DataSpec = { source: 'classification', samples: 200, features: 4, informative: 2, classes: 2, classSep: 1, split: { train: 0.8, val: 0, test: 0.2 }, normalize: 'none', normalizeTarget: false };
const parts = (d: Dataset) => [d.train, d.val, d.test].map((p) => [Array.from(p.x), Array.from(p.y)]);

test('loadDataset: data.seed picks the samples whatever the run seed; without it the run seed does, as before', () => {
  for (const spec of [digits, generated]) {
    const pinned = (run: number) => parts(loadDataset({ ...spec, seed: 5 }, run, '/'));
    assert.deepEqual(pinned(1), pinned(2), `${spec.source}: the same data.seed, the same samples`);
    assert.deepEqual(pinned(1), parts(loadDataset(spec, 5, '/')), `${spec.source}: data.seed 5 is what run seed 5 alone gives`);
    assert.notDeepEqual(parts(loadDataset(spec, 1, '/')), parts(loadDataset(spec, 2, '/')), `${spec.source}: no data.seed, other run seeds, other samples`);
  }
  const mnist = (run: number, seed?: number) => loadDataset({ source: 'mnist', path: MNIST, limit: 300, split: { train: 0.8, val: 0.2, test: 0 }, normalize: 'none', normalizeTarget: false, ...(seed === undefined ? {} : { seed }) }, run, '/');
  assert.deepEqual(parts(mnist(1, 9)), parts(mnist(2, 9)));
  assert.notDeepEqual(parts(mnist(1)).slice(0, 2), parts(mnist(2)).slice(0, 2), 'the run seed divides train and val');
  assert.deepEqual(parts(mnist(1))[2], parts(mnist(2))[2], 'the test part is the t10k file whatever the seed');
});

test('data.seed validates as a seed: an integer from 0, at its JSON path', () => {
  const at = (seed: unknown) => validateSpec({ ...digitsSpec('d'), data: { source: 'digits', seed } }, { baseDir: '/' }).problems.map((p) => p.path);
  assert.deepEqual(at(7), []);
  assert.deepEqual(at(-1), ['data.seed']);
  assert.deepEqual(at(1.5), ['data.seed']);
});

test('ranks: across run seeds, a metric ranks only where no seed picked its part\'s samples or one data.seed did', () => {
  const run = (seed: number, data: Record<string, unknown> = {}) => ({ ...digitsSpec('d'), seed, data: { ...digitsSpec('d').data, ...data } });
  assert.equal(ranks('val_loss', [run(3), run(4)]), false, 'the run seed splits the digits');
  assert.equal(ranks('test_accuracy', [run(3), run(4)]), false);
  assert.equal(ranks('tfjs_bytes', [run(3), run(4)]), true, 'a size is the model\'s');
  assert.equal(ranks('val_loss', [run(3, { seed: 11 }), run(4, { seed: 11 })]), true, 'one data.seed, one split');
  assert.equal(ranks('val_loss', [run(3, { seed: 11 }), run(4, { seed: 12 })]), false);
  assert.equal(ranks('val_loss', [run(11), run(4, { seed: 11 })]), true, 'run seed 11 alone splits as data.seed 11 does');
  assert.equal(ranks('val_loss', [run(3, { split: { train: 1, val: 0, test: 0 } }), run(4, { split: { train: 1, val: 0, test: 0 } })]), true, 'nothing is cut: every part is all the samples');

  const mnist = (seed: number, val: number) => ({ ...run(seed), data: { source: 'mnist', split: { train: 1 - val, val, test: 0 } } });
  assert.equal(ranks('test_accuracy', [mnist(3, 0.1), mnist(4, 0.1)]), true, 'MNIST\'s test part is the t10k file');
  assert.equal(ranks('eps_0.3/robust_accuracy', [mnist(3, 0.1), mnist(4, 0.1)]), true, 'an attack is on test points');
  assert.equal(ranks('val_accuracy', [mnist(3, 0.1), mnist(4, 0.1)]), false, 'the seed divides train and val');
  assert.equal(ranks('accuracy', [mnist(3, 0), mnist(4, 0)]), true, 'val 0: all training images, whatever the seed');
  assert.equal(ranks('loss', [mnist(3, 0.1), mnist(4, 0.1)]), false, 'a part the name does not say counts as picked');

  const gen = (seed: number) => ({ ...run(seed), data: { source: 'regression', split: { train: 1, val: 0, test: 0 } } });
  assert.equal(ranks('loss', [gen(3), gen(4)]), false, 'generated samples are the seed\'s');
});

test('mixedEvaluations names the data seeds that differ', () => {
  const specs: Record<string, unknown> = { a: { ...digitsSpec('a'), seed: 3 }, b: { ...digitsSpec('b'), seed: 4 }, c: { ...digitsSpec('c'), seed: 4 } };
  const points = ['a', 'b', 'c'].map((id) => ({ id, values: { val_loss: 0.1, tfjs_bytes: 10 }, from: {} }));
  assert.deepEqual(mixedEvaluations(['val_loss', 'tfjs_bytes'], points, (id) => specs[id]), [
    { metric: 'val_loss', by: 'data', evaluations: ['data.seed 3 (1 run)', 'data.seed 4 (2 runs)'] },
  ]);
});

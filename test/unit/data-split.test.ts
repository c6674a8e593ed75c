import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitCounts, splitPart } from '../../src/engine/data/split';
import { applyNormalizer, fitNormalizer, fitTarget } from '../../src/engine/data/normalize';
import { loadDataset } from '../../src/engine/data';
import type { DataSpec } from '../../src/core/spec/types';
import type { Part } from '../../src/engine/data/types';

test('splitCounts: val and test floored, remainder to train; fractions relative to their sum', () => {
  assert.deepEqual(splitCounts(1797, { train: 0.8, val: 0, test: 0.2 }), { train: 1438, val: 0, test: 359 });
  assert.deepEqual(splitCounts(100, { train: 0.42, val: 0.29, test: 0.29 }), { train: 42, val: 29, test: 29 });
  assert.deepEqual(splitCounts(10, { train: 3, val: 1, test: 1 }), { train: 6, val: 2, test: 2 });
  assert.throws(() => splitCounts(10, { train: 0, val: 0, test: 0 }), /positive sum/);
  // A positive fraction that floors to no row gets one, so val_ metrics exist whenever split.val > 0.
  assert.deepEqual(splitCounts(100, { train: 0.795, val: 0.005, test: 0.2 }), { train: 79, val: 1, test: 20 });
  assert.deepEqual(splitCounts(3, { train: 0.9, val: 0.05, test: 0.05 }), { train: 1, val: 1, test: 1 });
  assert.deepEqual(splitCounts(2, { train: 0.9, val: 0.05, test: 0.05 }), { train: 2, val: 0, test: 0 }, 'train keeps a row first');
});

test('splitPart: sizes, no overlap, every sample used, rows kept whole', () => {
  const n = 103;
  const all: Part = { x: Float32Array.from({ length: 2 * n }, (_, i) => Math.floor(i / 2)), y: Float32Array.from({ length: n }, (_, i) => i), n };
  const s = splitPart(all, { train: 0.7, val: 0.15, test: 0.15 }, 1);
  assert.deepEqual([s.train.n, s.val.n, s.test.n], [73, 15, 15]);
  const ids = [...s.train.y, ...s.val.y, ...s.test.y];
  assert.deepEqual([...ids].sort((a, b) => a - b), Array.from(all.y));
  for (const p of [s.train, s.val, s.test]) {
    p.y.forEach((id, i) => assert.deepEqual([p.x[2 * i], p.x[2 * i + 1]], [id, id]));
  }
  assert.notDeepEqual(Array.from(s.train.y), Array.from(s.train.y).sort((a, b) => a - b), 'shuffled');
});

test('normalizers: hand-computed statistics from the training part', () => {
  const train: Part = { x: Float32Array.from([0, 10, 2, 10, 4, 10]), y: new Float32Array(3), n: 3 };
  const test: Part = { x: Float32Array.from([8, -20]), y: new Float32Array(1), n: 1 };
  const std = fitNormalizer('standard', train, 2);
  assert.deepEqual([Array.from(std.shift), Array.from(std.scale)], [[2, 10], [Math.sqrt(8 / 3), 1]]);
  assert.deepEqual(Array.from(applyNormalizer(test, std).x), [Math.fround(6 / Math.sqrt(8 / 3)), -30]);
  const mm = fitNormalizer('minmax', train, 2);
  assert.deepEqual(Array.from(applyNormalizer(test, mm).x), [2, -30]);
  assert.deepEqual(Array.from(applyNormalizer(test, fitNormalizer('scale', train, 2)).x), [Math.fround(0.8), -2]);
  assert.deepEqual(Array.from(applyNormalizer(test, fitNormalizer('none', train, 2)).x), [8, -20]);
  assert.deepEqual(fitTarget({ x: new Float32Array(0), y: Float32Array.from([1, 3]), n: 2 }), { mean: 2, std: 1 });
});

const mean = (a: Float32Array, d: number, j: number): number => {
  let s = 0;
  for (let i = j; i < a.length; i += d) s += a[i];
  return s / (a.length / d);
};

const regression = (normalize: 'standard' | 'minmax'): DataSpec => ({
  source: 'regression', samples: 300, features: 3, informative: 3, noise: 1, bias: 50,
  split: { train: 0.5, val: 0.25, test: 0.25 }, normalize, normalizeTarget: true,
});

test('loadDataset: normalisation statistics come from the training part only', () => {
  const ds = loadDataset(regression('standard'), 1, '.');
  for (let j = 0; j < 3; j++) {
    assert.ok(Math.abs(mean(ds.train.x, 3, j)) < 1e-5, 'train features centred exactly');
    // Fitted on all 300 rows, the val and test means would balance the train mean (0): they do not.
    const other = (mean(ds.val.x, 3, j) + mean(ds.test.x, 3, j)) / 2;
    assert.ok(Math.abs(other) > 1e-3, `val/test mean ${other}`);
  }
  const mm = loadDataset(regression('minmax'), 1, '.');
  assert.equal(mm.train.x.reduce((a, v) => Math.min(a, v), Infinity), 0);
  assert.equal(mm.train.x.reduce((a, v) => Math.max(a, v), -Infinity), 1);
  const all = [...mm.val.x, ...mm.test.x];
  assert.ok(Math.min(...all) < 0 || Math.max(...all) > 1, 'val/test fall outside [0, 1]: the range is the training range');
  // Target standardised with train statistics; its mean and std are recorded.
  assert.ok(ds.target && ds.target.std > 1);
  assert.ok(Math.abs(ds.train.y.reduce((a, v) => a + v, 0) / ds.train.n) < 1e-5);
  assert.equal(ds.description, 'regression: 150 train / 75 val / 75 test, 3 features, regression, normalize=standard, target standardised');
});

test('loadDataset: same seed, identical arrays; another seed, another split', () => {
  const spec: DataSpec = { source: 'digits', split: { train: 0.7, val: 0.1, test: 0.2 }, normalize: 'standard', normalizeTarget: false };
  const a = loadDataset(spec, 7, '.');
  assert.deepEqual(loadDataset(spec, 7, '.'), a);
  const b = loadDataset(spec, 8, '.');
  assert.deepEqual([b.train.n, b.val.n, b.test.n], [a.train.n, a.val.n, a.test.n]);
  assert.notDeepEqual(b.test.y, a.test.y);
  const c1 = loadDataset({ source: 'classification', samples: 100, features: 4, informative: 2, classes: 2, classSep: 1, split: { train: 1, val: 0, test: 0 }, normalize: 'none', normalizeTarget: false }, 1, '.');
  const c2 = loadDataset({ source: 'classification', samples: 100, features: 4, informative: 2, classes: 2, classSep: 1, split: { train: 1, val: 0, test: 0 }, normalize: 'none', normalizeTarget: false }, 2, '.');
  assert.notDeepEqual(c1.train.x, c2.train.x);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadDigits, findBundledData, DIGITS_FILE } from '../../src/engine/data/digits';
import { loadDataset } from '../../src/engine/data';

test('digits: 1797 samples of 64 values in 0..16, labels 0..9 with every class present', () => {
  const d = loadDigits();
  assert.equal(d.n, 1797);
  assert.equal(d.x.length, 1797 * 64);
  let min = Infinity;
  let max = -Infinity;
  for (const v of d.x) [min, max] = [Math.min(min, v), Math.max(max, v)];
  assert.deepEqual([min, max], [0, 16]);
  const counts = new Array(10).fill(0);
  for (const c of d.y) counts[c]++;
  // scikit-learn's load_digits class counts.
  assert.deepEqual(counts, [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
  assert.deepEqual(Array.from(d.x.subarray(0, 8)), [0, 0, 5, 13, 9, 1, 0, 0]);
});

test('digits: the bundled file is found from the source tree and from a dist/ folder beside media/', () => {
  const repo = resolve(__dirname, '../..');
  assert.equal(findBundledData(DIGITS_FILE), join(repo, 'media', 'data', DIGITS_FILE));
  const root = mkdtempSync(join(tmpdir(), 'hone-digits-'));
  mkdirSync(join(root, 'dist'));
  mkdirSync(join(root, 'media', 'data'), { recursive: true });
  copyFileSync(join(repo, 'media', 'data', DIGITS_FILE), join(root, 'media', 'data', DIGITS_FILE));
  assert.equal(findBundledData(DIGITS_FILE, join(root, 'dist')), join(root, 'media', 'data', DIGITS_FILE));
  assert.throws(() => findBundledData('nope.csv.gz', join(root, 'dist')), /media\/data\/nope\.csv\.gz not found/);
});

test('digits dataset: 8x8x1, 10 classes, split 0.8/0.2, scaled to [0, 1] by the training max', () => {
  const split = { train: 0.8, val: 0, test: 0.2 };
  const ds = loadDataset({ source: 'digits', split, normalize: 'scale', normalizeTarget: false }, 0, '.');
  assert.deepEqual(ds.inputShape, [8, 8, 1]);
  assert.equal(ds.classes, 10);
  assert.equal(ds.task, 'classification');
  assert.deepEqual([ds.train.n, ds.val.n, ds.test.n], [1438, 0, 359]);
  assert.equal(Math.max(...ds.train.x), 1);
  assert.equal(ds.description, 'digits: 1438 train / 0 val / 359 test, 8x8x1, 10 classes, normalize=scale');
});

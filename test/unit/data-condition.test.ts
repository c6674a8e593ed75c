// A metric measured on data ranks only across runs of one data section (core/dashboard/conditions.ts): a
// regression's loss is never starred above a classifier's, while a model's own size ranks whatever its data.
// The rule as a function, then `hone compare` on real store records.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { metricRow, ranks } from '../../src/core/dashboard/conditions';
import { completedRun } from '../helpers/store-fixtures';
import { digitsSpec, hone } from '../helpers/cli';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';

const digits = digitsSpec('d');
const regression = { ...digits, data: { source: 'regression', samples: 1000, features: 2, noise: 10, split: { train: 0.8, val: 0.1, test: 0.1 }, normalize: 'standard' } };

test('ranks: data-dependent metrics only within one data section (input scaling aside); the model\'s own metrics always', () => {
  assert.equal(ranks('val_loss', [digits, digitsSpec('other name', { lr: 0.5 })]), true, 'same data, other training');
  assert.equal(ranks('val_loss', [digits, { ...digits, data: { ...digits.data, normalize: 'standard' } }]), true, 'input scaling changes neither samples nor units');
  assert.equal(ranks('val_loss', [digits, regression]), false);
  assert.equal(ranks('test_accuracy', [digits, { ...digits, data: { ...digits.data, split: { train: 0.8, val: 0.1, test: 0.1 } } }]), false, 'another split is another test set');
  assert.equal(ranks('tfjs_bytes', [digits, regression]), true, 'a size is the model\'s');
  assert.equal(ranks('latency_b1_ms', [digits, regression]), true);
  assert.equal(ranks('val_loss', [digits, {}]), false, 'an imported run\'s data is not known');
  assert.equal(metricRow('loss', [digits, regression], [true, true]).apart, true);
  assert.equal(metricRow('loss', [digits, regression], [true, false]).apart, false, 'only runs with a value count');
  assert.equal(metricRow('loss', [digits, regression], [true, true], false).apart, false, 'a listing judges the evaluation alone');
});

test('hone compare stars no loss across a classifier and a regression, and still stars the smaller model', () => {
  const dir = makeTmpDir();
  try {
    const store = join(dir, 'store');
    const a = completedRun(store, { spec: digits as never, final: { loss: 0.136, tfjs_bytes: 40_000 } }).record.id;
    const b = completedRun(store, { spec: regression as never, final: { loss: 0.095, tfjs_bytes: 1_000 } }).record.id;
    const out = hone(['compare', a, b, '--store', store]);
    assert.equal(out.code, 0, out.stderr);
    const row = (m: string) => out.stdout.split('\n').find((l) => l.startsWith(`${m} (`))!.trim().split(/\s{2,}/);
    assert.deepEqual(row('loss'), ['loss (min) \u2020', '0.1360', '0.09500']);
    assert.deepEqual(row('tfjs_bytes'), ['tfjs_bytes (min)', '40000', '1000 *']);
    assert.match(out.stdout, /\n\u2020 not marked: the runs measured it on different data \(the data section of their specs, or the seed that generated or split it: data.seed, else the run.s seed\) or under different robustness evaluations/);
  } finally {
    removeTmpDir(dir);
  }
});

// Varying hyperparameters and the spec diff of the Compare view, and how metrics are ranked.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { specDiff, varyingPaths } from '../../src/core/compare';
import { bestValue, sortMetrics } from '../../src/core/dashboard/metrics';

const spec = (train: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  $schema: '../schema/hone.schema.json',
  name: 'digits-mlp',
  seed: 7,
  model: { type: 'mlp', layers: [128, 64], dropout: 0 },
  train: { optimizer: 'adam', lr: 0.001, l2: 0, ...train },
  ...extra,
});

describe('dashboard: varying parameters and spec diff', () => {
  it('finds the one hyperparameter that differs', () => {
    assert.deepEqual(varyingPaths([spec({}), spec({ l2: 0.001 }), spec({})]), ['train.l2']);
  });

  it('finds several, in first-seen order, and ignores name, description and $schema', () => {
    const a = spec({ lr: 0.01 }, { description: 'a' });
    const b = { ...spec({ l2: 0.1 }, { description: 'b' }), name: 'other', $schema: 'x.json' };
    assert.deepEqual(varyingPaths([a, b]), ['train.lr', 'train.l2']);
  });

  it('counts a field missing from some runs as varying, and compares array elements', () => {
    const a = spec({});
    const b = { ...spec({ clipNorm: 1 }), model: { type: 'mlp', layers: [128], dropout: 0 } };
    assert.deepEqual(varyingPaths([a, b]), ['model.layers[1]', 'train.clipNorm']);
  });

  it('finds nothing in identical specs or a single one', () => {
    assert.deepEqual(varyingPaths([spec({}), spec({})]), []);
    assert.deepEqual(varyingPaths([spec({ l2: 1 })]), []);
    assert.deepEqual(varyingPaths([]), []);
  });

  it('diffs every field, marking which runs differ from the first', () => {
    const rows = specDiff([spec({}), spec({ l2: 0.001 }), spec({ l2: 0.01, lr: 0.001 })]);
    const byPath = Object.fromEntries(rows.map((r) => [r.path, r]));
    assert.deepEqual(byPath['train.l2'], { path: 'train.l2', values: [0, 0.001, 0.01], differs: [false, true, true], changed: true });
    assert.deepEqual(byPath['train.lr'], { path: 'train.lr', values: [0.001, 0.001, 0.001], differs: [false, false, false], changed: false });
    assert.equal(byPath.name.changed, false);
    assert.deepEqual(rows.map((r) => r.path).slice(0, 4), ['$schema', 'name', 'seed', 'model.type']);
    const missing = specDiff([{ a: 1 }, { a: 1, b: { c: null } }]);
    assert.deepEqual(missing[1], { path: 'b.c', values: [undefined, null], differs: [false, true], changed: true });
  });
});

describe('dashboard: metric ranking', () => {
  it('marks the max of accuracies and the min of losses, ignoring missing and NaN', () => {
    assert.equal(bestValue('val_accuracy', [0.9, 0.97, undefined, 0.95]), 0.97);
    assert.equal(bestValue('val_loss', [0.3, NaN, 0.2, 0.25]), 0.2);
    assert.equal(bestValue('test_mse', [110, 98.5]), 98.5);
  });

  it('is a value, so every run that ties for best is marked, and a row where all tie marks none', () => {
    assert.equal(bestValue('test_accuracy', [0.9387, 0.9387, 0.8579]), 0.9387, 'both runs at 0.9387 are the best');
    assert.equal(bestValue('loss', [0.5, 0.5]), undefined, 'neither is better');
    assert.equal(bestValue('tfjs_bytes', [71410, NaN, 71410]), undefined);
  });

  it('marks nothing with fewer than two comparable values', () => {
    assert.equal(bestValue('loss', [undefined, 0.1]), undefined);
    assert.equal(bestValue('loss', [NaN, 0.1, Infinity]), undefined);
  });

  it('marks nothing for a metric the registry gives no direction', () => {
    assert.equal(bestValue('clients', [10, 5]), undefined);
    assert.equal(bestValue('zeta', [1, 2]), undefined);
  });

  it('orders metrics as a reader looks for them, the learning rate last', () => {
    assert.deepEqual(sortMetrics(['lr', 'zeta', 'val_accuracy', 'loss', 'accuracy', 'alpha', 'val_loss', 'loss']),
      ['loss', 'val_loss', 'accuracy', 'val_accuracy', 'alpha', 'zeta', 'lr']);
  });
});

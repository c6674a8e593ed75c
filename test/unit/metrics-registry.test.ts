// The metric registry: one table of direction, unit and label, applied to Hone's names, split prefixes and
// TensorBoard namespaces; a name it does not know has no direction (nothing is guessed from a name).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { betterOf, isBetter, metricInfo, updateBest } from '../../src/core/metrics';

test('directions of Hone\'s metrics, with split prefixes and namespaces', () => {
  const cases: [string, 'max' | 'min' | undefined][] = [
    ['loss', 'min'], ['val_loss', 'min'], ['test_loss', 'min'], ['accuracy', 'max'], ['val_accuracy', 'max'],
    ['test_accuracy', 'max'], ['mse', 'min'], ['val_mse', 'min'], ['penalty', 'min'], ['epoch_loss', 'min'],
    ['epoch_accuracy', 'max'], ['train/accuracy', 'max'], ['eval/val_loss', 'min'],
    // Not known, so no direction: a learning rate, counters, and names that merely contain a known word.
    ['lr', undefined], ['epoch_learning_rate', undefined], ['examples', undefined], ['robust_error_rate', undefined],
    ['accuracy_drop', undefined], ['val_', undefined],
  ];
  for (const [name, better] of cases) assert.equal(betterOf(name), better, name);
  assert.deepEqual(metricInfo('val_accuracy'), { better: 'max', unit: 'fraction', label: 'val accuracy', part: 'val' });
  assert.equal(metricInfo('train/loss')?.label, 'train loss');
  // The part of the data it is measured on: the split prefix says, an attack is on test points, a bare loss is not known.
  assert.deepEqual(['train/loss', 'test_accuracy_before', 'eps_0.3/robust_accuracy', 'val_robust_accuracy', 'loss', 'tfjs_bytes'].map((m) => metricInfo(m)?.part), ['train', 'test', 'test', 'val', undefined, undefined]);
});

test('isBetter follows the direction and claims no order for unknown metrics', () => {
  assert.equal(isBetter('val_accuracy', 0.9, 0.8), true);
  assert.equal(isBetter('val_loss', 0.9, 0.8), false);
  assert.equal(isBetter('lr', 0.9, 0.8), false);
  assert.equal(isBetter('lr', 0.8, 0.9), false);
});

test('updateBest keeps the best finite value of each metric with a known direction', () => {
  const best: Record<string, number> = {};
  updateBest(best, { loss: 1, accuracy: 0.5, lr: 0.1, val_loss: NaN });
  updateBest(best, { loss: 0.5, accuracy: 0.4, lr: 0.01, val_loss: 2 });
  updateBest(best, { loss: Infinity, accuracy: 0.7, val_loss: 3 });
  assert.deepEqual(best, { loss: 0.5, accuracy: 0.7, val_loss: 2 });
});

test('running totals (bytes sent so far, privacy spent) compare across runs but record no best over a run', () => {
  assert.equal(betterOf('epsilon'), 'min');
  assert.equal(betterOf('upload_bytes_total'), 'min');
  const best: Record<string, number> = {};
  for (const [round, total] of [[1, 100], [2, 200], [3, 300]]) updateBest(best, { upload_bytes_total: total, epsilon: round * 0.5, upload_bytes: 100, accuracy: round / 10 });
  assert.deepEqual(best, { upload_bytes: 100, accuracy: 0.3 });
});

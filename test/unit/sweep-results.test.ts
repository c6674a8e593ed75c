// Results from trials alone: non-dominated fronts, Pareto front, best-so-far history, importance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../src/core/rng';
import { createSpace, frontRanks, permutationImportance, sweepResults, type TrialRecord } from '../../src/core/sweep';

test('non-dominated sorting: fronts of a hand-made set', () => {
  // Losses (both minimised): A and B trade off, C is dominated by B only, D by everything.
  const ranks = frontRanks([[1, 4], [2, 2], [3, 3], [5, 5], [4, 1]]);
  assert.deepEqual(ranks, [0, 0, 1, 2, 0]);
  assert.deepEqual(frontRanks([[3], [1], [2], [1]]), [2, 0, 1, 0], 'one objective: dense rank');
});

const record = (number: number, state: TrialRecord['state'], values: number[] | undefined, epochs: number, finished: string): TrialRecord =>
  ({ number, params: { x: number / 10 }, state, values, intermediate: {}, epochs, finished });

test('results: best trial, Pareto front, history in finishing order with epochs spent', () => {
  const space = createSpace({ x: { type: 'float', min: 0, max: 1, log: false } });
  const trials = [
    record(0, 'completed', [0.9, 10], 5, '2024-01-01T00:00:03Z'),
    record(1, 'pruned', undefined, 1, '2024-01-01T00:00:01Z'),
    record(2, 'completed', [0.95, 30], 5, '2024-01-01T00:00:02Z'),
    record(3, 'completed', [0.92, 5], 5, '2024-01-01T00:00:04Z'),
    record(4, 'running', undefined, 2, ''),
  ];
  const one = sweepResults(space, [{ metric: 'val_accuracy', direction: 'maximize' }], trials.map((t) => ({ ...t, values: t.values?.slice(0, 1) })), 0);
  assert.equal(one.best, 2);
  assert.deepEqual(one.pareto, [2]);
  assert.deepEqual(one.history.map((h) => [h.number, h.cumulativeEpochs, h.bestSoFar[0]]), [[1, 1, undefined], [2, 6, 0.95], [0, 11, 0.95], [3, 16, 0.95]]);
  const two = sweepResults(space, [{ metric: 'val_accuracy', direction: 'maximize' }, { metric: 'loss', direction: 'minimize' }], trials, 0);
  assert.equal(two.best, undefined);
  assert.deepEqual(two.pareto.sort(), [2, 3], 'trial 0 is dominated by trial 3 (more accurate, less loss)');
  assert.equal(two.importance, undefined, 'fewer than 4 completed trials');
});

test('permutation importance finds the parameter that matters and not the one that does not', () => {
  const rng = createRng(3);
  const x = Array.from({ length: 60 }, () => [rng.next(), rng.next(), rng.next()]);
  const y = x.map(([a, b]) => 10 * (a - 0.5) ** 2 + 0.5 * b);
  const shares = permutationImportance(x, y, createRng(4));
  assert.ok(Math.abs(shares.reduce((s, v) => s + v, 0) - 1) < 1e-9);
  assert.ok(shares[0] > 0.7, `the quadratic parameter dominates: ${shares}`);
  assert.ok(shares[1] > shares[2], `the linear one beats the unused one: ${shares}`);
  assert.ok(shares[2] < 0.05, `the unused one is near 0: ${shares}`);
});

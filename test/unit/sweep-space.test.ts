// The search space: grids that enumerate exactly the product of their values, values mapped to and
// from the unit interval, log-uniform draws, conditions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../src/core/rng';
import { createSampler, createSpace, fromUnit, gridConfigs, gridValues, paramsKey, sampleParams, toUnit, type NumericDim, type Trial } from '../../src/core/sweep';

test('a grid enumerates exactly the product of its values, first parameter slowest', () => {
  const space = createSpace({
    'train.lr': { type: 'float', min: 0.001, max: 0.1, log: true },
    'train.batchSize': { type: 'categorical', values: [32, 64] },
    'train.epochs': { type: 'int', min: 2, max: 8, log: false, step: 3 },
  });
  const configs = gridConfigs(space, 3);
  assert.equal(configs.length, 3 * 2 * 3);
  assert.equal(new Set(configs.map((c) => paramsKey(space, c))).size, configs.length, 'no combination twice');
  assert.deepEqual(configs.slice(0, 3), [
    { 'train.lr': 0.001, 'train.batchSize': 32, 'train.epochs': 2 },
    { 'train.lr': 0.001, 'train.batchSize': 32, 'train.epochs': 5 },
    { 'train.lr': 0.001, 'train.batchSize': 32, 'train.epochs': 8 },
  ]);
  assert.deepEqual([...new Set(configs.map((c) => c['train.lr']))], [0.001, 0.01, 0.1], 'log-spaced points, ends included');
});

test('a conditional parameter multiplies only the combinations where it is active', () => {
  const space = createSpace({
    'train.momentum': { type: 'float', min: 0.8, max: 0.9, log: false, step: 0.05, when: { parameter: 'train.optimizer', in: ['momentum'] } },
    'train.optimizer': { type: 'categorical', values: ['adam', 'sgd', 'momentum'] },
    'train.l2': { type: 'categorical', values: [0, 0.001] },
  });
  assert.deepEqual(space.dims.map((d) => d.path), ['train.optimizer', 'train.momentum', 'train.l2'], 'the condition first');
  const configs = gridConfigs(space, 5);
  assert.equal(configs.length, (1 + 1 + 3) * 2);
  for (const c of configs) assert.equal('train.momentum' in c, c['train.optimizer'] === 'momentum');
  assert.deepEqual(configs.filter((c) => c['train.optimizer'] === 'momentum').map((c) => c['train.momentum']), [0.8, 0.8, 0.85, 0.85, 0.9, 0.9]);
});

test('the grid sampler takes each combination once, skipping those running, then reports none left', () => {
  const space = createSpace({ a: { type: 'categorical', values: [1, 2, 3] }, b: { type: 'categorical', values: ['x', 'y'] } });
  const sampler = createSampler({ type: 'grid', points: 5 });
  const trials: Trial[] = [];
  for (let i = 0; i < 6; i++) {
    const params = sampler.suggest(space, { directions: ['minimize'], trials }, createRng(i))!;
    trials.push({ number: i, params, state: i % 2 ? 'running' : 'completed', values: [0], intermediate: {} });
  }
  assert.equal(new Set(trials.map((t) => paramsKey(space, t.params))).size, 6);
  assert.equal(sampler.suggest(space, { directions: ['minimize'], trials }, createRng(9)), undefined);
});

test('grid values: every step when one is written, else `points` values; ints deduplicated', () => {
  const [d1, d2, d3] = createSpace({
    a: { type: 'int', min: 1, max: 4, log: false },
    b: { type: 'int', min: 16, max: 256, log: true },
    c: { type: 'float', min: 0, max: 1, log: false, step: 0.25 },
  }).dims;
  assert.deepEqual(gridValues(d1, 10), [1, 2, 3, 4]);
  assert.deepEqual(gridValues(d2, 5), [16, 32, 64, 128, 256]);
  assert.deepEqual(gridValues(d3, 2), [0, 0.25, 0.5, 0.75, 1]);
});

test('unit-interval maps: stepped values get equal shares, log values draw log-uniformly', () => {
  const [int, lr] = createSpace({
    n: { type: 'int', min: 1, max: 4, log: false },
    lr: { type: 'float', min: 1e-4, max: 1e-1, log: true },
  }).dims as NumericDim[];
  assert.deepEqual([0.01, 0.24, 0.26, 0.49, 0.51, 0.74, 0.76, 0.99].map((u) => fromUnit(int, u)), [1, 1, 2, 2, 3, 3, 4, 4]);
  for (const v of [1, 2, 3, 4]) assert.equal(fromUnit(int, toUnit(int, v)), v);
  assert.ok(Math.abs(toUnit(lr, 1e-3) - 1 / 3) < 1e-12);
  const rng = createRng(5);
  const space = createSpace({ lr: { type: 'float', min: 1e-4, max: 1e-1, log: true } });
  const draws = Array.from({ length: 4000 }, () => sampleParams(space, rng).lr as number);
  const belowGeoMean = draws.filter((v) => v < Math.sqrt(1e-4 * 1e-1)).length / draws.length;
  assert.ok(Math.abs(belowGeoMean - 0.5) < 0.03, `half below the geometric mean, got ${belowGeoMean}`);
  assert.ok(draws.every((v) => v >= 1e-4 && v <= 0.1));
});

// The default sampler's rule (samplers/auto.ts): what `auto` picks for a space and a budget, with the
// schema's defaults for the sampler it picks, and named samplers passed through untouched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GP_MAX_TRIALS, createSpace, resolveSampler, withDefaults, type Sampler, type Trial } from '../../src/core/sweep';
import { interleave } from '../../src/core/sweep/samplers/interleave';
import { createRng } from '../../src/core/rng';
import type { SweepParameter } from '../../src/core/spec';

const numeric = (n: number) => createSpace(Object.fromEntries(Array.from({ length: n }, (_, i): [string, SweepParameter] => [`x${i}`, { type: 'float', min: 0, max: 1, log: false }])));
const AUTO = { type: 'auto' } as const;

test('auto: a numeric space with a budget of 11 to 200 trials gets the Gaussian process, every third trial TPE', () => {
  for (const trials of [11, 50, GP_MAX_TRIALS]) {
    const c = resolveSampler({ sampler: AUTO, trials }, numeric(6));
    assert.deepEqual(c.sampler, { type: 'gp', startupTrials: 10, tpeEvery: 3 });
    assert.match(c.reason!, new RegExp(`6 numeric parameters, ${trials} trials: the Gaussian process, every 3rd trial TPE's`));
  }
  const ints = createSpace({ 'model.layers[0]': { type: 'int', min: 16, max: 256, log: true }, 'train.lr': { type: 'float', min: 1e-4, max: 0.1, log: true } });
  assert.equal(resolveSampler({ sampler: AUTO, trials: 40 }, ints).sampler.type, 'gp');
});

test('auto: no more trials than the random startup gets random search', () => {
  for (const trials of [1, 10]) assert.deepEqual(resolveSampler({ sampler: AUTO, trials }, numeric(3)).sampler, { type: 'random' });
});

test('auto: categorical or conditional parameters, an open budget or a long sweep get TPE', () => {
  const tpe = withDefaults('tpe');
  assert.deepEqual(tpe, { type: 'tpe', startupTrials: 10, candidates: 24, gamma: 0.2, priorWeight: 1, multivariate: true });
  const mixed = createSpace({
    'train.optimizer': { type: 'categorical', values: ['adam', 'momentum'] },
    'train.momentum': { type: 'float', min: 0.5, max: 0.99, log: false, when: { parameter: 'train.optimizer', in: ['momentum'] } },
  });
  const c = resolveSampler({ sampler: AUTO, trials: 50 }, mixed);
  assert.deepEqual(c.sampler, tpe);
  assert.match(c.reason!, /train\.optimizer, train\.momentum/);
  assert.deepEqual(resolveSampler({ sampler: AUTO, trials: undefined }, numeric(2)).sampler, tpe);
  assert.deepEqual(resolveSampler({ sampler: AUTO, trials: GP_MAX_TRIALS + 1 }, numeric(2)).sampler, tpe);
});

test('a named sampler is kept as written, with no reason', () => {
  const grid = { type: 'grid', points: 3 } as const;
  assert.deepEqual(resolveSampler({ sampler: grid, trials: 50 }, numeric(2)), { sampler: grid });
});

test('interleave: every third suggestion is the other sampler\'s, counted over all trials so far', () => {
  const by = (name: string): Sampler => ({ suggest: () => ({ by: name }) });
  const s = interleave(by('gp'), by('tpe'), 3);
  const trials: Trial[] = [];
  const who = Array.from({ length: 7 }, (_, i) => {
    const p = s.suggest(numeric(1), { directions: ['minimize'], trials }, createRng(i))!;
    trials.push({ number: i, params: p, state: 'running', intermediate: {} });
    return p.by;
  });
  assert.deepEqual(who, ['gp', 'gp', 'tpe', 'gp', 'gp', 'tpe', 'gp']);
});

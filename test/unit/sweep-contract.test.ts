// One suite over every sampler of the registry (as Optuna does for its samplers): suggestions stay in
// the space, conditional parameters appear exactly when active, the same seed gives the same sequence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, derive } from '../../src/core/rng';
import { SAMPLERS, createSampler, createSpace, type Params, type Trial } from '../../src/core/sweep';
import type { ConcreteSamplerSpec as SamplerSpec } from '../../src/core/sweep';

const TPE = { type: 'tpe', startupTrials: 5, candidates: 24, gamma: 0.1, priorWeight: 1 } as const;
/** Every sampler of the registry, and the variants that sample differently (TPE's univariate mode). */
const SPECS: Record<keyof typeof SAMPLERS | 'tpe-univariate' | 'gp+tpe', SamplerSpec> = {
  grid: { type: 'grid', points: 3 },
  random: { type: 'random' },
  tpe: { ...TPE, multivariate: true },
  'tpe-univariate': { ...TPE, multivariate: false },
  gp: { type: 'gp', startupTrials: 5, tpeEvery: 0 },
  'gp+tpe': { type: 'gp', startupTrials: 5, tpeEvery: 3 },
};

const space = () => createSpace({
  'train.lr': { type: 'float', min: 1e-4, max: 0.1, log: true },
  'train.batchSize': { type: 'int', min: 16, max: 128, log: true },
  'train.epochs': { type: 'int', min: 2, max: 10, log: false, step: 4 },
  'train.l2': { type: 'float', min: 0, max: 0.01, log: false, step: 0.0025 },
  'train.momentum': { type: 'float', min: 0.5, max: 0.99, log: false, when: { parameter: 'train.optimizer', in: ['momentum', 'nesterov'] } },
  'train.optimizer': { type: 'categorical', values: ['adam', 'momentum', 'nesterov'] },
  'model.layers': { type: 'categorical', values: [[32], [64, 32]] },
  'model.dropout': { type: 'float', min: 0, max: 0.5, log: false, when: { parameter: 'model.layers', in: [[64, 32]] } },
});

/** A made-up objective with an optimum inside the space, so model-based samplers have something to learn. */
const loss = (p: Params) =>
  (Math.log10(p['train.lr'] as number) + 2.5) ** 2 + (p['train.optimizer'] === 'adam' ? 0 : 0.5) + ((p['model.dropout'] as number | undefined) ?? 0.2);

function run(spec: SamplerSpec, seed: number, n = 16): Params[] {
  const s = space();
  const trials: Trial[] = [];
  for (let i = 0; i < n; i++) {
    const params = createSampler(spec).suggest(s, { directions: ['minimize'], trials }, createRng(derive(seed, 'suggest', i)));
    if (!params) break;
    // Every third trial is still running when the next is asked for, as with parallel trials.
    trials.push({ number: i, params, state: i % 3 === 2 ? 'running' : 'completed', values: [loss(params)], intermediate: {} });
  }
  return trials.map((t) => t.params);
}

for (const [name, spec] of Object.entries(SPECS)) {
  test(`${name}: every suggestion lies in the space, on its grid`, () => {
    for (const p of run(spec, 1)) {
      const lr = p['train.lr'] as number;
      assert.ok(lr >= 1e-4 && lr <= 0.1, `lr ${lr}`);
      const bs = p['train.batchSize'] as number;
      assert.ok(Number.isInteger(bs) && bs >= 16 && bs <= 128, `batchSize ${bs}`);
      assert.ok([2, 6, 10].includes(p['train.epochs'] as number), `epochs ${p['train.epochs']}`);
      assert.ok([0, 0.0025, 0.005, 0.0075, 0.01].includes(p['train.l2'] as number), `l2 ${p['train.l2']}`);
      assert.ok(['adam', 'momentum', 'nesterov'].includes(p['train.optimizer'] as string));
    }
  });

  test(`${name}: a conditional parameter is sampled exactly when its condition holds`, () => {
    for (const p of run(spec, 2)) {
      assert.equal('train.momentum' in p, p['train.optimizer'] !== 'adam', JSON.stringify(p));
      assert.equal('model.dropout' in p, JSON.stringify(p['model.layers']) === '[64,32]', JSON.stringify(p));
    }
  });

  test(`${name}: the same seed gives the same suggestions`, () => {
    assert.deepEqual(run(spec, 7), run(spec, 7));
    if (name !== 'grid') assert.notDeepEqual(run(spec, 7), run(spec, 8), 'another seed, other suggestions');
  });
}

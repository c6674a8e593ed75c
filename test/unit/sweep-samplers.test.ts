// Samplers on closed-form functions, no training: TPE and GP against random search on Branin (optimum
// 0.397887) and Hartmann-6 (optimum -3.32237), median best value after N trials over 10 seeds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSampler } from '../../src/core/sweep';
import type { ConcreteSamplerSpec as SamplerSpec } from '../../src/core/sweep';
import {
  BRANIN_MIN, HARTMANN6_MIN, bestOf, braninOf, braninSpace, hartmannOf, hartmannSpace, median, minimize,
} from '../helpers/closed-form';

const RANDOM: SamplerSpec = { type: 'random' };
const TPE: SamplerSpec = { type: 'tpe', startupTrials: 10, candidates: 24, gamma: 0.1, priorWeight: 1, multivariate: true };
const GP: SamplerSpec = { type: 'gp', startupTrials: 10, tpeEvery: 0 };
const SEEDS = Array.from({ length: 10 }, (_, i) => i);

const medianBest = (spec: SamplerSpec, problem: 'branin' | 'hartmann', n: number) =>
  median(SEEDS.map((seed) => bestOf(problem === 'branin'
    ? minimize(createSampler(spec), braninSpace(), braninOf, n, seed)
    : minimize(createSampler(spec), hartmannSpace(), hartmannOf, n, seed))));

test('the closed-form functions have their known optima', () => {
  assert.ok(Math.abs(braninOf({ x1: Math.PI, x2: 2.275 }) - BRANIN_MIN) < 1e-5);
  assert.ok(Math.abs(braninOf({ x1: -Math.PI, x2: 12.275 }) - BRANIN_MIN) < 1e-5);
  const xStar = [0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573];
  assert.ok(Math.abs(hartmannOf(Object.fromEntries(xStar.map((v, i) => [`x${i}`, v]))) - HARTMANN6_MIN) < 1e-4);
});

test('Branin, N = 40: TPE and GP beat random search; GP reaches the optimum within 0.01', () => {
  const [random, tpe, gp] = [RANDOM, TPE, GP].map((s) => medianBest(s, 'branin', 40));
  assert.ok(tpe < random, `TPE ${tpe} vs random ${random}`);
  assert.ok(gp < random, `GP ${gp} vs random ${random}`);
  assert.ok(gp - BRANIN_MIN < 0.01, `GP ${gp}`);
  assert.ok(Math.min(random, tpe, gp) >= BRANIN_MIN - 1e-6, 'nothing beats the global minimum');
});

test('Hartmann-6, N = 50: TPE and GP beat random search; GP gets within 0.3 of the optimum', () => {
  const [random, tpe, gp] = [RANDOM, TPE, GP].map((s) => medianBest(s, 'hartmann', 50));
  assert.ok(tpe < random, `TPE ${tpe} vs random ${random}`);
  assert.ok(gp < random, `GP ${gp} vs random ${random}`);
  assert.ok(gp < HARTMANN6_MIN + 0.3, `GP ${gp}`);
  assert.ok(Math.min(random, tpe, gp) >= HARTMANN6_MIN - 1e-4, 'nothing beats the global minimum');
});

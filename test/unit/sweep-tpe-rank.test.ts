// TPE's ranking of finished trials (good ones feed l(x), the rest g(x)): completed by loss, then pruned,
// then diverged ones; a trial that failed for another reason (a crash, a refused spec) tells nothing of
// its parameters and is left out. Pure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../src/core/rng';
import { rankTrials } from '../../src/core/sweep/samplers/tpe';
import type { Trial } from '../../src/core/sweep';

const trial = (number: number, patch: Partial<Trial>): Trial => ({ number, params: { x: number }, state: 'completed', intermediate: {}, ...patch });

test('a diverged trial ranks below every completed and pruned one; other failures are not ranked', () => {
  const trials: Trial[] = [
    trial(0, { state: 'failed', diverged: true, intermediate: { 1: [0.4] } }),
    trial(1, { values: [0.7], intermediate: { 1: [0.5], 2: [0.7] } }),
    trial(2, { state: 'failed', intermediate: { 1: [0.9] } }),
    trial(3, { state: 'pruned', intermediate: { 1: [0.2] } }),
    trial(4, { values: [0.8], intermediate: { 1: [0.6], 2: [0.8] } }),
    trial(5, { state: 'running', intermediate: { 1: [0.9] } }),
  ];
  const ranked = rankTrials({ directions: ['maximize'], trials }, createRng(1));
  assert.deepEqual(ranked.map((t) => t.number), [4, 1, 3, 0]);
});

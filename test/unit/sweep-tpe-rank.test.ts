// TPE's ranking of finished trials (good ones feed l(x), the rest g(x)): completed by loss, then pruned,
// then diverged ones; a trial that failed for another reason (a crash, a refused spec) tells nothing of
// its parameters and is left out; the GP takes diverged trials as the worst loss seen. Pure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../src/core/rng';
import { rankTrials } from '../../src/core/sweep/samplers/tpe';
import { createSampler, createSpace, sampleParams, type Trial } from '../../src/core/sweep';

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

test('diverged trials never make up the good set: all diverged draws from the prior; one completed among them is the only good one', () => {
  const space = createSpace({ x: { type: 'float', min: 0, max: 1, log: false } });
  const tpe = createSampler({ type: 'tpe', startupTrials: 2, candidates: 24, gamma: 0.5, priorWeight: 1, multivariate: false });
  // 40 diverged trials at x <= 0.2, the oldest lowest: ranked among themselves by age.
  const diverged = Array.from({ length: 40 }, (_, i) => trial(i, { state: 'failed', diverged: true, params: { x: 0.005 * (i + 1) } }));
  const all = { directions: ['maximize' as const], trials: diverged };
  for (const seed of [1, 2, 3]) assert.deepEqual(tpe.suggest(space, all, createRng(seed)), sampleParams(space, createRng(seed)), 'the prior, not the diverged trials');
  // One completed trial at 0.9. Counted by gamma alone, the good set would be it and the 20 oldest diverged
  // ones (x <= 0.1), and l(x) / g(x) would favour x near 0.05; the completed trial alone leads away from them.
  const one = { directions: ['maximize' as const], trials: [...diverged, trial(40, { values: [0.9], params: { x: 0.9 } })] };
  const xs = [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => tpe.suggest(space, one, createRng(seed))!.x as number);
  assert.ok(xs.every((x) => x > 0.2), `suggestions stay away from the diverged region: ${xs.map((x) => x.toFixed(2))}`);
});

test('GP: diverged trials enter at the worst loss seen, so it stops proposing the region that diverges', () => {
  const space = createSpace({ x: { type: 'float', min: 0, max: 1, log: false } });
  const gp = createSampler({ type: 'gp', startupTrials: 2, tpeEvery: 0 })!;
  // Accuracy rises with x up to 0.65; every trial from 0.75 up diverged.
  const done = [0.1, 0.3, 0.5, 0.6, 0.65].map((x, i) => trial(i, { params: { x }, values: [x] }));
  const above = (diverged: boolean) => [0.75, 0.8, 0.85, 0.9, 0.95, 1].map((x, i) => trial(10 + i, { params: { x }, state: 'failed', ...(diverged ? { diverged: true as const } : {}) }));
  const suggested = (diverged: boolean) => [1, 2, 3, 4].map((seed) => gp.suggest(space, { directions: ['maximize'], trials: [...done, ...above(diverged)] }, createRng(seed))!.x as number);
  for (const x of suggested(true)) assert.ok(x < 0.75, `kept out of the diverged region: ${x}`);
  // The same trials failed for reasons that say nothing of their parameters (a crash) are left out: the trend leads there.
  assert.ok(suggested(false).some((x) => x >= 0.75), 'without them the GP follows the trend into the region');
});

test('TPE\'s startup trials are the seed\'s draws whatever finished before them (several objectives: ParEGO draws only after startup)', () => {
  const space = createSpace({ x: { type: 'float', min: 0, max: 1, log: false } });
  const tpe = createSampler({ type: 'tpe', startupTrials: 5, candidates: 24, gamma: 0.5, priorWeight: 1, multivariate: false })!;
  const directions = ['maximize' as const, 'minimize' as const];
  const running = { directions, trials: [trial(0, { state: 'running' }), trial(1, { state: 'running' })] };
  const oneDone = { directions, trials: [trial(0, { values: [0.5, 3] }), trial(1, { state: 'running' })] };
  for (const seed of [1, 2, 3]) {
    assert.deepEqual(tpe.suggest(space, oneDone, createRng(seed)), tpe.suggest(space, running, createRng(seed)));
    assert.deepEqual(tpe.suggest(space, oneDone, createRng(seed)), sampleParams(space, createRng(seed)));
  }
});

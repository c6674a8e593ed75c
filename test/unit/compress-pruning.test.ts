// Known answers for magnitude pruning (exact counts per layer and globally, rounding stated) and the
// pruning schedules (Zhu & Gupta's polynomial at given steps, iterative cycles).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../src/core/rng';
import {
  isPruningStep, iterativeSparsity, magnitudeMasks, polynomialOver, polynomialSparsity, prunedCount, zerosIn,
} from '../../src/engine/compress';

const random = (n: number, seed: number) => {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.normal());
};

test('per layer: each layer loses exactly round(s * n) weights, the smallest |w|', () => {
  const layers = [random(1000, 1), random(333, 2), random(7, 3)];
  for (const s of [0, 0.1, 0.5, 0.9, 0.95, 0.999]) {
    const masks = magnitudeMasks(layers, { sparsity: s, scope: 'layer' });
    masks.forEach((m, j) => {
      assert.equal(zerosIn(m), Math.round(s * layers[j].length), `layer ${j} at ${s}`);
      const pruned = Math.max(0, ...Array.from(layers[j]).filter((_, i) => !m[i]).map(Math.abs));
      const kept = Math.min(Infinity, ...Array.from(layers[j]).filter((_, i) => m[i]).map(Math.abs));
      assert.ok(pruned <= kept, 'every pruned weight is no larger than every kept one');
    });
  }
  // Rounding: halves go up (Math.round): 0.5 of 7 prunes 4, 0.25 of 6 prunes 2 (1.5 -> 2).
  assert.equal(prunedCount(0.5, 7), 4);
  assert.equal(prunedCount(0.25, 6), 2);
});

test('global: round(s * N) weights across the pooled layers, one threshold; per-layer targets stay apart', () => {
  const layers = [random(500, 4).map((x) => x * 0.1), random(300, 5), random(200, 6).map((x) => x * 10)];
  const s = 0.8;
  const masks = magnitudeMasks(layers, { sparsity: s, scope: 'global' });
  assert.equal(masks.reduce((a, m) => a + zerosIn(m), 0), Math.round(s * 1000));
  assert.ok(zerosIn(masks[0]) > zerosIn(masks[2]), 'the layer of small weights loses more');
  const mixed = magnitudeMasks(layers, { sparsity: s, scope: 'global', layers: [undefined, 0.5, undefined] });
  assert.equal(zerosIn(mixed[1]), 150);
  assert.equal(zerosIn(mixed[0]) + zerosIn(mixed[2]), Math.round(s * 700));
});

test('ties are broken by position, and masks only grow: earlier pruned weights go first', () => {
  const w = Float32Array.from([1, 1, 1, 1, 2, 2]);
  assert.deepEqual(Array.from(magnitudeMasks([w], { sparsity: 0.5, scope: 'layer' })[0]), [0, 0, 0, 1, 1, 1]);
  const previous = Uint8Array.from([1, 1, 1, 1, 1, 0]);
  const w2 = Float32Array.from([3, 1, 2, 5, 4, 0]);
  assert.deepEqual(Array.from(magnitudeMasks([w2], { sparsity: 0.5, scope: 'layer' }, [previous])[0]), [1, 0, 0, 1, 1, 0]);
});

test('polynomial schedule (Zhu & Gupta): s_t = s_f + (s_i - s_f)(1 - (t - t0)/(n dt))^3 at the update steps', () => {
  const s = { initial: 0.1, final: 0.9, begin: 100, frequency: 50, updates: 4 };
  const expected: [number, number][] = [
    [0, 0], [99, 0], [100, 0.1], [149, 0.1], [150, 0.9 - 0.8 * 0.75 ** 3], [200, 0.9 - 0.8 * 0.5 ** 3], [250, 0.9 - 0.8 * 0.25 ** 3], [300, 0.9], [10_000, 0.9],
  ];
  for (const [t, v] of expected) assert.ok(Math.abs(polynomialSparsity(t, s) - v) < 1e-12, `step ${t}: ${polynomialSparsity(t, s)} vs ${v}`);
  assert.deepEqual([99, 100, 125, 150, 300, 350].map((t) => isPruningStep(t, s)), [false, true, false, true, true, false]);
  // Over a stage of 1000 steps from 0 to 0.75, every 100 steps: t0 = 0, n = 7 updates of 100 (the last at 700).
  assert.deepEqual(polynomialOver(1000, { initialSparsity: 0, sparsity: 0.8, begin: 0, end: 0.75, frequency: 100 }), { initial: 0, final: 0.8, begin: 0, frequency: 100, updates: 7 });
  // A stage shorter than the frequency still reaches the target, in one update at its end.
  const short = polynomialOver(30, { initialSparsity: 0, sparsity: 0.8, begin: 0, end: 1, frequency: 100 });
  assert.equal(polynomialSparsity(30, short), 0.8);
  // As the schema's `end` says: with a span shorter than the frequency, s_i at begin, s_f in one jump at end
  // (2 epochs of 34 steps, end 0.75, the default frequency 100: 0 until step 50, 0.8 from step 51).
  const demo = polynomialOver(68, { initialSparsity: 0, sparsity: 0.8, begin: 0, end: 0.75, frequency: 100 });
  assert.deepEqual([0, 50, 51, 68].map((t) => polynomialSparsity(t, demo)), [0, 0, 0.8, 0.8]);
  assert.deepEqual([0, 1, 50, 51, 52].map((t) => isPruningStep(t, demo)), [true, false, false, true, false]);
});

test('iterative cycles prune the same fraction of what is left: 1 - (1 - s)^(c / k), exactly s at the end', () => {
  assert.equal(iterativeSparsity(3, 3, 0.875), 0.875);
  assert.ok(Math.abs(iterativeSparsity(1, 3, 0.875) - 0.5) < 1e-12);
  assert.ok(Math.abs(iterativeSparsity(2, 3, 0.875) - 0.75) < 1e-12);
});

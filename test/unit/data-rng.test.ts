import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, derive } from '../../src/core/rng';

const draw = (seed: number, k: number): number[] => {
  const r = createRng(seed);
  return Array.from({ length: k }, () => r.next());
};

test('rng: the same seed gives the same sequence, another seed a different one', () => {
  assert.deepEqual(draw(42, 100), draw(42, 100));
  assert.notDeepEqual(draw(42, 100), draw(43, 100));
  assert.notDeepEqual(draw(0, 10), draw(2 ** 32, 10), 'seeds above 2^32 keep their high bits');
});

test('rng: known first values pin the sequence across platforms', () => {
  // Recorded once; the generator uses only 32-bit integer ops, so any change here is a real change.
  const r = createRng(1);
  const first = [r.next(), r.next(), r.next()].map((v) => Math.round(v * 2 ** 32));
  assert.deepEqual(first, [2343993246, 215809884, 367519338]);
});

test('rng: next() is uniform on [0, 1): mean 1/2, variance 1/12, no value outside', () => {
  const r = createRng(7);
  const n = 200_000;
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const v = r.next();
    assert.ok(v >= 0 && v < 1);
    s += v;
    s2 += v * v;
  }
  const mean = s / n;
  assert.ok(Math.abs(mean - 0.5) < 0.005, `mean ${mean}`);
  assert.ok(Math.abs(s2 / n - mean * mean - 1 / 12) < 0.002);
});

test('rng: normal() has mean 0, variance 1, and about 95.45% within 2 sigma', () => {
  const r = createRng(11);
  const n = 200_000;
  let s = 0;
  let s2 = 0;
  let within = 0;
  for (let i = 0; i < n; i++) {
    const v = r.normal();
    s += v;
    s2 += v * v;
    if (Math.abs(v) < 2) within++;
  }
  assert.ok(Math.abs(s / n) < 0.01, `mean ${s / n}`);
  assert.ok(Math.abs(s2 / n - 1) < 0.02, `variance ${s2 / n}`);
  assert.ok(Math.abs(within / n - 0.9545) < 0.005);
});

test('rng: int(n) covers 0..n-1 evenly', () => {
  const r = createRng(3);
  const counts = new Array(6).fill(0);
  for (let i = 0; i < 60_000; i++) counts[r.int(6)]++;
  for (const c of counts) assert.ok(Math.abs(c - 10_000) < 400, `counts ${counts}`);
  assert.throws(() => r.int(0), /integer/);
});

test('rng: shuffle permutes plain and typed arrays in place, reproducibly', () => {
  const a = Array.from({ length: 50 }, (_, i) => i);
  const t = Float32Array.from(a);
  assert.equal(createRng(5).shuffle(a), a);
  createRng(5).shuffle(t);
  assert.deepEqual(Array.from(t), a, 'same seed, same permutation whatever the array type');
  assert.notDeepEqual(a, [...a].sort((x, y) => x - y));
  assert.deepEqual([...a].sort((x, y) => x - y), Array.from({ length: 50 }, (_, i) => i));
});

test('derive: deterministic, 32-bit, and distinct for different labels', () => {
  assert.equal(derive(1, 'init', 0), derive(1, 'init', 0));
  const seeds = [derive(1, 'init', 0), derive(1, 'init', 1), derive(2, 'init', 0), derive(1, 'init0'), derive(1, 'init', '0'), derive(1)];
  assert.equal(new Set(seeds).size, seeds.length);
  for (const s of seeds) assert.ok(Number.isInteger(s) && s >= 0 && s < 2 ** 32);
  // Numbers that are not integers are labels of their own (an attack's eps): not truncated to an integer.
  const eps = [0.03, 0.1, 0.3, 0.5, 0, 1, 1.5].map((e) => derive(1, 'attack', 0, e));
  assert.equal(new Set(eps).size, eps.length);
  assert.equal(derive(1, 'attack', 0, 0.1), derive(1, 'attack', 0, 0.1));
  // Sub-streams from derived seeds are uncorrelated: their sample correlation is near 0.
  const a = draw(derive(9, 'a'), 20_000);
  const b = draw(derive(9, 'b'), 20_000);
  const cov = a.reduce((acc, v, i) => acc + (v - 0.5) * (b[i] - 0.5), 0) / a.length;
  assert.ok(Math.abs(cov * 12) < 0.03);
});

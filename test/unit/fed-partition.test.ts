// Partitions of a federation's training data (core/federated/partition.ts): every sample dealt exactly
// once, reproducible by seed, Dirichlet label shares distributed as Dir(alpha), McMahan's shards giving
// each client exactly two labels, and clear errors for splits that cannot be made.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apportion, partition, summarize, type Partition, type PartitionSpec } from '../../src/core/federated/partition';
import { dirichlet, gamma } from '../../src/core/federated/dirichlet';
import { createRng } from '../../src/core/rng';

/** Labels 0..classes-1, `perClass` of each, interleaved (as a shuffled data set would hold them). */
const labelsOf = (classes: number, perClass: number) => Float32Array.from({ length: classes * perClass }, (_, i) => i % classes);

function assertExactCover(p: Partition, n: number): void {
  const seen = new Uint8Array(n);
  for (const client of p) for (const i of client) seen[i]++;
  assert.ok(seen.every((c) => c === 1), 'every sample in exactly one client');
  assert.ok(p.every((c) => c.length > 0), 'no empty client');
  assert.ok(p.every((c) => c.every((v, j) => j === 0 || c[j - 1] < v)), 'indices ascending');
}

const SPECS: PartitionSpec[] = [
  { type: 'iid', sizeSigma: 0 },
  { type: 'iid', sizeSigma: 1 },
  { type: 'dirichlet', alpha: 0.1 },
  { type: 'dirichlet', alpha: 10 },
  { type: 'shards', shardsPerClient: 2 },
];

for (const spec of SPECS) {
  test(`partition ${JSON.stringify(spec)}: every sample once, same seed same deal, another seed another`, () => {
    const labels = labelsOf(10, 120);
    const a = partition(labels.length, 20, spec, 7, labels, 10);
    assertExactCover(a, labels.length);
    assert.deepEqual(partition(labels.length, 20, spec, 7, labels, 10), a);
    assert.notDeepEqual(partition(labels.length, 20, spec, 8, labels, 10), a);
  });
}

test('iid: equal sizes without sizeSigma, log-normal spread with it', () => {
  const equal = partition(1003, 10, { type: 'iid', sizeSigma: 0 }, 1).map((c) => c.length);
  assert.ok(equal.every((s) => s === 100 || s === 101), `${equal}`);
  const unequal = partition(10000, 50, { type: 'iid', sizeSigma: 1 }, 1).map((c) => c.length);
  assert.ok(Math.max(...unequal) / Math.min(...unequal) > 5, `sizes ${Math.min(...unequal)}..${Math.max(...unequal)}`);
});

test('apportion: proportional, exact total, at least the minimum', () => {
  assert.deepEqual(apportion(10, [1, 1, 2]), [3, 2, 5]);
  assert.deepEqual(apportion(7, [0, 0, 1], 1), [1, 1, 5]);
  assert.throws(() => apportion(2, [1, 1, 1], 1), /cannot give 3 parts/);
});

test('gamma and Dirichlet samplers: mean and variance of Gamma(a) and of Dir(alpha) shares', () => {
  const rng = createRng(3);
  for (const a of [0.3, 1, 4]) {
    const xs = Array.from({ length: 20000 }, () => gamma(a, rng));
    const m = xs.reduce((s, x) => s + x, 0) / xs.length;
    const v = xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length;
    assert.ok(Math.abs(m - a) < 0.05 * a + 0.01, `Gamma(${a}) mean ${m}`);
    assert.ok(Math.abs(v - a) < 0.1 * a, `Gamma(${a}) variance ${v}`);
  }
  const k = 5;
  const alpha = 0.5;
  const draws = Array.from({ length: 20000 }, () => dirichlet(k, alpha, rng)[0]);
  const m = draws.reduce((s, x) => s + x, 0) / draws.length;
  const v = draws.reduce((s, x) => s + (x - m) ** 2, 0) / draws.length;
  assert.ok(Math.abs(m - 1 / k) < 0.01, `share mean ${m}`);
  const expected = (k - 1) / (k * k * (k * alpha + 1));
  assert.ok(Math.abs(v - expected) < 0.07 * expected, `share variance ${v}, expected ${expected}`);
});

test('dirichlet partition: a class\'s shares over the clients have the Dir(alpha) mean and variance', () => {
  // Many classes, many samples each, so a share is close to its Dirichlet draw; variance over classes
  // and clients against (K - 1) / (K^2 (K alpha + 1)).
  const classes = 400;
  const clients = 10;
  const labels = labelsOf(classes, 500);
  for (const alpha of [0.1, 1, 10]) {
    const p = partition(labels.length, clients, { type: 'dirichlet', alpha }, 11, labels, classes);
    const hist = summarize(p, { type: 'dirichlet', alpha }, labels, classes).labels!;
    const shares = hist.flatMap((row) => row.map((count) => count / 500));
    const m = shares.reduce((s, x) => s + x, 0) / shares.length;
    const v = shares.reduce((s, x) => s + (x - m) ** 2, 0) / shares.length;
    const expected = (clients - 1) / (clients * clients * (clients * alpha + 1));
    assert.ok(Math.abs(m - 1 / clients) < 1e-9, `alpha ${alpha}: mean share ${m}`);
    assert.ok(Math.abs(v - expected) < 0.12 * expected, `alpha ${alpha}: share variance ${v.toFixed(5)}, Dir(alpha) gives ${expected.toFixed(5)}`);
  }
});

test('shards: sorted by label, cut into equal shards, every client holds exactly two labels', () => {
  // MNIST's shape at a tenth of the size: 6,000 samples, 600 per digit, 100 clients x 2 shards of 30.
  const labels = labelsOf(10, 600);
  for (const seed of [1, 2, 3]) {
    const p = partition(labels.length, 100, { type: 'shards', shardsPerClient: 2 }, seed, labels, 10);
    assertExactCover(p, labels.length);
    const hist = summarize(p, { type: 'shards', shardsPerClient: 2 }, labels, 10).labels!;
    const held = hist.map((row) => row.filter((c) => c > 0).length);
    assert.deepEqual(new Set(held), new Set([2]), `seed ${seed}: labels per client ${[...new Set(held)]}`);
    assert.ok(hist.every((row) => row.every((c) => c === 0 || c === 30)), 'each label a whole shard of 30');
  }
});

test('partitions that cannot be made say why', () => {
  const labels = labelsOf(10, 10);
  assert.throws(() => partition(100, 101, { type: 'iid', sizeSigma: 0 }, 1), /101 clients but only 100 training samples/);
  assert.throws(() => partition(100, 30, { type: 'shards', shardsPerClient: 2 }, 1, labels, 10), /100 samples do not divide into 60 shards/);
  assert.throws(() => partition(100, 10, { type: 'dirichlet', alpha: 1 }, 1), /needs a classification task/);
  assert.throws(() => partition(100, 100, { type: 'dirichlet', alpha: 1e-4 }, 1, labels, 10), /Dirichlet alpha 0.0001 left some of the 100 clients without samples/);
});

// The federated server's pure pieces on small hand-computed cases: aggregation rules (weighted mean,
// coordinate-wise median, trimmed mean, Krum / Multi-Krum), server optimisers (FedAvgM, FedAdam, FedYogi,
// FedAdagrad), DP-FedAvg's clipping and noise, and update compression (top-k with error feedback, q8).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serialize } from 'node:v8';
import { coordinateMedian, krum, krumSelect, trimmedMean, weightedMean, type ClientUpdate } from '../../src/engine/federated/aggregate';
import { serverStep, type ServerOptConfig } from '../../src/engine/federated/server-opt';
import { clipToNorm, dpMean, l2Norm } from '../../src/engine/federated/dp';
import { compress, decode, payloadBytes, quantize8, topK } from '../../src/engine/federated/compression';
import { byzantineClients, craftUpdate, flipLabels } from '../../src/engine/federated/attacks';
import { clientsPerRound, roundFates, sampleClients } from '../../src/engine/federated/sampling';
import { createRng } from '../../src/core/rng';

const u = (values: number[], weight = 1): ClientUpdate => ({ update: Float32Array.from(values), weight });
const near = (a: ArrayLike<number>, b: number[], tol = 1e-6) =>
  assert.ok(a.length === b.length && b.every((v, i) => Math.abs(a[i] - v) <= tol), `${Array.from(a)} vs ${b}`);

test('weightedMean: updates weighted by client samples (FedAvg)', () => {
  near(weightedMean([u([1, 2], 1), u([3, 6], 3)]), [2.5, 5]);
  near(weightedMean([u([1, -1], 2)]), [1, -1]);
  assert.throws(() => weightedMean([]), /no updates/);
  assert.throws(() => weightedMean([u([1]), u([1, 2])]), /updates of 2 and 1 values/);
});

test('coordinateMedian: per weight, odd and even counts', () => {
  near(coordinateMedian([u([1, 20]), u([5, 10]), u([3, 2])]), [3, 10]);
  near(coordinateMedian([u([1, 0]), u([2, 0]), u([10, 0]), u([20, 4])]), [6, 0]);
});

test('trimmedMean: drops floor(beta n) from each end per weight', () => {
  const ups = [u([1, -100]), u([2, 2]), u([3, 3]), u([4, 4]), u([100, 5])];
  near(trimmedMean(ups, 0.2), [3, 3]);
  near(trimmedMean(ups, 0), [22, -17.2], 1e-5);
  near(trimmedMean(ups, 0.1), [22, -17.2], 1e-5); // floor(0.5) = 0: nothing trimmed
});

test('krum: the update nearest its n - f - 2 neighbours; Multi-Krum averages the best m', () => {
  // 1-D: scores with f = 1 (2 nearest): 0 -> 0.05, 0.1 -> 0.02, 0.2 -> 0.02, 0.3 -> 0.05, 10 -> 190.13.
  const ups = [u([0]), u([0.1]), u([0.2]), u([0.3]), u([10])];
  assert.deepEqual(krumSelect(ups, 1), [1]);
  assert.deepEqual(krumSelect(ups, 1, 4), [1, 2, 0, 3]);
  near(krum(ups, 1), [0.1]);
  near(krum(ups, 1, 3), [0.1]);
  assert.throws(() => krum(ups, 2), /5 updates cannot tolerate 2 Byzantine ones \(needs n > 2f \+ 2 = 6\)/);
});

test('robust rules ignore a minority of huge updates; the mean does not', () => {
  const honest = [[1, 1], [1.1, 0.9], [0.9, 1.1], [1, 1.05], [1.05, 0.95], [0.95, 1], [1, 0.98]].map((v) => u(v));
  const evil = [u([-400, 400]), u([-410, 390])];
  const all = [...honest, ...evil];
  for (const [name, agg] of [['median', coordinateMedian(all)], ['trimmed', trimmedMean(all, 0.25)], ['krum', krum(all, 2)], ['multiKrum', krum(all, 2, 5)]] as const) {
    assert.ok(Math.abs(agg[0] - 1) < 0.15 && Math.abs(agg[1] - 1) < 0.15, `${name}: ${Array.from(agg)}`);
  }
  assert.ok(Math.abs(weightedMean(all)[0]) > 50, 'the mean is dragged away');
});

const cfg = (rule: ServerOptConfig['rule'], lr = 1): ServerOptConfig => ({ rule, lr, momentum: 0.9, beta1: 0.9, beta2: 0.99, tau: 1e-3 });

test('server optimisers: sgd, FedAvgM, and one step of FedAdam, FedYogi, FedAdagrad by Reddi et al.\'s Algorithm 2', () => {
  const x = Float32Array.from([0]);
  serverStep(x, Float32Array.from([2]), cfg('sgd', 0.5), {});
  near(x, [1]);
  const m = { m: undefined };
  const y = Float32Array.from([0]);
  serverStep(y, Float32Array.from([1]), cfg('avgm'), m);
  serverStep(y, Float32Array.from([1]), cfg('avgm'), m);
  near(y, [1 + 1.9]); // v = 1, then 0.9 + 1
  const g = 0.5;
  const tau = 1e-3;
  const v0 = tau * tau;
  const expectV = { adam: 0.99 * v0 + 0.01 * g * g, yogi: v0 + 0.01 * g * g, adagrad: v0 + g * g };
  for (const rule of ['adam', 'yogi', 'adagrad'] as const) {
    const z = Float32Array.from([0]);
    const s = {};
    serverStep(z, Float32Array.from([g]), cfg(rule, 0.01), s);
    near(z, [(0.01 * 0.1 * g) / (Math.sqrt(expectV[rule]) + tau)], 1e-7);
  }
});

test('DP-FedAvg: clip to the norm, the noised sum over the expected client count', () => {
  near(clipToNorm(Float32Array.from([3, 4]), 1), [0.6, 0.8]);
  near(clipToNorm(Float32Array.from([3, 4]), 10), [3, 4]);
  const rng = createRng(1);
  near(dpMean([Float32Array.from([3, 4]), Float32Array.from([0, 1])], 2, { clip: 1, noise: 0, expected: 2 }, rng), [0.3, 0.9]);
  // Noise std noise * clip / expected on every coordinate, even with no client.
  const d = 20000;
  const noised = dpMean([], d, { clip: 2, noise: 1.5, expected: 10 }, rng);
  const sd = l2Norm(noised) / Math.sqrt(d);
  assert.ok(Math.abs(sd - 0.3) < 0.01, `noise std ${sd}, expected 0.3`);
});

test('top-k: the k largest magnitudes as (index, value) pairs; decode puts them back', () => {
  const p = topK(Float32Array.from([0.1, -5, 3, 0.2, 3]), 2);
  assert.equal(p.kind, 'topk');
  if (p.kind !== 'topk') return;
  assert.deepEqual(Array.from(p.indices), [1, 2]);
  near(decode(p, [5]), [0, -5, 3, 0, 0]);
  assert.equal(payloadBytes(p), 4 + 2 * 8);
});

test('top-k with error feedback conserves the sum of updates: sent + final residual = sum of raw updates', () => {
  const rng = createRng(5);
  const d = 1000;
  const sizes = [600, 400];
  let residual: Float32Array | undefined;
  const raw = new Float64Array(d);
  const sent = new Float64Array(d);
  for (let t = 0; t < 30; t++) {
    const update = Float32Array.from({ length: d }, () => rng.normal());
    update.forEach((v, i) => (raw[i] += v));
    const out = compress(update, { type: 'topk', ratio: 0.05, errorFeedback: true }, sizes, rng, residual);
    decode(out.payload, sizes).forEach((v, i) => (sent[i] += v));
    residual = out.residual!;
  }
  let worst = 0;
  raw.forEach((v, i) => (worst = Math.max(worst, Math.abs(sent[i] + residual![i] - v))));
  assert.ok(worst < 1e-4, `largest difference ${worst}`);
  // Without feedback the dropped mass is gone for good.
  const lossy = compress(Float32Array.from({ length: d }, () => 1), { type: 'topk', ratio: 0.05, errorFeedback: false }, sizes, rng);
  assert.equal(lossy.residual, undefined);
  assert.equal(decode(lossy.payload, sizes).reduce((a, b) => a + b, 0), 50);
});

test('top-k keeps ceil(ratio x d) values, also where the product is not exact in floating point', () => {
  const rng = createRng(6);
  const kept = (ratio: number, d: number) => {
    const p = compress(Float32Array.from({ length: d }, (_, i) => i + 1), { type: 'topk', ratio, errorFeedback: false }, [d], rng).payload;
    return p.kind === 'topk' ? p.indices.length : NaN;
  };
  assert.equal(kept(0.07, 100), 7, '0.07 * 100 is 7.000000000000001 in float64');
  assert.equal(kept(0.29, 100), 29, '0.29 * 100 is 28.999999999999996');
  assert.equal(kept(0.071, 100), 8);
  assert.equal(kept(0.01, 107786), 1078);
});

test('q8: one byte per value, within a level of the input, unbiased by stochastic rounding', () => {
  const rng = createRng(9);
  const sizes = [3000, 1000];
  const v = Float32Array.from({ length: 4000 }, (_, i) => Math.sin(i) * (i < 3000 ? 1 : 0.01));
  const p = quantize8(v, sizes, rng);
  assert.equal(payloadBytes(p), 4000 + 2 * 8);
  const once = decode(p, sizes);
  once.forEach((x, i) => assert.ok(Math.abs(x - v[i]) <= (i < 3000 ? 2 : 0.02) / 255 + 1e-7, `value ${i}`));
  const mean = new Float64Array(4000);
  for (let r = 0; r < 200; r++) decode(quantize8(v, sizes, rng), sizes).forEach((x, i) => (mean[i] += x / 200));
  let bias = 0;
  mean.forEach((m, i) => (bias += (m - v[i]) / 4000));
  assert.ok(Math.abs(bias) < 1e-4, `mean error ${bias}`);
});

test('payload sizes are the bytes that cross the process boundary (structured clone carries them as binary)', () => {
  const rng = createRng(2);
  const d = 50_000;
  const v = Float32Array.from({ length: d }, () => rng.normal());
  for (const c of [undefined, { type: 'topk' as const, ratio: 0.01, errorFeedback: true }, { type: 'q8' as const, errorFeedback: false }]) {
    const { payload } = compress(v, c, [d], rng);
    const wire = serialize(payload).length;
    assert.ok(wire >= payloadBytes(payload) && wire < payloadBytes(payload) + 200, `${c?.type ?? 'dense'}: ${wire} bytes serialized, ${payloadBytes(payload)} counted`);
  }
});

test('sampling: C K clients per round, reproducible; fates; Byzantine clients fixed by seed; crafted updates', () => {
  assert.equal(clientsPerRound(100, 0.1), 10);
  assert.equal(clientsPerRound(100, 0.001), 1);
  const a = sampleClients(100, 0.1, 3, 7, false);
  assert.equal(a.length, 10);
  assert.deepEqual(sampleClients(100, 0.1, 3, 7, false), a);
  assert.notDeepEqual(sampleClients(100, 0.1, 4, 7, false), a);
  const sizes = Array.from({ length: 200 }, (_, r) => sampleClients(100, 0.1, r, 1, true).length);
  const m = sizes.reduce((x, y) => x + y, 0) / sizes.length;
  assert.ok(Math.abs(m - 10) < 1, `Poisson sampling: ${m} clients per round on average`);
  const fates = roundFates(10, 0.2, 0.3, 1, 1);
  assert.equal(fates.filter((f) => f.kind === 'dropped').length, 2);
  assert.equal(fates.filter((f) => f.kind === 'partial').length, 3);
  assert.deepEqual(byzantineClients(100, 0.2, 1), byzantineClients(100, 0.2, 1));
  assert.equal(byzantineClients(100, 0.2, 1).length, 20);
  near(craftUpdate(Float32Array.from([1, -2]), { type: 'signFlip', fraction: 0.2, scale: 4 }), [-4, 8]);
  near(craftUpdate(Float32Array.from([1, -2]), { type: 'scale', fraction: 0.2, scale: 10 }), [10, -20]);
  near(flipLabels(Float32Array.from([0, 3, 9]), 10), [9, 6, 0]);
});

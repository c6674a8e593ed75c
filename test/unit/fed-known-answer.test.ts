// Federated training end to end in this process (cpu backend, in-process client runner; the worker
// processes run the same client code): the known answers (FedAvg = SGD in the degenerate case, FedAvg of
// identical clients = each client, FedSGD = FedAvg with E = 1 and full batches) and the attack shown
// working against FedAvg and defeated by the median and Krum.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { validateSpec, type Spec } from '../../src/core/spec';
import { loadDataset, type Dataset } from '../../src/engine/data';
import { buildModel } from '../../src/engine/models';
import { evaluate, toTensors } from '../../src/engine/train/evaluate';
import { train } from '../../src/engine/train';
import { getFlat, layoutOf, setFlat } from '../../src/engine/federated/flat';
import { InProcessRunner } from '../../src/engine/federated/runner';
import { createFederation } from '../../src/engine/federated/setup';
import { runRound } from '../../src/engine/federated/round';
import { runClientTask, createClientModel } from '../../src/engine/federated/client';
import type { ClientResult } from '../../src/engine/federated/protocol';
import type { LocalConfig } from '../../src/engine/federated/local-train';
import { useCpu } from '../helpers/engine';
import { ROOT } from '../helpers/cli';

before(useCpu);

function specOf(federated: Record<string, unknown>, t: Record<string, unknown> = {}): Spec {
  const { spec, problems } = validateSpec({
    name: 'fed-test', seed: 4,
    data: { source: 'digits', split: { train: 0.8, val: 0, test: 0.2 }, normalize: 'scale' },
    model: { type: 'mlp', layers: [32] },
    train: { optimizer: 'sgd', lr: 0.1, ...t },
    federated,
  }, { baseDir: ROOT });
  assert.deepEqual(problems, []);
  return spec!;
}

/** A federation of `spec` in this process from the model's seeded initial weights; returns what it needs to go on. */
function setup(spec: Spec, data: Dataset) {
  const model = buildModel(spec.model, data, spec.seed, 0);
  const runner = new InProcessRunner({ model: spec.model, dropout: 0, inputShape: data.inputShape, classes: data.classes, seed: spec.seed, backend: 'cpu', kernels: [], threads: 1 });
  const { fed, state } = createFederation(spec, data, layoutOf(model).sizes, getFlat(model), runner);
  return { model, runner, fed, state, initial: getFlat(model) };
}

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

test('FedAvg with C = 1, E = 1, full-batch local SGD equals one full-batch SGD step on the union of the clients\' data', async () => {
  // Unequal clients (log-normal sizes), so the weighting by samples matters.
  const spec = specOf({ clients: 5, fraction: 1, localEpochs: 1, batchSize: 0, rounds: 1, partition: { type: 'iid', sizeSigma: 1 } });
  const data = loadDataset(spec.data, spec.seed, ROOT);
  const { model, runner, fed, state, initial } = setup(spec, data);
  const sizes = fed.clients.map((c) => c.length);
  assert.ok(Math.max(...sizes) > 2 * Math.min(...sizes), `unequal clients: ${sizes}`);
  const out = await runRound(fed, state, 1, () => false);
  assert.equal(out.reported, 5);
  // Central: the training loop itself, one epoch of one full batch, from the same initial weights.
  setFlat(model, initial);
  await train(model, data, { ...spec.train, batchSize: 0, epochs: 1 }, spec.seed, { onEpoch: () => {}, shouldStop: () => false });
  const central = getFlat(model);
  assert.ok(maxDiff(central, initial) > 1e-3, 'the step moved the weights');
  assert.ok(maxDiff(state.weights, central) < 1e-6, `largest difference ${maxDiff(state.weights, central)}`);
  await runner.close();
  model.dispose();
});

test('FedSGD is FedAvg with E = 1 and full batches: the same global model', async () => {
  const data = loadDataset(specOf({ clients: 4 }).data, 4, ROOT);
  const results = [];
  for (const f of [{ algorithm: 'fedsgd' }, { algorithm: 'fedavg', localEpochs: 1, batchSize: 0 }]) {
    const spec = specOf({ clients: 4, fraction: 0.5, rounds: 2, ...f }, { optimizer: 'sgd' });
    const { model, runner, fed, state } = setup(spec, data);
    for (let r = 1; r <= 2; r++) await runRound(fed, state, r, () => false);
    results.push(state.weights);
    await runner.close();
    model.dispose();
  }
  assert.ok(maxDiff(results[0], results[1]) === 0);
});

/** The weights one client reaches alone from `initial` on the samples `idx` with local settings `local`. */
async function ownTraining(spec: Spec, data: Dataset, idx: Uint32Array, initial: Float32Array, local: Partial<LocalConfig>): Promise<Float32Array> {
  const alone = createClientModel({ model: spec.model, dropout: 0, inputShape: data.inputShape, classes: data.classes, seed: spec.seed, backend: 'cpu', kernels: [], threads: 1 });
  const rows = data.inputShape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(idx.length * rows);
  idx.forEach((r, i) => x.set(data.train.x.subarray(r * rows, (r + 1) * rows), i * rows));
  const r = await runClientTask(alone, {
    round: 1, client: 0, weights: initial, x, y: Float32Array.from(idx, (i) => data.train.y[i]), n: idx.length,
    local: { optimizer: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 0, l1: 0, l2: 0, regularizeBias: false, clipNorm: 0, epochs: 1, batch: 0, mu: 0, seed: 123, ...local },
  });
  alone.model.dispose();
  return initial.map((w, i) => w + (r.payload.kind === 'dense' ? r.payload.values[i] : NaN));
}

test('FedAvg of identical clients equals each client\'s own local training', async () => {
  // Three clients with the same data; full batches, so no shuffle tells them apart; Adam locally, 3 epochs.
  const spec = specOf({ clients: 3, fraction: 1, localEpochs: 3, batchSize: 0, rounds: 1 }, { optimizer: 'adam', lr: 0.01 });
  const data = loadDataset(spec.data, spec.seed, ROOT);
  const { model, runner, fed, state, initial } = setup(spec, data);
  fed.clients = [fed.clients[0], fed.clients[0], fed.clients[0]];
  await runRound(fed, state, 1, () => false);
  const own = await ownTraining(spec, data, fed.clients[0], initial, { optimizer: 'adam', lr: 0.01, epochs: 3 });
  assert.ok(maxDiff(own, initial) > 1e-3);
  assert.ok(maxDiff(state.weights, own) < 1e-6, `largest difference ${maxDiff(state.weights, own)}`);
  await runner.close();
  model.dispose();
});

test('DP-FedAvg divides by the updates expected after dropout: identical clients, no noise, half dropping out, the mean is each client', async () => {
  // q = 1 samples all 4; dropout 0.5 fails 2 of them. The sum of 2 identical clipped updates over 4 x (1 - 0.5).
  const spec = specOf({ clients: 4, fraction: 1, localEpochs: 1, batchSize: 0, rounds: 1, dropout: 0.5, privacy: { clip: 1e6, noise: 0 } });
  const data = loadDataset(spec.data, spec.seed, ROOT);
  const { model, runner, fed, state, initial } = setup(spec, data);
  fed.clients = fed.clients.map(() => fed.clients[0]);
  const out = await runRound(fed, state, 1, () => false);
  assert.equal(out.reported, 2);
  const own = await ownTraining(spec, data, fed.clients[0], initial, {});
  assert.ok(maxDiff(own, initial) > 1e-3);
  assert.ok(maxDiff(state.weights, own) < 1e-6, `largest difference ${maxDiff(state.weights, own)}`);
  await runner.close();
  model.dispose();
});

test('a client past the round deadline is dropped: the round averages the others, counts it late and cancels it', async () => {
  const spec = specOf({ clients: 5, fraction: 1, localEpochs: 1, batchSize: 0, rounds: 1, deadline: 2, partition: { type: 'iid', sizeSigma: 1 } });
  const data = loadDataset(spec.data, spec.seed, ROOT);
  const { model, runner, fed, state, initial } = setup(spec, data);
  // Client 2 never answers (an agent gone silent); the others train for real.
  const answered: ClientResult[] = [];
  const cancelled: number[] = [];
  fed.runner = {
    run: (task, skip) => (task.client === 2 ? new Promise<never>(() => {}) : runner.run(task, skip).then((r) => (r && answered.push(r), r))),
    cancel: async (task) => (cancelled.push(task.client), false),
    close: () => runner.close(),
  };
  const t0 = Date.now();
  const out = await runRound(fed, state, 1, () => false);
  assert.ok(Date.now() - t0 >= 1990, 'the round waited for the deadline');
  assert.deepEqual([out.reported, out.late, out.skipped, out.metrics.late_clients, out.metrics.clients], [4, 1, 0, 1, 4]);
  assert.deepEqual(cancelled, [2]);
  // Client 2 had started: it downloaded the model like the four that answered.
  assert.equal(out.metrics.download_bytes, 5 * initial.length * 4);
  // By hand: the global model moves by the sample-weighted mean of the four updates that came.
  const n = answered.reduce((a, r) => a + r.n, 0);
  const expected = initial.map((w, i) => w + answered.reduce((a, r) => a + (r.payload.kind === 'dense' ? r.payload.values[i] : NaN) * r.n, 0) / n);
  assert.ok(maxDiff(state.weights, initial) > 1e-3, 'the round moved the model');
  assert.ok(maxDiff(state.weights, expected) < 1e-6, `largest difference ${maxDiff(state.weights, expected)}`);
  await runner.close();
  model.dispose();
});

test('late clients that never started (still queued at the deadline) did not download the model: download_bytes leaves them out', async () => {
  const spec = specOf({ clients: 4, fraction: 1, localEpochs: 1, batchSize: 0, rounds: 1, deadline: 0.5, partition: { type: 'iid', sizeSigma: 1 } });
  const data = loadDataset(spec.data, spec.seed, ROOT);
  const { model, runner, fed, state, initial } = setup(spec, data);
  // One worker: client 0 trains and answers, client 1 starts and goes silent, clients 2 and 3 wait behind it.
  fed.runner = {
    run: (task, skip) => (task.client === 0 ? runner.run(task, skip) : new Promise<never>(() => {})),
    cancel: async (task) => task.client >= 2,
    close: () => runner.close(),
  };
  const out = await runRound(fed, state, 1, () => false);
  assert.deepEqual([out.reported, out.late], [1, 3]);
  assert.equal(out.metrics.download_bytes, 2 * initial.length * 4);
  assert.equal(out.metrics.upload_bytes, initial.length * 4);
  await runner.close();
  model.dispose();
});

test('a round cut short by a stop is discarded: weights, server optimiser, accountant, error feedback and totals stay as the last complete round left them', async () => {
  // fedavgm keeps server momentum, privacy an accountant, top-k error-feedback memories: all must stay put.
  const spec = specOf({ algorithm: 'fedavgm', clients: 6, fraction: 1, localEpochs: 1, batchSize: 0, rounds: 2, privacy: { noise: 0.5 }, compression: { type: 'topk', ratio: 0.1 } });
  const data = loadDataset(spec.data, spec.seed, ROOT);
  const { model, runner, fed, state } = setup(spec, data);
  await runRound(fed, state, 1, () => false);
  assert.ok(state.server.m, 'round 1 gave the server a momentum');
  const asArrays = (_k: string, v: unknown) => (v instanceof Float32Array ? [...v] : v instanceof Map ? [...v] : v);
  const snapshot = () => JSON.stringify({ ...state, accountant: state.accountant!.epsilon(1e-5) }, asArrays);
  const before = snapshot();
  assert.ok(state.residuals.size > 0, 'top-k left error-feedback memories');
  // The stop comes once the first client of round 2 has reported: the five others are skipped.
  let reported = 0;
  const inner = fed.runner;
  fed.runner = { run: (task, skip) => inner.run(task, skip).then((r) => (r && reported++, r)), close: () => inner.close() };
  const out = await runRound(fed, state, 2, () => reported >= 1);
  assert.deepEqual([out.reported, out.skipped, out.sampled], [1, 5, 6]);
  assert.deepEqual(out.metrics, {}, 'no metrics for a discarded round');
  assert.equal(snapshot(), before);
  await runner.close();
  model.dispose();
});

/** Test accuracy of the global model after `rounds` rounds of `spec`. */
async function federate(spec: Spec, data: Dataset, rounds: number): Promise<number> {
  const { model, runner, fed, state } = setup(spec, data);
  for (let r = 1; r <= rounds; r++) await runRound(fed, state, r, () => false);
  setFlat(model, state.weights);
  const test = toTensors(data.test, data.inputShape);
  const acc = (await evaluate(model, test, data, 'test_')).test_accuracy;
  tf.dispose([test.x, test.y]);
  await runner.close();
  model.dispose();
  return acc;
}

test('20% sign-flipping clients: FedAvg fails, the coordinate-wise median and Krum keep their accuracy', async (t) => {
  const base = { clients: 20, fraction: 0.5, localEpochs: 2, batchSize: 10, rounds: 15 };
  const data = loadDataset(specOf(base).data, 4, ROOT);
  const attack = { type: 'signFlip', fraction: 0.2, scale: 4 };
  const clean = await federate(specOf(base), data, base.rounds);
  const attacked = await federate(specOf({ ...base, attack }), data, base.rounds);
  const median = await federate(specOf({ ...base, attack, aggregation: { rule: 'median' } }), data, base.rounds);
  const krum = await federate(specOf({ ...base, attack, aggregation: { rule: 'krum', byzantine: 3 } }), data, base.rounds);
  const report = `clean ${clean.toFixed(3)}, attacked: mean ${attacked.toFixed(3)}, median ${median.toFixed(3)}, krum ${krum.toFixed(3)}`;
  t.diagnostic(report);
  assert.ok(clean > 0.85, report);
  assert.ok(attacked < clean - 0.3, `FedAvg should fail: ${report}`);
  assert.ok(median > clean - 0.08, `median should hold: ${report}`);
  assert.ok(krum > clean - 0.1, `Krum should hold: ${report}`);
});

// Adversarial training through Hone's loop (engine/robust/adversarial.ts): Fast-AT makes a digits MLP
// markedly more robust than standard training; PGD-AT and TRADES train; every epoch records
// val_robust_accuracy; keepBest keeps the best robust epoch; nothing leaks from epoch to epoch.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { validateSpec } from '../../src/core/spec';
import type { RobustTrain } from '../../src/core/spec/robust-types';
import { selectionMetric } from '../../src/core/spec/selection';
import type { ModelSpec } from '../../src/core/spec/types';
import { loadDataset } from '../../src/engine/data';
import { buildModel } from '../../src/engine/models';
import { adversarialTraining } from '../../src/engine/robust/adversarial';
import { networkLogits } from '../../src/engine/robust/classifier';
import { evaluateRobustness } from '../../src/engine/robust/evaluate';
import { train, type TrainCheckpoint } from '../../src/engine/train';
import type { MetricLine } from '../../src/core/store/types';
import { digitsData, trainSpec, useCpu } from '../helpers/engine';

before(useCpu);

const MLP: ModelSpec = { type: 'mlp', layers: [64], activation: 'relu', dropout: 0 };
const data = loadDataset(digitsData(), 4, process.cwd());
const identity = { a: new Float32Array(64).fill(1), b: new Float32Array(64) };
const robustTrain = (r: Partial<RobustTrain>): RobustTrain => ({ method: 'fast', eps: 0.1, alpha: 0.125, steps: 5, beta: 6, validation: { points: 150, steps: 5 }, keepBest: true, collapseDrop: 0.2, ...r });

/** Trains with (or without) adversarial training; returns the model, the epoch lines and robust accuracy at eps 0.1 (PGD-20) on the test part. */
async function fit(r: RobustTrain | undefined, epochs: number) {
  const t = trainSpec({ epochs, batchSize: 64, lr: 0.01 });
  const model = buildModel(MLP, data, 4, 0);
  const adv = r ? adversarialTraining(model, data, identity, r, t, 4, () => undefined) : undefined;
  const lines: MetricLine[] = [];
  const result = await train(model, data, adv?.train ?? t, 4, { onEpoch: (l) => void lines.push(l), shouldStop: () => false, ...adv?.hooks });
  adv?.dispose();
  const [a, b] = [tf.ones([1, 8, 8, 1]), tf.zeros([1, 8, 8, 1])];
  const n = data.test.n;
  const rep = await evaluateRobustness(networkLogits(model, a, b), { x: data.test.x, y: Int32Array.from(data.test.y), shape: [8, 8, 1], n }, {
    eps: 0.1, norm: 'linf', attacks: [{ attack: 'pgd', steps: 20, restarts: 1, stepSize: 0.125, randomStart: true }], points: n, batch: 200, checks: false,
  }, { seed: 1, space: '' });
  tf.dispose([a, b]);
  return { model, lines, result, robust: rep.perEps[0].robustAccuracy, report: adv?.report(result.bestEpoch) };
}

test('Fast-AT (FGSM from a random start) makes a digits MLP far more robust than standard training, at a small cost in clean accuracy', async () => {
  const tensors = tf.memory().numTensors;
  const std = await fit(undefined, 15);
  const fast = await fit(robustTrain({}), 15);
  assert.ok(fast.robust > std.robust + 0.25, `robust accuracy at eps 0.1: Fast-AT ${fast.robust}, standard ${std.robust}`);
  assert.ok(fast.result.final.test_accuracy > 0.85, `clean ${fast.result.final.test_accuracy}`);
  assert.ok(fast.lines.every((l) => typeof l.metrics.val_robust_accuracy === 'number'));
  assert.equal(new Set(fast.lines.map((l) => l.tensors)).size, 1, `tensors per epoch: ${fast.lines.map((l) => l.tensors)}`);
  // keepBest: the weights kept are those of the epoch with the best val_robust_accuracy.
  const best = fast.lines.reduce((p, l) => (l.metrics.val_robust_accuracy > p.metrics.val_robust_accuracy ? l : p));
  assert.equal(fast.result.bestEpoch, best.epoch);
  assert.equal(fast.report?.keptEpoch, best.epoch);
  assert.equal(fast.result.final.val_robust_accuracy, best.metrics.val_robust_accuracy);
  std.model.dispose();
  fast.model.dispose();
  assert.equal(tf.memory().numTensors, tensors);
});

test('with keepBest, catastrophic overfitting ends training at the fall, and the best epoch before it is kept', async () => {
  // A collapseDrop this small makes the first fall of val_robust_accuracy below its best a collapse.
  const r = await fit(robustTrain({ collapseDrop: 1e-6 }), 15);
  const v = r.lines.map((l) => l.metrics.val_robust_accuracy);
  const fall = v.findIndex((x, i) => Math.max(-Infinity, ...v.slice(0, i)) - x > 1e-6);
  assert.equal(fall, v.length - 1, `training ended at epoch ${v.length}; val_robust_accuracy ${v}`);
  assert.ok(fall > 0 && fall < 14, `a fall within 15 epochs (else this test proves nothing): ${v}`);
  const kept = v.indexOf(Math.max(...v)) + 1;
  assert.ok(kept <= fall);
  assert.equal(r.result.bestEpoch, kept);
  assert.equal(r.report?.collapse?.epoch, fall + 1);
  assert.equal(r.report?.keptEpoch, kept);
  assert.match(r.result.message, new RegExp(`^catastrophic overfitting at epoch ${fall + 1}: training ended there .*; restored the weights of epoch ${kept} `));
  r.model.dispose();
});

test('a run resumed from a checkpoint before the fall sees the same collapse: the guard goes on from the epochs before it', async () => {
  const t = trainSpec({ epochs: 15, batchSize: 64, lr: 0.01, checkpoint: { every: 1 } });
  const r = robustTrain({ collapseDrop: 1e-6 });
  const run = async (from?: TrainCheckpoint, before: MetricLine[] = []) => {
    const model = buildModel(MLP, data, 4, 0);
    const adv = adversarialTraining(model, data, identity, r, t, 4, () => undefined);
    adv.resume(before);
    const lines: MetricLine[] = [];
    const checkpoints: TrainCheckpoint[] = [];
    const result = await train(model, data, adv.train, 4, { onEpoch: (l) => void lines.push(l), shouldStop: () => false, onCheckpoint: (c) => void checkpoints.push(c), ...adv.hooks }, from);
    const report = adv.report(result.bestEpoch);
    adv.dispose();
    model.dispose();
    return { lines, checkpoints, result, report };
  };
  const straight = await run();
  const fall = straight.report.collapse?.epoch ?? 0;
  assert.ok(fall > 2, `a fall after epoch 2 (else this test proves nothing): ${straight.lines.map((l) => l.metrics.val_robust_accuracy)}`);
  const resumed = await run(straight.checkpoints[fall - 2], straight.lines.slice(0, fall - 1));
  assert.deepEqual(resumed.report.collapse, straight.report.collapse);
  assert.equal(resumed.result.message, straight.result.message);
  assert.deepEqual(resumed.report.best, straight.report.best);
});

test('without keepBest, a collapse is reported and training goes on', async () => {
  const r = await fit(robustTrain({ collapseDrop: 1e-6, keepBest: false }), 6);
  assert.equal(r.lines.length, 6);
  assert.ok(r.report?.collapse, `a fall within 6 epochs: ${r.lines.map((l) => l.metrics.val_robust_accuracy)}`);
  assert.equal(r.result.bestEpoch, undefined);
  r.model.dispose();
});

for (const method of ['pgd', 'trades'] as const) {
  test(`${method} adversarial training trains and records val_robust_accuracy each epoch, without leaking tensors`, async () => {
    const tensors = tf.memory().numTensors;
    const r = await fit(robustTrain({ method, alpha: 0.025, steps: 5, beta: 3 }), 4);
    assert.equal(r.lines.length, 4);
    assert.ok(r.lines.every((l) => l.metrics.val_robust_accuracy >= 0 && l.metrics.val_robust_accuracy <= 1));
    assert.ok(r.lines.at(-1)!.metrics.val_accuracy > 0.6, `val accuracy ${r.lines.at(-1)!.metrics.val_accuracy}`);
    assert.equal(new Set(r.lines.map((l) => l.tensors)).size, 1, `tensors per epoch: ${r.lines.map((l) => l.tensors)}`);
    assert.equal(r.report?.method, method);
    r.model.dispose();
    assert.equal(tf.memory().numTensors, tensors);
  });
}

test("Fast-AT keeps its best epoch by the run's selection metric, one that every epoch records", async () => {
  const raw = JSON.parse(readFileSync('examples/digits-fast-at.hone.json', 'utf8'));
  const spec = validateSpec(raw, { baseDir: 'examples' }).spec!;
  const model = buildModel(MLP, data, 4, 0);
  const adv = adversarialTraining(model, data, identity, spec.robustness!.train!, spec.train, 4, () => undefined);
  const selected = selectionMetric(spec);
  assert.equal(selected, 'val_robust_accuracy');
  assert.equal(adv.train.earlyStopping?.metric, selected);
  assert.equal(typeof (await adv.hooks.epochMetrics!(1))[selected], 'number');
  adv.dispose();
  model.dispose();
});

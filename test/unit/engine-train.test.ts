// The training loop's contract: determinism by seed, early stopping that restores the best weights,
// divergence detection, and no tensor leaks across epochs.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { evaluate } from '../../src/engine/train';
import { toTensors } from '../../src/engine/train/evaluate';
import { earlyStoppingStep, initialStopper } from '../../src/engine/train/early-stopping';
import { digitsData, trainOnce, trainSpec, useCpu } from '../helpers/engine';

before(useCpu);

const mlp = { type: 'mlp' as const, layers: [32], activation: 'relu' as const, dropout: 0.2 };

test('same seed gives identical metrics (minibatches, shuffling, dropout); another seed does not', async () => {
  const t = trainSpec({ epochs: 3, batchSize: 64 });
  const a = await trainOnce(digitsData(), mlp, t, 5);
  const b = await trainOnce(digitsData(), mlp, t, 5);
  const c = await trainOnce(digitsData(), mlp, t, 6);
  // `time` is wall-clock and `tensors` counts every model alive in this process, so neither is compared.
  const strip = (lines: typeof a.lines) => lines.map(({ time, tensors, ...rest }) => rest);
  assert.deepEqual(strip(a.lines), strip(b.lines));
  assert.deepEqual(a.result.final, b.result.final);
  assert.notDeepEqual(strip(a.lines).map((l) => l.metrics), strip(c.lines).map((l) => l.metrics));
});

test('the tensor count is the same at the start of every epoch', async () => {
  const { lines } = await trainOnce(digitsData(), mlp, trainSpec({ epochs: 4, batchSize: 128, l2: 1e-3, l1: 1e-4, clipNorm: 1, optimizer: 'adamw', schedule: { type: 'cosine', warmupEpochs: 1, minLr: 0 } }), 1);
  assert.equal(lines.length, 4);
  assert.equal(new Set(lines.map((l) => l.tensors)).size, 1, `tensor counts: ${lines.map((l) => l.tensors)}`);
});

test('early stopping stops after `patience` epochs without improvement and restores the best weights', async () => {
  const big = { type: 'mlp' as const, layers: [256, 256], activation: 'relu' as const, dropout: 0 };
  const earlyStopping = { metric: 'val_loss', patience: 3, minDelta: 0, mode: 'auto' as const };
  const { result, lines, model, data } = await trainOnce(
    digitsData({ train: 0.2, val: 0.4, test: 0.4 }),
    big,
    trainSpec({ epochs: 150, lr: 0.01, batchSize: 16, earlyStopping }),
    2,
  );
  assert.ok(result.epochsDone < 150, 'the overfitting run should stop early');
  const best = lines.reduce((b, l) => (l.metrics.val_loss < b.metrics.val_loss ? l : b));
  assert.equal(result.bestEpoch, best.epoch);
  assert.equal(result.epochsDone, best.epoch + 3);
  assert.equal(result.final.val_loss, best.metrics.val_loss);
  assert.match(result.message, /early stopping/);
  // The model in memory really holds the best epoch's weights: re-evaluating gives its val_loss.
  const val = toTensors(data.val, data.inputShape);
  const again = await evaluate(model, val, data, 'val_');
  tf.dispose([val.x, val.y]);
  assert.ok(Math.abs(again.val_loss - best.metrics.val_loss) < 1e-5, `${again.val_loss} vs ${best.metrics.val_loss}`);
  assert.ok(result.final.test_accuracy > 0.8);
});

test('a run whose loss becomes NaN or infinite is diverged', async () => {
  const data = { source: 'regression' as const, samples: 200, features: 2, informative: 2, noise: 1, bias: 0, split: { train: 0.8, val: 0, test: 0.2 }, normalize: 'standard' as const, normalizeTarget: false };
  const { result, lines } = await trainOnce(data, { type: 'linear' }, trainSpec({ optimizer: 'sgd', lr: 50, batchSize: 0, epochs: 200 }), 1);
  assert.equal(result.status, 'diverged');
  assert.ok(lines.length < 200);
  assert.match(result.message, /^(loss became (NaN|-?Infinity) at epoch|weights became (NaN|-?Infinity) at the end of epoch) \d+$/);
});

test('an update that breaks the weights in the last step of the last epoch is diverged, not completed with NaN test metrics', async () => {
  const data = { source: 'regression' as const, samples: 200, features: 2, informative: 2, noise: 1, bias: 0, split: { train: 0.8, val: 0, test: 0.2 }, normalize: 'standard' as const, normalizeTarget: false };
  // A rate beyond float32 (the schema stops at 1000; the loop is given it directly): one step makes every weight infinite.
  const { result, lines } = await trainOnce(data, { type: 'linear' }, trainSpec({ optimizer: 'sgd', lr: 1e39, batchSize: 0, epochs: 1 }), 1);
  assert.ok(Number.isFinite(lines[0].metrics.loss), 'the loss, measured before the step, was finite');
  assert.equal(result.status, 'diverged');
  assert.match(result.message, /^weights became (NaN|-?Infinity) at the end of epoch 1$/);
});

test('with early stopping, a diverged run reports its last epoch, not the best one it did not restore', async () => {
  const data = { source: 'regression' as const, samples: 200, features: 2, informative: 2, noise: 1, bias: 0, split: { train: 0.6, val: 0.2, test: 0.2 }, normalize: 'standard' as const, normalizeTarget: false };
  const earlyStopping = { metric: 'val_loss', patience: 500, minDelta: 0, mode: 'auto' as const };
  const { result, lines } = await trainOnce(data, { type: 'linear' }, trainSpec({ optimizer: 'sgd', lr: 50, batchSize: 0, epochs: 200, earlyStopping }), 1);
  assert.equal(result.status, 'diverged');
  assert.equal(result.bestEpoch, undefined);
  assert.deepEqual(result.final, lines[lines.length - 1].metrics);
});

test('early stopping: a NaN value is no improvement (it neither resets patience nor becomes the best epoch)', () => {
  const c = { metric: 'val_loss', patience: 2, minDelta: 0, mode: 'auto' as const };
  let s = initialStopper();
  const steps = [NaN, 0.5, NaN, NaN].map((v, i) => {
    const r = earlyStoppingStep(c, s, i + 1, v);
    s = r.state;
    return [r.improved, r.stop];
  });
  assert.deepEqual(steps, [[false, false], [true, false], [false, false], [false, true]]);
  assert.deepEqual(s, { best: 0.5, bestEpoch: 2, wait: 2 });
});

test('early stopping on a metric the run does not record fails, naming it and what the run records', async () => {
  // Regression records mse, not accuracy: read as undefined, val_accuracy once kept epoch 1's weights as "completed".
  const data = { source: 'regression' as const, samples: 100, features: 2, informative: 2, noise: 1, bias: 0, split: { train: 0.6, val: 0.2, test: 0.2 }, normalize: 'standard' as const, normalizeTarget: false };
  const earlyStopping = { metric: 'val_accuracy', patience: 2, minDelta: 0, mode: 'auto' as const };
  await assert.rejects(
    trainOnce(data, { type: 'linear' }, trainSpec({ epochs: 20, lr: 0.05, earlyStopping }), 1),
    { message: 'early stopping watches val_accuracy, which this run does not record: its epochs record loss, mse, val_loss, val_mse' },
  );
});

test('a stop request ends training as stopped, with the epoch so far recorded', async () => {
  let batches = 0;
  const { result, lines } = await trainOnce(digitsData(), mlp, trainSpec({ epochs: 20, batchSize: 32 }), 1, { shouldStop: () => ++batches > 50 });
  assert.equal(result.status, 'stopped');
  assert.equal(lines.length, 2, 'epoch 1 (34 batches) completes, epoch 2 ends after its 17th batch');
  assert.ok(Number.isFinite(result.final.test_loss));
});

test('metric names follow Keras for classification and regression', async () => {
  const cls = await trainOnce(digitsData(), { type: 'linear' }, trainSpec({ epochs: 1, l2: 1e-3 }), 1);
  assert.deepEqual(Object.keys(cls.lines[0].metrics).sort(), ['accuracy', 'loss', 'penalty', 'val_accuracy', 'val_loss']);
  assert.ok('test_accuracy' in cls.result.final && 'test_loss' in cls.result.final);
  const reg = await trainOnce(
    { source: 'regression', samples: 100, features: 2, informative: 2, noise: 1, bias: 0, split: { train: 0.6, val: 0.2, test: 0.2 }, normalize: 'standard', normalizeTarget: true },
    { type: 'linear' }, trainSpec({ epochs: 1 }), 1,
  );
  assert.deepEqual(Object.keys(reg.lines[0].metrics).sort(), ['loss', 'mse', 'val_loss', 'val_mse']);
  // With a standardised target, loss is in standard units and mse in the target's own units.
  const std = reg.data.target!.std;
  assert.ok(Math.abs(reg.lines[0].metrics.val_mse - reg.lines[0].metrics.val_loss * std * std) < 1e-6 * reg.lines[0].metrics.val_mse);
});

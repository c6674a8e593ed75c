// Hone's training loop on wasm (with Hone's kernels: plain matmuls for backprop, row gathers, conv and
// pooling gradients) takes the same path as on the reference cpu backend: same losses, same accuracy.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { loadWasmAndCpu } from '../helpers/backends';
import { digitsData, trainOnce, trainSpec } from '../helpers/engine';
import type { ModelSpec } from '../../src/core/spec/types';

before(loadWasmAndCpu);

async function onBoth(model: ModelSpec, epochs: number) {
  const t = trainSpec({ epochs, batchSize: 64, lr: 0.003 });
  const runs = [];
  for (const backend of ['wasm', 'cpu']) {
    await tf.setBackend(backend);
    const r = await trainOnce(digitsData(), model, t, 4);
    r.model.dispose();
    runs.push(r);
  }
  return runs;
}

const close = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

test('an MLP trains to the same losses on wasm as on cpu', async () => {
  const [w, c] = await onBoth({ type: 'mlp', layers: [128, 64], activation: 'relu', dropout: 0 }, 3);
  w.lines.forEach((l, i) => {
    for (const k of ['loss', 'val_loss']) assert.ok(close(l.metrics[k], c.lines[i].metrics[k], 1e-4), `epoch ${i + 1} ${k}: wasm ${l.metrics[k]} cpu ${c.lines[i].metrics[k]}`);
  });
  assert.ok(close(w.result.final.test_loss, c.result.final.test_loss, 1e-4));
});

test('a small CNN with batch norm trains to the same losses on wasm as on cpu', async () => {
  const cnn: ModelSpec = { type: 'cnn', filters: [4, 8], kernelSize: 3, pool: 2, dense: [32], activation: 'elu', dropout: 0, batchNorm: true };
  const [w, c] = await onBoth(cnn, 2);
  w.lines.forEach((l, i) => {
    for (const k of ['loss', 'val_loss']) assert.ok(close(l.metrics[k], c.lines[i].metrics[k], 1e-3), `epoch ${i + 1} ${k}: wasm ${l.metrics[k]} cpu ${c.lines[i].metrics[k]}`);
  });
  // Batch norm's moving averages lag after two epochs, so held-out accuracy is not a test of learning here.
  assert.ok(w.lines[1].metrics.accuracy > 0.5, `training accuracy ${w.lines[1].metrics.accuracy}`);
  assert.ok(close(w.result.final.test_loss, c.result.final.test_loss, 1e-3));
});

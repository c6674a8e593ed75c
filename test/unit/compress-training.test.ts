// Constraints while retraining: a pruned weight stays exactly 0 through every optimizer step (its
// gradient masked, its momentum / Adam moments zeroed), with every optimizer; shared weights stay shared;
// quantization-aware training ends on the quantization grid.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { OptimizerName } from '../../src/core/spec/types';
import { loadDataset } from '../../src/engine/data';
import { buildModel } from '../../src/engine/models';
import { train } from '../../src/engine/train';
import {
  affineQuantize, codesOnGrid, combine, fakeQuantConstraint, fakeQuantize, kernelLayers, kmeans1d, magnitudeMasks, maskConstraint, readKernel, shareConstraint, writeKernel,
  type Constraint, type SharedLayer,
} from '../../src/engine/compress';
import { digitsData, trainSpec, useCpu } from '../helpers/engine';

before(useCpu);
const data = loadDataset(digitsData(), 1, process.cwd());
const mlp = { type: 'mlp' as const, layers: [32, 16], activation: 'relu' as const, dropout: 0 };

/** Prunes each kernel of `model` to `s` and returns the masks by layer name. */
function prune(model: tf.LayersModel, s: number): Map<string, Uint8Array> {
  const layers = kernelLayers(model);
  const masks = magnitudeMasks(layers.map(readKernel), { sparsity: s, scope: 'layer' });
  return new Map(layers.map((k, i) => [k.name, masks[i]]));
}

async function retrain(model: tf.LayersModel, optimizer: OptimizerName, cs: Constraint[], extra: Partial<Parameters<typeof trainSpec>[0]> = {}) {
  const t = trainSpec({ optimizer, lr: 0.01, batchSize: 64, epochs: 2, l2: 1e-3, l1: 1e-4, clipNorm: 5, ...(optimizer === 'adamw' ? { weightDecay: 0.1 } : {}), ...extra });
  return train(model, data, t, 3, { onEpoch: () => {}, shouldStop: () => false, ...combine(cs) });
}

for (const optimizer of ['sgd', 'momentum', 'nesterov', 'adam', 'adamw', 'adagrad', 'rmsprop'] as const) {
  test(`${optimizer}: pruned weights stay exactly 0 after every step, and so do their optimizer slots`, async () => {
    const model = buildModel(mlp, data, 1, 0);
    const masks = prune(model, 0.7);
    let steps = 0;
    const watch: Constraint = {
      afterStep: (_step, opt) => {
        steps++;
        const n = model.trainableWeights.length;
        for (const k of kernelLayers(model)) {
          const m = masks.get(k.name)!;
          const i = model.trainableWeights.indexOf(k.weight);
          const bad = readKernel(k).findIndex((v, j) => m[j] === 0 && v !== 0);
          assert.equal(bad, -1, `${k.name}: pruned weight ${bad} moved at step ${steps}`);
          opt.state().slots.filter((_, j) => j % n === i).forEach((s) => {
            const d = s.dataSync();
            if (optimizer !== 'adagrad' && optimizer !== 'rmsprop') assert.ok(m.every((keep, j) => keep || d[j] === 0), `${k.name}: a slot of a pruned weight is not 0`);
          });
        }
      },
      dispose: () => {},
    };
    const mc = maskConstraint(model, masks);
    const r = await retrain(model, optimizer, [mc, watch]);
    mc.dispose();
    assert.equal(r.status, 'completed');
    assert.ok(steps >= 2 * Math.ceil(data.train.n / 64), `${steps} steps checked`);
    for (const k of kernelLayers(model)) {
      const zeros = readKernel(k).filter((v) => v === 0).length;
      assert.equal(zeros, Math.round(0.7 * k.shape[0] * k.shape[1]), `${k.name}: exactly the pruned count is zero`);
    }
    model.dispose();
  });
}

test('masks updated during training (a pruning step) take effect, and earlier pruned weights stay pruned', async () => {
  const model = buildModel(mlp, data, 1, 0);
  const masks = prune(model, 0.3);
  const first = new Map(masks);
  const mc = maskConstraint(model, masks, (step) => (step === 5 ? prune(model, 0.8) : undefined));
  await retrain(model, 'adam', [mc]);
  mc.dispose();
  for (const k of kernelLayers(model)) {
    const w = readKernel(k);
    assert.equal(w.filter((v) => v === 0).length, Math.round(0.8 * w.length), k.name);
    assert.ok(first.get(k.name)!.every((keep, j) => keep || w[j] === 0), `${k.name}: pruned at 0.3, still 0`);
  }
});

test('shared weights stay shared through Adam steps: each layer keeps at most its clusters, pruned zeros stay 0', async () => {
  const model = buildModel(mlp, data, 2, 0);
  const masks = prune(model, 0.5);
  const shared = new Map<string, SharedLayer>();
  const mc = maskConstraint(model, masks);
  for (const k of kernelLayers(model)) {
    const w = readKernel(k);
    const live = masks.get(k.name)!;
    const { centroids, assign } = kmeans1d(w.filter((_, i) => live[i]), { clusters: 8, init: 'linear', iterations: 20, seed: 0 });
    const full = new Int32Array(w.length);
    let j = 0;
    w.forEach((_, i) => live[i] && ((full[i] = assign[j++]), (w[i] = centroids[full[i]])));
    writeKernel(k, w);
    shared.set(k.name, { assign: full, clusters: centroids.length, live });
  }
  const before = new Map(kernelLayers(model).map((k) => [k.name, readKernel(k)]));
  const sc = shareConstraint(model, shared);
  await retrain(model, 'adam', [mc, sc], { l1: 0, clipNorm: 0 });
  [mc, sc].forEach((c) => c.dispose());
  for (const k of kernelLayers(model)) {
    const w = readKernel(k);
    const s = shared.get(k.name)!;
    const values = new Map<number, number>();
    w.forEach((v, i) => {
      if (!s.live[i]) return assert.ok(v === 0, `${k.name}: pruned weight ${i} is ${v}`);
      if (!values.has(s.assign[i])) values.set(s.assign[i], v);
      assert.equal(v, values.get(s.assign[i]), `${k.name}: weight ${i} left its cluster's value`);
    });
    assert.ok(values.size <= 8);
    assert.ok(w.some((v, i) => v !== before.get(k.name)![i]), `${k.name}: the centroids moved`);
  }
});

test("fake quantization trains on affine.ts's grid: the same values as the exact quantization, halves rounded up", () => {
  const cases: [number[], number[], 'tensor' | 'channel', number][] = [
    [[-1, 0.5, 2], [3], 'tensor', 2],
    ...[2, 4, 8].flatMap((bits) => (['tensor', 'channel'] as const).map((g): [number[], number[], 'tensor' | 'channel', number] =>
      [Array.from({ length: 96 }, (_, i) => Math.sin(i * 7.3 + bits) * (1 + (i % 8))), [12, 8], g, bits])),
  ];
  for (const [values, shape, granularity, bits] of cases) {
    const w = Float32Array.from(values);
    const exact = affineQuantize(w, shape, { bits, granularity }).values;
    const fake = tf.tidy(() => fakeQuantize(tf.tensor(w, shape), { bits, granularity }).dataSync());
    assert.deepEqual(Array.from(fake), Array.from(exact), `${bits} bits per ${granularity}`);
  }
});

test('quantization-aware training ends with every kernel on its 4-bit grid, pruned zeros exact', async () => {
  const model = buildModel(mlp, data, 4, 0);
  await retrain(model, 'adam', [], { l1: 0, l2: 0, epochs: 4 });
  const masks = prune(model, 0.5);
  const tensors = tf.memory().numTensors;
  const mc = maskConstraint(model, masks);
  const targets = new Map(kernelLayers(model).map((k) => [k.name, { bits: 4, granularity: 'channel' as const }]));
  const fq = fakeQuantConstraint(model, targets);
  const r = await retrain(model, 'adam', [mc, fq], { l1: 0 });
  assert.equal(r.status, 'completed');
  const grids = fq.finish();
  [mc, fq].forEach((c) => c.dispose());
  assert.equal(tf.memory().numTensors, tensors, 'the constraints leave no tensor behind');
  for (const k of kernelLayers(model)) {
    const g = grids.get(k.name)!;
    const w = readKernel(k);
    assert.ok(codesOnGrid(w, g.scale, g.zeroPoint, 4), `${k.name} is on its grid`);
    assert.ok(masks.get(k.name)!.every((keep, j) => keep || w[j] === 0));
    assert.ok(new Set(w).size <= 16 * k.shape[1], 'at most 16 values per output unit');
  }
  assert.ok(r.final.test_accuracy > 0.85, `accuracy ${r.final.test_accuracy}`);
});

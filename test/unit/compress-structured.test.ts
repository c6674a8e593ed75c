// Structured pruning: the physically smaller network computes what the original computes with the
// removed units masked (their weights, biases and batch-norm scale and shift zeroed), to 1e-5, for an MLP
// and a CNN with batch normalisation; unit selection by L1/L2 norm is a known answer.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../../src/core/spec/types';
import { buildModel } from '../../src/engine/models';
import { kernelLayers, networkOf, readKernel, savedForm, shrinkNetwork, toArtifacts, unitsToKeep } from '../../src/engine/compress';
import { useCpu } from '../helpers/engine';

before(useCpu);

test('units ranked by norm: the smallest round(fraction * units) go, ties by index', () => {
  // A 2 x 4 kernel: columns (units) with L1 norms 3, 0.5, 2, 0.5 and L2 norms sqrt(5), 0.5, 2, sqrt(0.13).
  const w = Float32Array.from([1, 0.5, 2, 0.2, 2, 0, 0, 0.3]);
  assert.deepEqual(Array.from(unitsToKeep(w, [2, 4], { fraction: 0.5, norm: 'l1' })), [0, 2]);
  assert.deepEqual(Array.from(unitsToKeep(w, [2, 4], { fraction: 0.25, norm: 'l2' })), [0, 1, 2]);
  assert.throws(() => unitsToKeep(w, [2, 4], { fraction: 0.9, norm: 'l1' }), /remove all 4 units/);
});

/** A copy of `model`'s behaviour with every unit outside `keep` silenced: kernel column, bias, BN gamma and beta zeroed. */
function maskUnits(model: tf.LayersModel, keep: Map<string, Int32Array>): void {
  let silenced: Set<number> | undefined;
  let units = 0;
  for (const layer of model.layers) {
    const kernel = kernelLayers(model).find((k) => k.layer === layer);
    if (kernel) {
      units = kernel.shape[kernel.shape.length - 1];
      const kept = keep.get(kernel.name);
      silenced = kept ? new Set(Array.from({ length: units }, (_, j) => j).filter((j) => !kept.includes(j))) : undefined;
    }
    if (!silenced || !(kernel || layer.getClassName() === 'BatchNormalization')) continue;
    const zeroed = layer.getWeights().map((w, i) => {
      // BatchNormalization: gamma and beta (0, 1) are zeroed; moving statistics (2, 3) kept. After Flatten
      // (channels last) feature j is channel j % units.
      if (!kernel && i > 1) return w.clone();
      const d = (w.dataSync() as Float32Array).map((v, j) => (silenced!.has(j % (kernel ? w.shape[w.shape.length - 1] : units)) ? 0 : v));
      return tf.tensor(d, w.shape);
    });
    layer.setWeights(zeroed);
    tf.dispose(zeroed);
  }
}

const cases: [string, ModelSpec, number[]][] = [
  ['MLP', { type: 'mlp', layers: [24, 12], activation: 'relu', dropout: 0.2 }, [8, 8, 1]],
  ['CNN with batch norm', { type: 'cnn', filters: [6, 8], kernelSize: 3, pool: 2, dense: [16], activation: 'relu', dropout: 0, batchNorm: true }, [8, 8, 1]],
  ['conv, flatten, batch norm, dense', { type: 'layers', layers: [{ type: 'conv2d', filters: 4, kernelSize: 3, activation: 'relu' }, { type: 'flatten' }, { type: 'batchNorm' }, { type: 'dense', units: 6, activation: 'relu' }] }, [4, 4, 1]],
  ['tanh layers', { type: 'layers', layers: [{ type: 'dense', units: 20, activation: 'tanh' }, { type: 'batchNorm' }, { type: 'dense', units: 10, activation: 'tanh' }] }, [12]],
];

for (const [what, spec, inputShape] of cases) {
  test(`${what}: structured-pruned model == masked model on random inputs (max abs diff <= 1e-5)`, async () => {
    const io = { inputShape, task: 'classification' as const, classes: 5 };
    const model = buildModel(spec, io, 7, 0);
    // Random batch-norm statistics, so silenced channels would show if they leaked.
    model.layers.filter((l) => l.getClassName() === 'BatchNormalization').forEach((l) => l.setWeights(l.getWeights().map((w, i) => tf.randomUniform(w.shape, i === 3 ? 0.5 : -1, 1.5, 'float32', i))));
    const keep = new Map(kernelLayers(model).slice(0, -1).map((k) => [k.name, unitsToKeep(readKernel(k), k.shape, { fraction: 0.5, norm: 'l1' })]));
    const shrunk = await shrinkNetwork(model, keep);
    const small = kernelLayers(shrunk.model);
    kernelLayers(model).slice(0, -1).forEach((k, i) => assert.equal(small[i].shape.at(-1), keep.get(k.name)!.length, `${k.name} has its kept units only`));
    assert.ok(shrunk.model.countParams() < model.countParams() * 0.7, `${shrunk.model.countParams()} of ${model.countParams()} weights`);
    maskUnits(model, keep);
    const x = tf.randomNormal([32, ...inputShape], 0, 1, 'float32', 4);
    const diff = tf.tidy(() => (model.predict(x) as tf.Tensor).sub(shrunk.model.predict(x) as tf.Tensor).abs().max().dataSync()[0]);
    assert.ok(diff <= 1e-5, `max abs difference ${diff}`);
    // And it is an ordinary TF.js model: saved and loaded back, it predicts the same.
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(toArtifacts(await savedForm(shrunk.model, { normalize: 'none', input: { shift: [], scale: [] } as never }))));
    const again = tf.tidy(() => (loaded.predict(x) as tf.Tensor).sub(shrunk.model.predict(x) as tf.Tensor).abs().max().dataSync()[0]);
    assert.equal(again, 0);
  });
}

test('a network loaded from a saved model (its layers shared, as a hone compress run has them) shrinks too', async () => {
  const spec: ModelSpec = { type: 'cnn', filters: [4, 6], kernelSize: 3, pool: 2, dense: [10], activation: 'relu', dropout: 0, batchNorm: false };
  const model = buildModel(spec, { inputShape: [8, 8, 1], task: 'classification', classes: 3 }, 2, 0);
  const net = await networkOf(toArtifacts(await savedForm(model, { normalize: 'scale', input: { shift: [0], scale: [16] } as never })));
  const keep = new Map(kernelLayers(net).slice(0, -1).map((k) => [k.name, unitsToKeep(readKernel(k), k.shape, { fraction: 0.5, norm: 'l2' })]));
  const shrunk = await shrinkNetwork(net, keep);
  assert.deepEqual(kernelLayers(shrunk.model).map((k) => k.shape), [[3, 3, 1, 2], [3, 3, 2, 3], [12, 5], [5, 3]]);
});

// A saved model is plain TF.js: tf.loadLayersModel over HTTP (as in a browser) gives the same predictions.
// (engine-raw-inputs.test.ts checks the saved preprocessing against Hone's on raw inputs.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { preprocessingOf, saveModel } from '../../src/engine/models';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { serveFolder } from '../helpers/static-server';
import { digitsData, trainOnce, trainSpec, useCpu } from '../helpers/engine';

let dir: string;
let server: { base: string; close(): void };
let base: string;

before(async () => {
  await useCpu();
  dir = makeTmpDir();
  server = await serveFolder(dir);
  base = server.base;
});
after(() => {
  server.close();
  removeTmpDir(dir);
});

const models = {
  mlp: { type: 'mlp' as const, layers: [16], activation: 'tanh' as const, dropout: 0.1 },
  cnn: { type: 'cnn' as const, filters: [4, 8], kernelSize: 3, pool: 2, dense: [16], activation: 'relu' as const, dropout: 0, batchNorm: true },
};

for (const [kind, spec] of Object.entries(models)) {
  test(`a trained ${kind} saved by Hone loads with plain tf.loadLayersModel and predicts the same`, async () => {
    const { model, data } = await trainOnce(digitsData(), spec, trainSpec({ epochs: 1, batchSize: 128 }), 4);
    await saveModel(model, join(dir, kind));
    const loaded = await tf.loadLayersModel(`${base}/${kind}/model.json`);
    const x = tf.tensor(data.test.x, [data.test.n, ...data.inputShape]);
    const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    assert.deepEqual(b.shape, [data.test.n, 10]);
    const diff = a.sub(b).abs().max().dataSync()[0];
    assert.ok(diff <= 1e-6, `max abs difference ${diff}`);
    assert.ok(Math.abs(b.sum(-1).sub(1).abs().max().dataSync()[0]) < 1e-5, 'the saved model outputs probabilities');
    tf.dispose([x, a, b]);
  });
}

test('saving with preprocessing leaves the trained model as it was: same predictions, layers and tensors', async () => {
  const spec = { ...digitsData(), normalize: 'standard' as const };
  const { model, data } = await trainOnce(spec, models.mlp, trainSpec({ epochs: 1, batchSize: 128 }), 4);
  const x = tf.tensor(data.test.x, [data.test.n, ...data.inputShape]);
  const before = { y: (model.predict(x) as tf.Tensor).dataSync(), layers: model.layers.map((l) => l.name), tensors: tf.memory().numTensors };
  await saveModel(model, join(dir, 'kept'), preprocessingOf(data, spec, 4, process.cwd()));
  assert.equal(tf.memory().numTensors, before.tensors, 'the layers saveModel added are disposed, the trained ones kept');
  assert.deepEqual(model.layers.map((l) => l.name), before.layers);
  assert.deepEqual((model.predict(x) as tf.Tensor).dataSync(), before.y);
  model.dispose();
  x.dispose();
});

// A saved model is plain TF.js: tf.loadLayersModel over HTTP (as in a browser) gives the same predictions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import * as tf from '@tensorflow/tfjs';
import { saveModel } from '../../src/engine/models';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { digitsData, trainOnce, trainSpec, useCpu } from '../helpers/engine';

let dir: string;
let server: Server;
let base: string;

before(async () => {
  await useCpu();
  dir = makeTmpDir();
  server = createServer((req, res) => res.end(readFileSync(join(dir, req.url!.slice(1)))));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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

// Known answers for 8-bit (and lower) affine quantization, float16, and the TF.js manifest export that
// plain tf.loadLayersModel dequantizes to the same weights (served over HTTP, as a browser loads it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../src/core/rng';
import { affineQuantize, fromFloat16Bits, roundToFloat16, savedForm, tfjsFiles, toFloat16Bits } from '../../src/engine/compress';
import { buildModel } from '../../src/engine/models';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { useCpu } from '../helpers/engine';

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

const rng = createRng(11);
const weights = Float32Array.from({ length: 4000 }, (_, i) => (i % 9 === 0 ? 0 : rng.normal() * 0.05 + (i % 5 === 0 ? 0.3 : 0)));

for (const granularity of ['tensor', 'channel'] as const) {
  for (const bits of [8, 6, 4, 2]) {
    test(`affine ${bits} bits per ${granularity}: |w - w_hat| <= scale / 2 (plus float32 rounding), zeros stay exactly 0`, () => {
      const q = affineQuantize(weights, [100, 40], { bits, granularity });
      assert.equal(q.scale.length, granularity === 'tensor' ? 1 : 40);
      weights.forEach((w, i) => {
        const s = q.scale[i % q.scale.length];
        assert.ok(q.q[i] <= 2 ** bits - 1);
        assert.ok(Math.abs(w - q.values[i]) <= s / 2 + Math.abs(q.values[i]) * 2 ** -24, `weight ${i}: ${w} -> ${q.values[i]}, scale ${s}`);
        if (w === 0) assert.equal(q.values[i], 0);
      });
      const groups = new Map<number, Set<number>>();
      q.values.forEach((v, i) => groups.set(i % q.scale.length, (groups.get(i % q.scale.length) ?? new Set()).add(v)));
      for (const g of groups.values()) assert.ok(g.size <= 2 ** bits, 'at most 2^bits values per group');
    });
  }
}

test('a known 8-bit case: [-1, 0, 0.5, 2] has scale 3/255 (rounded up to float32), zero point 85', () => {
  const q = affineQuantize(Float32Array.from([-1, 0, 0.5, 2]), [4], { bits: 8, granularity: 'tensor' });
  assert.equal(q.zeroPoint[0], 85);
  assert.ok(q.scale[0] >= 3 / 255 && q.scale[0] - 3 / 255 < 1e-9);
  assert.deepEqual(Array.from(q.q), [0, 85, Math.round(0.5 / q.scale[0]) + 85, 255]);
  assert.equal(q.values[1], 0);
});

test('float16: exact round trip of halves, ties to even, subnormals, overflow', () => {
  for (const v of [0, 1, -2.5, 65504, 2 ** -24, 2 ** -14, 0.333251953125]) assert.equal(roundToFloat16(v), v);
  assert.equal(roundToFloat16(1 + 2 ** -11), 1, 'a tie rounds to even');
  assert.equal(roundToFloat16(1 + 3 * 2 ** -11), 1 + 2 ** -9);
  assert.equal(roundToFloat16(70000), Infinity);
  assert.equal(toFloat16Bits(1), 0x3c00);
  assert.equal(fromFloat16Bits(0xc000), -2);
});

test('the TF.js export (uint8 and float16 in the weights manifest) loads with plain tf.loadLayersModel to the same weights', async () => {
  const model = buildModel({ type: 'mlp', layers: [30], activation: 'relu', dropout: 0 }, { inputShape: [12], task: 'classification', classes: 3 }, 5, 0);
  const [k1, b1, k2] = model.getWeights().map((w) => w.dataSync() as Float32Array);
  const q1 = affineQuantize(k1, [12, 30], { bits: 8, granularity: 'tensor' });
  const q2 = affineQuantize(k2, [30, 3], { bits: 5, granularity: 'tensor' });
  const values = [q1.values, b1.map((_, i) => roundToFloat16(0.01 * i)), q2.values, Float32Array.from([0.1, -0.2, 0.3])];
  model.setWeights(values.map((v, i) => tf.tensor(v, model.getWeights()[i].shape)));
  const layers = ['dense1', 'dense2'];
  const saved = await savedForm(model, { normalize: 'none', input: { shift: [], scale: [] } as never }, new Map([[layers[0], q1], [layers[1], q2]]));
  const files = tfjsFiles(saved);
  mkdirSync(join(dir, 'q'));
  writeFileSync(join(dir, 'q', 'model.json'), files.json);
  writeFileSync(join(dir, 'q', 'weights.bin'), files.bin);
  assert.deepEqual(files.entries.map((e) => e.quantization?.dtype ?? 'float32'), ['uint8', 'float16', 'uint8', 'float32']);
  assert.equal(files.bin.length, 12 * 30 + 2 * 30 + 30 * 3 + 4 * 3, 'one byte per uint8 weight, two per float16');
  const loaded = await tf.loadLayersModel(`${base}/q/model.json`);
  loaded.getWeights().forEach((w, i) => assert.deepEqual(Array.from(w.dataSync()), Array.from(values[i]), `weight ${i} dequantizes to exactly the quantized values`));
  const x = tf.randomNormal([5, 12], 0, 1, 'float32', 3);
  assert.deepEqual(Array.from((loaded.predict(x) as tf.Tensor).dataSync()), Array.from((model.predict(x) as tf.Tensor).dataSync()));
});

// A saved model answers raw inputs: plain tf.loadLayersModel over HTTP, fed raw pixels or CSV rows,
// predicts what Hone itself predicts from the inputs it normalised (and, for a standardised regression
// target, in the target's own units).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { DataSpec, ModelSpec, Normalize } from '../../src/core/spec/types';
import { createRng } from '../../src/core/rng';
import { loadDataset, unscaleTarget } from '../../src/engine/data';
import { preprocessingOf, saveModel } from '../../src/engine/models';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { serveFolder } from '../helpers/static-server';
import { trainOnce, trainSpec } from '../helpers/engine';
import { loadWasmAndCpu } from '../helpers/backends';

const SEED = 7;
const split = { train: 0.6, val: 0.2, test: 0.2 };
/** The clone's own copy (data/mnist): the test needs nothing outside the repository. */
const MNIST = resolve(__dirname, '../../data/mnist');

let dir: string;
let server: { base: string; close(): void };
let base: string;

before(async () => {
  await loadWasmAndCpu();
  dir = makeTmpDir();
  server = await serveFolder(dir);
  base = server.base;
});
after(() => {
  server.close();
  removeTmpDir(dir);
});

/**
 * A CSV of `rows` rows: `year` (about 2000 with a spread of 5: a large mean against its spread, where
 * a naive x * w + b would cancel), `a` ~ N(0, 1), `b` ~ U(0, 1000); the target is a label from the
 * three features (classification) or 3a - 0.02b + 0.5(year - 2000) + 40 + N(0, 0.1) (regression).
 */
function writeCsv(name: string, rows: number, task: 'classification' | 'regression'): string {
  const rng = createRng(SEED);
  const lines = ['year,a,b,y'];
  for (let i = 0; i < rows; i++) {
    const [year, a, b] = [2000 + 5 * rng.normal(), rng.normal(), 1000 * rng.next()];
    const score = a + (b - 500) / 300 + (year - 2000) / 5;
    const y = task === 'classification' ? (score < -0.7 ? 'low' : score < 0.7 ? 'mid' : 'high') : (3 * a - 0.02 * b + 0.5 * (year - 2000) + 40 + 0.1 * rng.normal()).toFixed(4);
    lines.push(`${year.toFixed(3)},${a.toFixed(5)},${b.toFixed(2)},${y}`);
  }
  const file = join(dir, name);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** The largest |x|, at least 1 (a loop: spreading millions of values into Math.max overflows the stack). */
const peak = (x: ArrayLike<number>): number => {
  let m = 1;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]));
  return m;
};

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

/** The largest |a[i] - b[i]| in units in the last place of float32 b[i] (normal range). */
const maxUlps = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const e = Math.max(-126, b[i] === 0 ? -126 : Math.floor(Math.log2(Math.abs(b[i]))));
    m = Math.max(m, Math.abs(a[i] - b[i]) / 2 ** (e - 23));
  }
  return m;
};

/**
 * Trains `spec` for a few steps, saves it as the worker does, loads it back over HTTP, and feeds it the
 * raw test inputs on cpu and on wasm (the backend Hone trains with on a CPU). Returns Hone's own test
 * predictions and the loaded model's, and its hone_* input layers' outputs, on each backend.
 */
async function check(name: string, spec: DataSpec, model: ModelSpec, epochs = 1) {
  const data = loadDataset(spec, SEED, process.cwd());
  const { model: trained } = await trainOnce(data, model, trainSpec({ epochs, batchSize: 64, lr: 0.01 }), SEED);
  await saveModel(trained, join(dir, name), preprocessingOf(data, spec, SEED, process.cwd()));
  const loaded = await tf.loadLayersModel(`${base}/${name}/model.json`);

  const raw = loadDataset({ ...spec, normalize: 'none', normalizeTarget: false } as DataSpec, SEED, process.cwd()).test;
  const xHone = tf.tensor(data.test.x, [data.test.n, ...data.inputShape]);
  let hone = tf.tidy(() => (trained.predict(xHone) as tf.Tensor).dataSync() as Float32Array);
  if (data.target) hone = unscaleTarget(hone, data.target);
  const on = async (backend: 'cpu' | 'wasm') => {
    await tf.setBackend(backend);
    const xRaw = tf.tensor(raw.x, [raw.n, ...data.inputShape]);
    const got = tf.tidy(() => (loaded.predict(xRaw) as tf.Tensor).dataSync() as Float32Array);
    const inputs = normalisedInputs(loaded, xRaw);
    xRaw.dispose();
    return { diff: maxAbs(got, hone), inputUlps: inputs && maxUlps(inputs, data.test.x) };
  };
  const [cpu, wasm] = [await on('cpu'), await on('wasm')];
  await tf.setBackend('cpu');
  const meta = loaded.getUserDefinedMetadata();
  xHone.dispose();
  trained.dispose();
  loaded.dispose();
  return { data, hone, cpu, wasm, meta };
}

/**
 * What the loaded model's hone_* input layers make of raw inputs (the network's own inputs), if it has
 * any. The sub-model is a view on `loaded`'s layers (building it takes no references), so it is not disposed.
 */
function normalisedInputs(loaded: tf.LayersModel, x: tf.Tensor): Float32Array | undefined {
  const last = ['hone_reshape', 'hone_normalize', 'hone_rescale'].find((n) => loaded.layers.some((l) => l.name === n));
  if (!last) return undefined;
  const head = tf.model({ inputs: loaded.inputs, outputs: loaded.getLayer(last).output as tf.SymbolicTensor });
  return tf.tidy(() => (head.predict(x) as tf.Tensor).dataSync() as Float32Array);
}

// Tolerances. Inputs: Hone computes (x - shift) / scale in float64 and rounds to float32; the layers
// compute in float32 (cpu: float64 inside the kernel), so each normalised input may differ by a few
// float32 ulps of itself (measured: 1 on cpu, 2 on wasm). Probabilities: 1e-5 (measured: under 1e-6,
// about what the network alone differs by between cpu and wasm). Regression predictions, in the
// target's units: both sides round to float32 at the end, Hone from float64 y' * std + mean, the
// Rescaling layer from float32 (y' * std) + mean: 8 * 2^-24 of the largest prediction (measured: 1 ulp).
const INPUT_ULPS = 4;
const PROB_TOL = 1e-5;
const regressionTol = (y: Float32Array): number => 8 * 2 ** -24 * peak(y);

type Checked = Awaited<ReturnType<typeof check>>;

/** Asserts the tolerances above on both backends and reports what was measured. */
function verify(t: { diagnostic(s: string): void }, r: Checked): void {
  const tol = r.data.task === 'regression' ? regressionTol(r.hone) : PROB_TOL;
  for (const [backend, m] of [['cpu', r.cpu], ['wasm', r.wasm]] as const) {
    const inputs = m.inputUlps === undefined ? 'none' : `${m.inputUlps.toFixed(2)} ulps`;
    t.diagnostic(`${backend}: predictions max abs difference ${m.diff.toExponential(2)} (tolerance ${tol.toExponential(2)}), normalised inputs ${inputs}`);
    if (m.inputUlps !== undefined) assert.ok(m.inputUlps <= INPUT_ULPS, `${backend}: normalised inputs differ by ${m.inputUlps} ulps`);
    assert.ok(m.diff <= tol, `${backend}: predictions differ by ${m.diff} (> ${tol})`);
  }
}

const digits = (normalize: Normalize): DataSpec => ({ source: 'digits', split, normalize, normalizeTarget: false });
const mlp: ModelSpec = { type: 'mlp', layers: [32], activation: 'tanh', dropout: 0 };
const cnn: ModelSpec = { type: 'cnn', filters: [4], kernelSize: 3, pool: 2, dense: [16], activation: 'relu', dropout: 0, batchNorm: false };

test('digits, normalize scale: raw 0..16 pixels give Hone\'s probabilities (a Rescaling layer)', async (t) => {
  const r = await check('digits-scale', digits('scale'), mlp);
  verify(t, r);
  assert.deepEqual(r.meta, { hone: { version: 1, inputs: 'raw', normalize: 'scale' } });
});

test('MNIST, normalize scale: raw 0..255 pixels give Hone\'s probabilities', async (t) => {
  const r = await check('mnist-scale', { source: 'mnist', path: MNIST, limit: 1000, split: { train: 0.9, val: 0.1, test: 0 }, normalize: 'scale', normalizeTarget: false }, mlp);
  assert.equal(r.data.test.n, 10000);
  verify(t, r);
});

for (const [kind, model] of [['mlp', mlp], ['cnn', cnn]] as const) {
  test(`digits, normalize standard, ${kind}: raw pixels give Hone's probabilities (per-pixel frozen BatchNormalization)`, async (t) => {
    verify(t, await check(`digits-standard-${kind}`, digits('standard'), model));
  });
}

test('CSV, normalize minmax, string labels: raw rows give Hone\'s probabilities', async (t) => {
  const path = writeCsv('classes.csv', 600, 'classification');
  const r = await check('csv-minmax', { source: 'csv', path, target: 'y', split, normalize: 'minmax', normalizeTarget: false }, mlp, 3);
  assert.equal(r.data.classes, 3);
  verify(t, r);
  // Which label each output stands for travels with the model.
  assert.deepEqual(r.meta, { hone: { version: 1, inputs: 'raw', normalize: 'minmax', labels: ['high', 'low', 'mid'] } });
});

for (const normalize of ['standard', 'none'] as const) {
  test(`CSV regression, normalize ${normalize}, normalizeTarget: raw rows give predictions in the target's units`, async (t) => {
    const path = writeCsv(`regression-${normalize}.csv`, 500, 'regression');
    const r = await check(`csv-regression-${normalize}`, { source: 'csv', path, target: 'y', split, normalize, normalizeTarget: true }, { type: 'linear' }, 20);
    assert.ok(r.data.target && r.data.target.std > 1, 'the target is standardised');
    t.diagnostic(`predictions up to ${peak(r.hone).toFixed(1)}`);
    verify(t, r);
    assert.deepEqual(r.meta, { hone: { version: 1, inputs: 'raw', normalize, target: r.data.target } });
  });
}

test('fine-tuning a loaded model with fit() leaves its saved normalisation as it was', async () => {
  const spec = digits('standard');
  const data = loadDataset(spec, SEED, process.cwd());
  const { model: trained } = await trainOnce(data, mlp, trainSpec({ epochs: 1 }), SEED);
  await saveModel(trained, join(dir, 'fine-tune'), preprocessingOf(data, spec, SEED, process.cwd()));
  const loaded = await tf.loadLayersModel(`${base}/fine-tune/model.json`);
  const norm = loaded.getLayer('hone_normalize');
  const saved = norm.getWeights().map((w) => w.dataSync().slice());
  const raw = loadDataset({ ...spec, normalize: 'none' }, SEED, process.cwd()).train;
  const [x, y] = [tf.tensor(raw.x, [raw.n, ...data.inputShape]), tf.oneHot(tf.tensor1d(raw.y, 'int32'), 10)];
  loaded.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
  await loaded.fit(x, y, { epochs: 1, batchSize: 256, verbose: 0 });
  assert.deepEqual(norm.getWeights().map((w) => w.dataSync()), saved);
  tf.dispose([x, y]);
  trained.dispose();
  loaded.dispose();
});

test('the normalisation saved is the one trained with: a data file changed since loading is refused', () => {
  const path = writeCsv('changing.csv', 100, 'regression');
  const spec: DataSpec = { source: 'csv', path, target: 'y', split, normalize: 'standard', normalizeTarget: false };
  const data = loadDataset(spec, SEED, process.cwd());
  const pre = preprocessingOf(data, spec, SEED, process.cwd());
  assert.equal(pre.input.shift.length, 3);
  writeFileSync(path, readFileSync(path, 'utf8').replace(/^2/m, '3'));
  assert.throws(() => preprocessingOf(data, spec, SEED, process.cwd()), /changed since it was loaded/);
});

// A training run with a compress section, through the built CLI with real workers: when compression
// diverges the trained model and its metrics stay the run's, and a resumed run does not keep the
// compression files of its earlier session beside the model it trains again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { digitsSpec, hone, modelFileBytes, readJson, ROOT, writeSpec } from '../helpers/cli';
import { useCpu } from '../helpers/engine';
import { folderArtifacts } from '../../src/engine/compress';
import { applyResume, prepareResume } from '../../src/core/resume/resume';
import { launchRun, queueRun } from '../../src/core/runner';
import { validateSpec } from '../../src/core/spec';

let dir: string;
before(async () => {
  await useCpu();
  dir = makeTmpDir();
});
after(() => removeTmpDir(dir));

/** Runs `spec` in a store of its own; returns the run folder. */
function run(name: string, spec: object): string {
  const store = join(dir, name);
  const r = hone(['run', writeSpec(dir, name, spec), '--store', store, '--json']);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  return join(store, 'runs', readdirSync(join(store, 'runs'))[0]);
}

test('compression that diverges after training keeps the trained model in model/ and its metrics as final', async () => {
  const d = run('diverges', {
    name: 'diverges', seed: 1, backend: 'cpu',
    data: { source: 'regression', samples: 300, features: 4, noise: 5, split: { train: 0.6, val: 0.2, test: 0.2 }, normalize: 'standard' },
    model: { type: 'mlp', layers: [16] },
    train: { optimizer: 'sgd', lr: 0.01, batchSize: 32, epochs: 3 },
    compress: { lr: 1000, prune: { sparsity: 0.5, epochs: 5 }, latency: { runs: 0 } },
  });
  const rec = readJson(join(d, 'run.json'));
  assert.equal(rec.status, 'diverged');
  assert.match(rec.message, /^compression stage prune diverged: loss became NaN at epoch 4 of the run \(epoch 1 of the stage\); model\/ holds the trained model, uncompressed/);
  const lines = readFileSync(join(d, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(rec.final.val_mse, lines[2].metrics.val_mse, "final holds the trained model's metrics (epoch 3)");
  assert.ok(Number.isFinite(rec.final.test_mse), 'with its test mse');
  assert.equal(existsSync(join(d, 'compress.json')), false);
  const model = await tf.loadLayersModel(tf.io.fromMemory(folderArtifacts(join(d, 'model'))));
  const y = (model.predict(tf.ones([2, 4])) as tf.Tensor).dataSync();
  assert.ok(y.every(Number.isFinite), 'the saved model is the trained one, not the diverged weights');
});

test('hone resume of a train+compress run removes the earlier compress.json and model.hone once its worker trains', async () => {
  const d = run('resumed', { ...digitsSpec('resumed', { epochs: 2, checkpoint: { every: 1 } }), backend: 'cpu', compress: { quantize: { bits: 8 }, latency: { runs: 0 } } });
  assert.ok(existsSync(join(d, 'compress.json')) && existsSync(join(d, 'model.hone')));
  // As if it had been stopped during compression: resumable from its last checkpoint.
  writeFileSync(join(d, 'run.json'), JSON.stringify({ ...readJson(join(d, 'run.json')), status: 'stopped' }));
  await prepareResume(join(d, '..', '..'), readJson(join(d, 'run.json')).id);
  assert.ok(existsSync(join(d, 'compress.json')), 'kept while the resume has not trained');
  applyResume(d, readJson(join(d, 'run.json')), () => undefined);
  assert.equal(existsSync(join(d, 'compress.json')), false, 'no compression table of another model');
  assert.equal(existsSync(join(d, 'model.hone')), false, 'no packed model of another model');
  assert.ok(existsSync(join(d, 'model', 'model.json')), 'model/ stays until the resumed run saves its own');
});

test("a run's message lists every compression stage, and says larger when the packed model is larger than dense float32", () => {
  const d = run('tiny', {
    name: 'tiny', seed: 1, backend: 'cpu',
    data: { source: 'regression', samples: 200, features: 4, noise: 5, split: { train: 0.8, val: 0.2, test: 0 } },
    model: { type: 'linear' }, train: { epochs: 2 },
    compress: { prune: { sparsity: 0.5, epochs: 1 }, quantize: { bits: 8 }, latency: { runs: 0 } },
  });
  const rec = readJson(join(d, 'run.json'));
  assert.equal(rec.status, 'completed');
  assert.ok(rec.final.packed_bytes > rec.final.dense_bytes, 'the header outweighs 5 weights');
  assert.match(rec.message, /^compressed: prune, quantize; packed \d+ bytes \(\d+\.\dx larger than dense float32\)$/);
});

test('compression that fails after writing its model (compress.json cannot be written) puts the trained model back in model/', async () => {
  const store = join(dir, 'fails');
  const v = validateSpec({ ...digitsSpec('fails'), backend: 'cpu', compress: { prune: { sparsity: 0.5, epochs: 1 }, latency: { runs: 0 } } }, { baseDir: dir });
  assert.ok(v.spec, JSON.stringify(v.problems));
  const run = queueRun({ storeDir: store, spec: v.spec, overrides: [] });
  mkdirSync(join(run.dir, 'compress.json')); // a folder where the report goes: the compression's very last write fails
  const rec = await launchRun(store, run, { workerPath: join(ROOT, 'dist/worker.js') }).done;
  assert.equal(rec.status, 'failed');
  assert.match(rec.message ?? '', /compress\.json/);
  assert.equal(existsSync(join(run.dir, 'model.hone')), false, 'no packed model of the compression that failed');
  assert.deepEqual(readdirSync(run.dir).filter((n) => n.startsWith('.')), [], 'nothing left aside');
  // model/ is the trained network the record describes: its size, and weights that were never pruned.
  assert.equal(rec.final?.tfjs_bytes, modelFileBytes(run.dir));
  const model = await tf.loadLayersModel(tf.io.fromMemory(folderArtifacts(join(run.dir, 'model'))));
  const kernel = model.layers.flatMap((l) => l.getWeights()).find((w) => w.shape.length === 2)!.dataSync();
  assert.ok(kernel.filter((x) => x === 0).length < kernel.length / 10, 'not the pruned kernel (half zeros)');
  model.dispose();
});

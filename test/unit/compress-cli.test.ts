// `hone compress <run>` and the `compress` section through the built CLI with real workers: child runs
// with their parent, compression metrics in run.json and metrics.jsonl, byte counts equal to the files on
// disk for every technique (the contract every compressor keeps), a sweep over a compression setting,
// and bad input refused with exit 2 and nothing written.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { digitsSpec, hone, readJson, writeSpec } from '../helpers/cli';
import { useCpu } from '../helpers/engine';
import { folderArtifacts, toArtifacts, unpackModel } from '../../src/engine/compress';

let dir: string;
let store: string;
let parent: { id: string };
const runIds = () => (existsSync(join(store, 'runs')) ? readdirSync(join(store, 'runs')).sort() : []);
const runDir = (id: string) => join(store, 'runs', id);
const metricLines = (id: string) => readFileSync(join(runDir(id), 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const quick = ['--set', 'compress.latency.runs=2', '--set', 'compress.latency.warmup=1'];

before(async () => {
  await useCpu();
  dir = makeTmpDir();
  store = join(dir, 'store');
  const r = hone(['run', writeSpec(dir, 'dense', { ...digitsSpec('dense', { epochs: 4 }), model: { type: 'mlp', layers: [32, 16] } }), '--store', store, '--json']);
  assert.equal(r.code, 0, r.stderr);
  parent = JSON.parse(r.stdout)[0];
});
after(() => removeTmpDir(dir));

/** The progress lines (stderr with --json) of the last `compress`. */
let progress = '';

/** Runs `hone compress` on the parent with `sets`; returns the child's record. */
function compress(sets: string[], extra: string[] = []) {
  const r = hone(['compress', parent.id, ...extra, ...sets.flatMap((s) => ['--set', s]), ...quick, '--store', store, '--json']);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  progress = r.stderr;
  return JSON.parse(r.stdout);
}

/** The contract: every reported byte count is the size of the file it names; the packed model decodes to model/'s predictions. */
async function assertHonestSizes(id: string) {
  const d = runDir(id);
  const report = readJson(join(d, 'compress.json'));
  const files = ['model.json', 'weights.bin'].map((f) => join(d, 'model', f));
  const rec = readJson(join(d, 'run.json'));
  assert.equal(report.after.tfjsBytes, files.reduce((a, f) => a + statSync(f).size, 0));
  assert.equal(report.after.tfjsGzipBytes, files.reduce((a, f) => a + gzipSync(readFileSync(f), { level: 9 }).length, 0));
  assert.equal(report.after.packedBytes, statSync(join(d, 'model.hone')).size);
  assert.equal(rec.final.packed_bytes, report.after.packedBytes);
  assert.equal(rec.final.tfjs_bytes, report.after.tfjsBytes);
  assert.equal(rec.final.compression_ratio, rec.final.dense_bytes / rec.final.packed_bytes);
  assert.equal(report.roundTrip.maxAbsDiff, 0);
  const plain = await tf.loadLayersModel(tf.io.fromMemory(folderArtifacts(join(d, 'model'))));
  const packed = await tf.loadLayersModel(tf.io.fromMemory(toArtifacts(unpackModel(readFileSync(join(d, 'model.hone'))))));
  const x = tf.randomUniform([16, 8, 8, 1], 0, 16, 'float32', 1);
  assert.deepEqual(Array.from((packed.predict(x) as tf.Tensor).dataSync()), Array.from((plain.predict(x) as tf.Tensor).dataSync()));
  return { report, rec };
}

test('hone compress makes a child run of kind compress with its parent, and compression metrics in run.json and metrics.jsonl', async () => {
  const v = compress(['compress.prune.sparsity=0.8', 'compress.prune.epochs=2', 'compress.share.clusters=8', 'compress.sensitivity.bits=[4]']);
  assert.equal(v.kind, 'compress');
  assert.equal(v.parent, parent.id);
  assert.equal(v.status, 'completed');
  const { rec, report } = await assertHonestSizes(v.id);
  assert.equal(rec.kind, 'compress');
  assert.equal(rec.parent, parent.id);
  assert.match(rec.name, /^dense > prune 0\.8 polynomial \+ share 8$/);
  for (const m of ['packed_bytes', 'compression_ratio', 'sparsity', 'params', 'params_nonzero', 'dense_bytes', 'tfjs_gzip_bytes', 'latency_b1_ms', 'latency_b256_ms', 'test_accuracy', 'test_accuracy_before', 'val_accuracy']) {
    assert.ok(Number.isFinite(rec.final[m]), `final ${m}`);
  }
  assert.equal(rec.final.test_accuracy_before, readJson(join(runDir(parent.id), 'run.json')).final.test_accuracy, 'before = the parent\'s own test accuracy');
  assert.ok(Math.abs(rec.final.sparsity - 0.8) < 1e-3);
  const lines = metricLines(v.id);
  assert.equal(lines.length, rec.epochsPlanned);
  assert.equal(rec.epochsPlanned, 2 + 1 + 1);
  assert.deepEqual(lines.at(-1).metrics, rec.final, 'the last line holds the measurements');
  assert.ok(lines.slice(0, -1).every((l: any) => typeof l.metrics.sparsity === 'number'), 'retraining lines record the sparsity');
  assert.match(progress, /: epoch 2\/4 loss=\S+ accuracy=\S+ val_loss=\S+ val_accuracy=\S+ sparsity=0\.8000 /, 'progress lines show the sparsity the schedule reaches');
  assert.deepEqual(report.stages.map((s: any) => s.stage), ['prune', 'share']);
  assert.ok(report.layers.every((l: any) => l.distinct <= 8));
  assert.deepEqual(report.sensitivity.rows.map((r: any) => `${r.layer} ${r.technique} ${r.level}`).slice(0, 5), ['dense1 prune 0.5', 'dense1 prune 0.75', 'dense1 prune 0.9', 'dense1 prune 0.95', 'dense1 quantize 4']);
  const shown = hone(['show', parent.id, '--store', store]).stdout;
  assert.match(shown, new RegExp(`children  ${v.id} \\(dense > prune 0\\.8 polynomial \\+ share 8, compress, completed\\)`));
  const child = hone(['show', v.id, '--store', store]).stdout;
  assert.match(child, new RegExp(`parent    ${parent.id} \\(dense, completed\\)`));
  assert.match(child, /vs dense float32 \(\d+ B\)/);
  assert.match(child, /sensitivity: drop in val accuracy/);
  assert.ok(JSON.parse(hone(['show', v.id, '--store', store, '--json']).stdout).compress.after.packedBytes > 0);
  // hone unpack: model.hone back to plain TF.js files, predicting exactly as model/ does.
  const out = join(dir, 'unpacked');
  const u = hone(['unpack', v.id, '--out', out, '--store', store]);
  assert.equal(u.code, 0, u.stderr);
  const x = tf.randomUniform([8, 8, 8, 1], 0, 16, 'float32', 2);
  const [a, b] = [await tf.loadLayersModel(tf.io.fromMemory(folderArtifacts(out))), await tf.loadLayersModel(tf.io.fromMemory(folderArtifacts(join(runDir(v.id), 'model'))))];
  assert.deepEqual(Array.from((a.predict(x) as tf.Tensor).dataSync()), Array.from((b.predict(x) as tf.Tensor).dataSync()));
  assert.equal(hone(['unpack', parent.id, '--store', store]).code, 2, 'a dense run has no model.hone');
});

test('every technique reports sizes equal to its files, and structured pruning makes the model smaller', async () => {
  const manifest = (id: string) => readJson(join(runDir(id), 'model', 'model.json')).weightsManifest[0].weights.map((w: any) => w.quantization?.dtype ?? 'float32');
  const cases: [string[], (r: any, id: string) => void][] = [
    [['compress.prune.sparsity=0.5', 'compress.prune.schedule={"type":"oneshot"}', 'compress.prune.epochs=1'], (r) => assert.equal(r.after.nonzero < r.before.nonzero, true)],
    [['compress.prune.sparsity=0.6', 'compress.prune.scope=global', 'compress.prune.schedule={"type":"iterative","cycles":2,"rewind":"init"}', 'compress.prune.epochs=1'], (r) => assert.deepEqual(r.stages.map((s: any) => s.stage), ['prune 1/2', 'prune 2/2'])],
    [['compress.structured.fraction=0.5'], (r, id) => {
      assert.ok(r.after.params < r.before.params * 0.6 && r.after.float32Bytes < r.before.float32Bytes);
      assert.equal(readJson(join(runDir(id), 'run.json')).model.params, r.after.params, 'run.json describes the smaller network it saved');
    }],
    [['compress.quantize.bits=8'], (_r, id) => assert.deepEqual(manifest(id), ['uint8', 'float16', 'uint8', 'float16', 'uint8', 'float16'], 'kernels uint8, biases float16 in the TF.js manifest')],
    [['compress.quantize.bits=4', 'compress.quantize.granularity=channel', 'compress.quantize.epochs=1'], (r) => assert.ok(r.layers.every((l: any) => l.bits === 4))],
    [['compress.quantize.bits=16'], (_r, id) => assert.ok(manifest(id).every((d: string) => d === 'float16'), 'float16 in the TF.js manifest')],
    [['compress.quantize.bits=8', 'compress.quantize.layers={"dense1":16}', 'compress.quantize.epochs=2'], (_r, id) => assert.deepEqual(manifest(id), ['float16', 'float16', 'uint8', 'float16', 'uint8', 'float16'], 'dense1 stays float16 through quantization-aware training')],
  ];
  for (const [sets, check] of cases) {
    const v = compress(sets);
    const { report } = await assertHonestSizes(v.id);
    check(report, v.id);
  }
});

test('a compress spec file gives the section (and train fields for retraining); a train run with a compress section compresses after training', async () => {
  const file = join(dir, 'c.json');
  writeFileSync(file, JSON.stringify({ compress: { prune: { sparsity: 0.7, epochs: 1 } }, train: { lr: 0.002 } }));
  const v = compress([], [file]);
  const rec = readJson(join(runDir(v.id), 'run.json'));
  assert.equal(rec.spec.train.lr, 0.002);
  assert.equal(rec.spec.compress.prune.sparsity, 0.7);
  // A chain: the pruned child compressed again; its baseline stays the first dense network's.
  const g = hone(['compress', v.id, '--set', 'compress.quantize.bits=8', ...quick, '--store', store, '--json']);
  assert.equal(g.code, 0, g.stderr);
  const grand = readJson(join(runDir(JSON.parse(g.stdout).id), 'run.json'));
  assert.equal(grand.parent, v.id);
  assert.equal(grand.final.dense_bytes, rec.final.dense_bytes);
  assert.ok(grand.final.packed_bytes < rec.final.packed_bytes);
  assert.ok(Math.abs(grand.final.sparsity - 0.7) < 0.02, `still about 70% zeros (${grand.final.sparsity})`);
  const own = join(dir, 'own');
  const spec = { ...digitsSpec('own', { epochs: 3 }), compress: { prune: { sparsity: 0.5, epochs: 1 }, quantize: { bits: 8 }, latency: { runs: 1, warmup: 0 } } };
  const r = hone(['run', writeSpec(dir, 'own', spec), '--store', own, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const [run] = JSON.parse(r.stdout);
  assert.equal(run.kind, 'train');
  assert.equal(run.epochsPlanned, 3 + 1 + 1);
  assert.equal(run.epochs, 5);
  assert.ok(run.metrics.packed_bytes > 0 && run.metrics.test_accuracy_before > 0);
});

test('a sweep over compress.prune.sparsity: one compressed run per value, packed_bytes as an objective', () => {
  const sw = join(dir, 'sweep');
  const spec = {
    ...digitsSpec('sw', { epochs: 2 }),
    compress: { prune: { sparsity: 0.5, epochs: 1 }, latency: { runs: 0 } },
    sweep: { parameters: { 'compress.prune.sparsity': { type: 'categorical', values: [0.5, 0.9] } }, objectives: [{ metric: 'val_accuracy', direction: 'maximize' }, { metric: 'packed_bytes', direction: 'minimize' }], sampler: { type: 'grid' }, parallel: 2 },
  };
  const r = hone(['sweep', writeSpec(dir, 'sw', spec), '--store', sw]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const runs = readdirSync(join(sw, 'runs')).map((id) => readJson(join(sw, 'runs', id, 'run.json'))).sort((a, b) => a.spec.compress.prune.sparsity - b.spec.compress.prune.sparsity);
  assert.deepEqual(runs.map((x) => x.status), ['completed', 'completed']);
  assert.ok(runs[1].final.packed_bytes < runs[0].final.packed_bytes, 'sparser is smaller');
  assert.ok(Math.abs(runs[1].final.sparsity - 0.9) < 1e-3);
});

test('bad input: exit 2, the problem named (with its JSON path), nothing written', () => {
  const failed = '20200101-000000-aaaaaa';
  cpSync(runDir(parent.id), join(store, 'runs', failed), { recursive: true });
  writeFileSync(join(store, 'runs', failed, 'run.json'), JSON.stringify({ ...readJson(join(runDir(parent.id), 'run.json')), id: failed, status: 'failed', name: 'broken' }));
  const nomodel = '20200101-000000-bbbbbb';
  cpSync(runDir(parent.id), join(store, 'runs', nomodel), { recursive: true });
  writeFileSync(join(store, 'runs', nomodel, 'run.json'), JSON.stringify({ ...readJson(join(runDir(parent.id), 'run.json')), id: nomodel, name: 'nomodel' }));
  rmSync(join(store, 'runs', nomodel, 'model'), { recursive: true });
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ compress: { quantize: { bits: 8 } }, data: { source: 'mnist' } }));
  const dup = join(dir, 'dup.json');
  writeFileSync(dup, '{"compress": {"quantize": {"bits": 8, "bits": 4}}}');
  const before = runIds();
  const cases: [string[], RegExp][] = [
    [[parent.id, '--set', 'compress.prune.sparsity=1'], /--set: compress\.prune\.sparsity: expected a number < 1, found 1/],
    [[parent.id, '--set', 'compress.prune.sparsity=-0.5'], /compress\.prune\.sparsity: expected a number >= 0/],
    [[parent.id, '--set', 'compress.quantize.bits=9'], /compress\.quantize\.bits: expected one of: 2, 3, 4, 5, 6, 7, 8, 16, found 9/],
    [[parent.id, '--set', 'compress.share.clusters=1'], /compress\.share\.clusters: expected an integer >= 2/],
    [[parent.id, '--set', 'compress.share.clusters=300'], /compress\.share\.clusters: expected an integer <= 256/],
    [[parent.id, '--set', 'compress.structured.fraction=0.99'], /compress\.structured\.fraction: expected a fraction that leaves dense1 at least one of its 32 units/],
    [[parent.id, '--set', 'compress.prune.sparsity=0.5', '--set', 'compress.prune.layers={"conv1":0.5}'], /compress\.prune\.layers\.conv1: expected a layer of this model, one of: dense1, dense2, dense3/],
    [[parent.id, bad], /bad\.json: data: expected no 'data' here/],
    [[parent.id, dup], /dup\.json: compress\.quantize\.bits: .*line 1/],
    [[parent.id, '--set', 'compress.quantize.bits=8', '--set', 'data.normalize=standard'], /--set: expected a path under compress or train \(hone compress keeps the parent run's data and model\), found "data\.normalize=standard"/],
    [[parent.id], /nothing to do: give a spec file with a compress section/],
    [['broken', '--set', 'compress.quantize.bits=8'], /cannot be compressed: it is failed/],
    [['nomodel', '--set', 'compress.quantize.bits=8'], /has no saved model to compress/],
    [['no-such-run', '--set', 'compress.quantize.bits=8'], /no-such-run/],
    [[], /give the run to compress/],
  ];
  for (const [args, message] of cases) {
    const r = hone(['compress', ...args, '--store', store]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
  assert.deepEqual(runIds(), before, 'no run folder was made');
});

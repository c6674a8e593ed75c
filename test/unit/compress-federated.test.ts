// Compressing a model federated learning trained, through the built CLI with real workers: its data stays
// on its clients, so stages that retrain are refused (exit 2, nothing written) and post-training
// compression runs, along a chain of compressions too, after a run in the middle of it is deleted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { hone, readJson, writeSpec } from '../helpers/cli';

let dir: string;
let store: string;
let parent: string;
const runs = () => readdirSync(join(store, 'runs')).sort();
const compress = (ref: string, sets: string[]) =>
  hone(['compress', ref, ...[...sets, 'compress.latency.runs=0'].flatMap((s) => ['--set', s]), '--store', store, '--json']);

before(() => {
  dir = makeTmpDir();
  store = join(dir, 'store');
  const spec = {
    name: 'dp', seed: 1, backend: 'cpu',
    data: { source: 'digits', split: { train: 0.8, val: 0, test: 0.2 }, normalize: 'scale' },
    model: { type: 'mlp', layers: [16], dropout: 0 },
    train: { optimizer: 'sgd', lr: 0.05 },
    federated: { rounds: 2, clients: 4, fraction: 1, localEpochs: 1, batchSize: 32, privacy: { clip: 1, noise: 1 } },
  };
  const r = hone(['run', writeSpec(dir, 'dp', spec), '--store', store, '--json']);
  assert.equal(r.code, 0, r.stderr);
  parent = JSON.parse(r.stdout)[0].id;
});
after(() => removeTmpDir(dir));

test("a federated run's model is not retrained centrally: every stage with epochs > 0 is refused at its path, exit 2, nothing written", () => {
  const was = runs();
  const r = compress(parent, ['compress.prune.sparsity=0.5', 'compress.share.clusters=8', 'compress.quantize.bits=8']);
  assert.equal(r.code, 2, r.stderr);
  const eps = readJson(join(store, 'runs', parent, 'run.json')).final.epsilon.toPrecision(4);
  assert.match(r.stderr, new RegExp(`compress\\.prune\\.epochs: expected 0: run ${parent} is federated, and a federated run's data stays on its clients: retraining would train its model centrally on the pooled training data \\(its privacy guarantee, epsilon ${eps}, covers the federated training only\\); compress it without retraining \\(--set compress\\.prune\\.epochs=0\\), or train a central run on this data to compress with retraining, found 2`));
  assert.match(r.stderr, /compress\.share\.epochs: expected 0: .* found 1/, 'share retrains 1 epoch by default');
  assert.doesNotMatch(r.stderr, /compress\.quantize\.epochs/, 'post-training quantization reads no training data');
  assert.deepEqual(runs(), was, 'no child run');
});

test("post-training compression of a federated run's model runs, and its children may not retrain it either", () => {
  const r = compress(parent, ['compress.prune.sparsity=0.5', 'compress.prune.epochs=0', 'compress.quantize.bits=8']);
  assert.equal(r.code, 0, r.stderr);
  const child = JSON.parse(r.stdout);
  assert.equal(child.status, 'completed');
  assert.equal(child.epochs, 1, 'no retraining epoch: only the measurements');
  const was = runs();
  const again = compress(child.id, ['compress.quantize.bits=4', 'compress.quantize.epochs=1']);
  assert.equal(again.code, 2, again.stderr);
  assert.match(again.stderr, new RegExp(`compress\\.quantize\\.epochs: expected 0: run ${child.id}'s model comes from federated run ${parent}, .* found 1`));
  assert.deepEqual(runs(), was, 'no grandchild run');
  assert.equal(compress(child.id, ['compress.quantize.bits=4']).code, 0, 'post-training quantization of the child');
});

test('the refusal holds along a chain whose middle run was deleted, and for a chain recorded before the origin was kept', () => {
  const mid = JSON.parse(compress(parent, ['compress.quantize.bits=8']).stdout);
  const last = JSON.parse(compress(mid.id, ['compress.quantize.bits=8']).stdout);
  assert.deepEqual([mid.status, last.status], ['completed', 'completed']);
  const lastFile = join(store, 'runs', last.id, 'run.json');
  const eps = readJson(join(store, 'runs', parent, 'run.json')).final.epsilon;
  assert.deepEqual(readJson(lastFile).federatedOrigin, { id: parent, epsilon: eps }, 'recorded in the grandchild, inherited from its parent');
  const retrain = ['compress.quantize.bits=4', 'compress.quantize.epochs=1'];
  const refused = new RegExp(`compress\\.quantize\\.epochs: expected 0: run ${last.id}'s model comes from federated run ${parent}, and a federated run's data stays on its clients: .*epsilon ${eps.toPrecision(4)}.* found 1`);
  // As a Hone from before the origin was recorded wrote it: the chain of parents still leads to the federated run.
  const { federatedOrigin: _o, ...older } = readJson(lastFile);
  writeFileSync(lastFile, JSON.stringify(older, null, 2));
  const walked = compress(last.id, retrain);
  assert.equal(walked.code, 2, walked.stderr);
  assert.match(walked.stderr, refused);
  writeFileSync(lastFile, JSON.stringify({ ...older, federatedOrigin: { id: parent, epsilon: eps } }, null, 2));
  assert.equal(hone(['rm', mid.id, '--detach', '--yes', '--store', store]).code, 0);
  assert.equal(readJson(lastFile).parent, undefined, 'the link to the deleted run is gone');
  const was = runs();
  const r = compress(last.id, retrain);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, refused);
  assert.deepEqual(runs(), was, 'no child run');
});

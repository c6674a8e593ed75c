// Chains of compressions through the built CLI with real workers: a child of a compressed run keeps
// what its parent compressed away, and its 'before' sizes are its parent's files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { digitsSpec, hone, readJson, writeSpec } from '../helpers/cli';

let dir: string;
let store: string;
let parent: string;
const quick = ['compress.latency.runs=2', 'compress.latency.warmup=1'];
const record = (id: string) => readJson(join(store, 'runs', id, 'run.json'));

/** `hone compress ref --set ...`; returns the child's id. */
function compress(ref: string, sets: string[]): string {
  const r = hone(['compress', ref, ...[...sets, ...quick].flatMap((s) => ['--set', s]), '--store', store, '--json']);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  return JSON.parse(r.stdout).id;
}

before(() => {
  dir = makeTmpDir();
  store = join(dir, 'store');
  const r = hone(['run', writeSpec(dir, 'dense', { ...digitsSpec('dense', { epochs: 3 }), backend: 'cpu', model: { type: 'mlp', layers: [32, 16] } }), '--store', store, '--json']);
  assert.equal(r.code, 0, r.stderr);
  parent = JSON.parse(r.stdout)[0].id;
});
after(() => removeTmpDir(dir));

test("sparsity never decreases along a chain with retraining: a child keeps its parent's zeros", () => {
  const pruned = compress(parent, ['compress.prune.sparsity=0.9', 'compress.prune.epochs=1']);
  const s = record(pruned).final.sparsity;
  assert.ok(Math.abs(s - 0.9) < 1e-3, `pruned to ${s}`);
  for (const sets of [
    ['compress.share.clusters=4', 'compress.share.epochs=1'],
    ['compress.quantize.bits=4', 'compress.quantize.epochs=1'],
    ['compress.prune.sparsity=0.5', 'compress.prune.epochs=1'],
    ['compress.prune.sparsity=0.5', 'compress.prune.schedule={"type":"iterative","cycles":2,"rewind":"none"}', 'compress.prune.epochs=1'],
  ]) {
    const child = record(compress(pruned, sets));
    assert.equal(child.status, 'completed');
    assert.ok(child.final.sparsity >= s, `${sets.join(' ')}: sparsity ${child.final.sparsity}, the parent's ${s}`);
  }
});

test("'before' sizes are the files of the model compressed: the parent's model/ and model.hone in a chain, the trained model/ in a run", () => {
  const files = (id: string) => ['model.json', 'weights.bin'].map((f) => join(store, 'runs', id, 'model', f));
  const sum = (fs: string[], size: (f: string) => number) => fs.reduce((a, f) => a + size(f), 0);
  const gz = (f: string) => gzipSync(readFileSync(f), { level: 9 }).length;
  const first = compress(parent, ['compress.quantize.bits=8']);
  const second = compress(first, ['compress.prune.sparsity=0.5', 'compress.prune.epochs=0']);
  const report = (id: string) => readJson(join(store, 'runs', id, 'compress.json'));
  for (const [child, from] of [[first, parent], [second, first]]) {
    const b = report(child).before;
    assert.equal(b.tfjsBytes, sum(files(from), (f) => statSync(f).size), `${child}: before TF.js bytes = ${from}'s model/`);
    assert.equal(b.tfjsGzipBytes, sum(files(from), gz));
  }
  assert.equal(report(first).before.packedBytes, undefined, 'a dense parent has no model.hone');
  assert.equal(report(second).before.packedBytes, statSync(join(store, 'runs', first, 'model.hone')).size);
  assert.ok(report(second).before.tfjsBytes < report(first).before.tfjsBytes / 2, 'the uint8 parent, not float32 again');
  assert.match(hone(['show', second, '--store', store]).stdout, new RegExp(`before .* ${report(second).before.packedBytes} `));
  // A train+compress run: the trained model it saved before compressing, float32.
  const own = join(dir, 'own');
  const r = hone(['run', writeSpec(dir, 'own', { ...digitsSpec('own', { epochs: 1 }), backend: 'cpu', compress: { quantize: { bits: 8 }, latency: { runs: 0 } } }), '--store', own, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const run = readJson(join(own, 'runs', JSON.parse(r.stdout)[0].id, 'compress.json'));
  assert.ok(run.before.tfjsBytes > run.before.float32Bytes, 'float32 weights and model.json');
  assert.equal(run.before.packedBytes, undefined);
});

test("a compression's best is its compressed model's, not a retraining epoch's before pruning took effect", () => {
  // Polynomial pruning over 2 epochs jumps to the final sparsity late in the stage: epoch 1 retrains a
  // model still dense, whose accuracies are the parent's, better than the pruned model's.
  const id = compress(parent, ['compress.prune.sparsity=0.95']);
  const rec = record(id);
  const lines = readFileSync(join(store, 'runs', id, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines[0].metrics.sparsity, 0, 'the first retraining epoch is of the unpruned model');
  assert.ok(Object.keys(rec.best).length > 5);
  for (const [k, v] of Object.entries(rec.best)) assert.equal(v, rec.final[k], `best ${k} is the final, compressed model's`);
  assert.doesNotMatch(hone(['show', id, '--store', store]).stdout, /^accuracy /m, "no retraining epoch's training accuracy as a best");
});

// Chains of compressions through the built CLI with real workers: a child of a compressed run keeps
// what its parent compressed away.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
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

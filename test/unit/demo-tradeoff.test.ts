// The demo's own trade-off (scripts/demo.sh, README's `hone report` example) through the built CLI: the
// digits MLP, its compressed child, and both attacked. Every run that saves a model records its size
// (tfjs_bytes: model/model.json + weights as compression counts them), and an attack the size of the model it
// attacked: so the trained model is placed beside its compressed child, and `hone report` and the Trade-offs
// view default to that size and rank the attacked models on a real front.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DashboardFeed } from '../../src/core/dashboard';
import { defaultChoice, scopePoints, tradeoffPlot } from '../../src/core/tradeoff';
import { hone, modelFileBytes, readJson, ROOT } from '../helpers/cli';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';

const COMPRESSED = 'digits-mlp > prune 0.8 polynomial + quantize 8 bits';

test('the demo\'s runs: the trained model, its compressed child and both attacked carry a size; hone report ranks the attacked on a front of two', async () => {
  const dir = makeTmpDir();
  try {
    const store = join(dir, 'store');
    const ok = (args: string[]) => {
      const r = hone([...args, '--store', store]);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
      return r.stdout;
    };
    ok(['run', join(ROOT, 'examples/digits-mlp.hone.json')]);
    ok(['compress', 'digits-mlp', '--set', 'compress.prune.sparsity=0.8', '--set', 'compress.quantize.bits=8']);
    const attack = (ref: string) => JSON.parse(ok(['attack', ref, '--eps', '0.05,0.1', '--points', '100', '--json']));
    const [dense, small] = [attack('digits-mlp'), attack(COMPRESSED)];
    const runOf = (id: string) => readJson(join(store, 'runs', id, 'run.json'));
    const files = (id: string) => modelFileBytes(join(store, 'runs', id));
    assert.equal(runOf(dense.parent).final.tfjs_bytes, files(dense.parent), 'the trained run records the size of its model files');
    assert.equal(runOf(dense.parent).best.tfjs_bytes, files(dense.parent));
    assert.equal(dense.metrics.tfjs_bytes, files(dense.parent), 'the size of the uncompressed model\'s files');
    assert.equal(small.metrics.tfjs_bytes, runOf(small.parent).final.tfjs_bytes, 'the compressed model\'s own tfjs_bytes, counted the same way');
    assert.ok(small.metrics.tfjs_bytes < dense.metrics.tfjs_bytes);

    const out = ok(['report', 'digits-mlp', COMPRESSED, dense.id, small.id, '--out', join(dir, 'report.html')]);
    const line = /\(4 runs; front over tfjs_bytes, test_accuracy, robust_accuracy: (.*); 2 not ranked \((.*)\)\)\n$/.exec(out);
    assert.ok(line, out);
    assert.deepEqual(line[1].split(', ').sort(), [dense.name, small.name].sort(), 'the dense model is more accurate, the compressed one smaller');
    assert.equal(line[2], `digits-mlp: no robust_accuracy; ${COMPRESSED}: no robust_accuracy`);

    // The Trade-offs view on all runs defaults the same way.
    const runs = (await new DashboardFeed(store).init()).runs;
    const scoped = scopePoints(runs, [], {});
    const plot = tradeoffPlot(scoped.points, defaultChoice(scoped.points), (id) => runs.find((x) => x.id === id)?.spec, scoped.declared);
    assert.equal(plot.axes.x.metric, 'tfjs_bytes');
    assert.deepEqual([...plot.front.front].sort(), [dense.id, small.id].sort());
    assert.equal(plot.plotted.length, 4, 'the trained model, its compressed child and both attacked ones have a size');
    assert.deepEqual(plot.notPlotted, []);
    const placed = (id: string) => plot.plotted.find((p) => p.id === id)!.values;
    const [trained, compressed] = [runOf(dense.parent), runOf(small.parent)];
    assert.equal(compressed.parent, trained.id);
    assert.deepEqual([placed(trained.id).tfjs_bytes, placed(compressed.id).tfjs_bytes], [trained.final.tfjs_bytes, compressed.final.tfjs_bytes], 'the parent beside its child');
  } finally {
    removeTmpDir(dir);
  }
});

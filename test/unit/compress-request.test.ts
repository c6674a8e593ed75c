// What `hone compress` checks before it writes anything (prepareCompress, in process), against a real
// parent trained by the built CLI: the child's train section after merging, the parent's data and model.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { digitsSpec, hone, ROOT, writeSpec } from '../helpers/cli';
import { prepareCompress } from '../../src/core/compress/start';

let dir: string;
let store: string;
let parent: string;

before(() => {
  dir = makeTmpDir();
  store = join(dir, 'store');
  const spec = { ...digitsSpec('mom', { epochs: 1, optimizer: 'momentum', momentum: 0.8 }), backend: 'cpu', model: { type: 'mlp', layers: [32, 16] } };
  const r = hone(['run', writeSpec(dir, 'mom', spec), '--store', store, '--json']);
  assert.equal(r.code, 0, r.stderr);
  parent = JSON.parse(r.stdout)[0].id;
});
after(() => removeTmpDir(dir));

const prepare = (sets: string[], ref = parent) => prepareCompress({ storeDir: store, ref, sets: ['compress.quantize.bits=8', ...sets] });

test("a parent trained with momentum compresses with another optimizer: the parent's momentum is dropped, a written one is checked", () => {
  assert.equal(prepare([]).spec.train.momentum, 0.8, "the parent's optimizer keeps its momentum");
  const adam = prepare(['train.optimizer=adam']).spec.train;
  assert.equal(adam.optimizer, 'adam');
  assert.equal(prepare(['train.optimizer=adamw', 'train.weightDecay=0.05']).spec.train.weightDecay, 0.05);
  assert.throws(() => prepare(['train.optimizer=adam', 'train.momentum=0.5']), /train\.momentum: expected no momentum with optimizer adam/);
});

test('--set compress.prune.schedule.frequency=10 alone sets the default polynomial schedule', () => {
  assert.deepEqual(prepare(['compress.prune.sparsity=0.5', 'compress.prune.schedule.frequency=10']).spec.compress!.prune!.schedule, { frequency: 10, type: 'polynomial', initialSparsity: 0, begin: 0, end: 0.75 });
});

test('a parent whose data file changed since it trained is refused: exit 2, nothing written', () => {
  const rows = (k: number) => ['a,b,label', ...Array.from({ length: 90 }, (_, i) => `${(i * k) % 7},${i % 5},${i % 3}`)].join('\n') + '\n';
  const csv = join(dir, 'data.csv');
  writeFileSync(csv, rows(3));
  const own = join(dir, 'csv-store');
  const spec = { name: 'csv', seed: 1, backend: 'cpu', data: { source: 'csv', path: csv, target: 'label', split: { train: 0.6, val: 0.2, test: 0.2 } }, model: { type: 'mlp', layers: [8] }, train: { epochs: 1 } };
  const r = hone(['run', writeSpec(dir, 'csv', spec), '--store', own, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const id = JSON.parse(r.stdout)[0].id;
  const set = ['--set', 'compress.quantize.bits=8', '--set', 'compress.latency.runs=0', '--store', own];
  assert.doesNotThrow(() => prepareCompress({ storeDir: own, ref: id, sets: ['compress.quantize.bits=8'] }), 'the same data');
  writeFileSync(csv, rows(4));
  const c = hone(['compress', id, ...set]);
  assert.equal(c.code, 2, c.stderr);
  assert.match(c.stderr, new RegExp(`run ${id} cannot be compressed: its data changed since it trained \\(SHA-256 [0-9a-f]{12} then, [0-9a-f]{12} now\\)`));
  assert.deepEqual(readdirSync(join(own, 'runs')), [id], 'no child run');
  writeFileSync(csv, rows(3));
  assert.equal(hone(['compress', id, ...set]).code, 0, 'the data restored');
  assert.equal(readdirSync(join(own, 'runs')).length, 2);
});

test("a structurally pruned parent is checked against its saved model's units, not its spec's: exit 2 with the JSON path, nothing written", () => {
  const r = hone(['compress', parent, '--set', 'compress.structured.fraction=0.5', '--set', 'compress.latency.runs=0', '--store', store, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const child = JSON.parse(r.stdout).id;
  const runs = readdirSync(join(store, 'runs'));
  // dense1 32 -> 16, dense2 16 -> 8: 0.95 leaves a unit of the spec's 16 but not of the saved 8.
  const c = hone(['compress', child, '--set', 'compress.structured.fraction=0.95', '--store', store]);
  assert.equal(c.code, 2, c.stderr);
  assert.match(c.stderr, new RegExp(`compress\\.structured\\.fraction: expected a fraction that leaves dense2 at least one of its 8 units in run ${child}'s model \\(round\\(fraction x 8\\) < 8\\), found 0\\.95`));
  assert.doesNotMatch(c.stderr, /dense1/, 'dense1 keeps a unit of its 16');
  assert.deepEqual(readdirSync(join(store, 'runs')), runs, 'no child run');
  const rewind = ['compress.prune.sparsity=0.5', 'compress.prune.schedule={"type":"iterative","cycles":2,"rewind":"init"}'];
  assert.throws(() => prepare(rewind, child), new RegExp(`compress\\.prune\\.schedule\\.rewind: expected "none": run ${child}'s model is not the network its spec builds \\(dense1 has 16 units, the spec 32, dense2 has 8 units, the spec 16: structurally pruned\\)`));
  assert.doesNotThrow(() => prepare(rewind), 'the unpruned parent rewinds');
  assert.doesNotThrow(() => prepare(['compress.structured.fraction=0.9'], child), 'a fraction that leaves units of the saved model');
});

test("a compress spec file's parts are used or refused: name and description are the child's, train must be an object of fields the retraining applies", () => {
  const file = (body: unknown) => {
    const f = join(dir, `c${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(f, JSON.stringify(body));
    return f;
  };
  const fromFile = (body: unknown, sets: string[] = []) => prepareCompress({ storeDir: store, ref: parent, specPath: file(body), sets });
  const named = fromFile({ name: 'q8 retrained', description: 'why', compress: { quantize: { bits: 8 } }, train: { lr: 0.002 } });
  assert.equal(named.name, 'q8 retrained');
  assert.equal(named.spec.description, 'why');
  assert.equal(named.spec.train.lr, 0.002);
  assert.match(fromFile({ compress: { quantize: { bits: 8 } } }).name, /^mom > quantize 8/, 'unnamed: after its parent and techniques');
  const cases: [unknown, string[], RegExp][] = [
    [{ compress: { quantize: { bits: 8 } }, train: null }, [], /train: expected an object of train fields for the retraining, e\.g\. \{"lr": 0\.0005\}, found null/],
    [{ compress: { quantize: { bits: 8 } }, train: 5 }, [], /train: expected an object of train fields .*, found 5/],
    [{ compress: { quantize: { bits: 8 } }, train: 'ab' }, [], /train: expected an object of train fields .*, found "ab"/],
    [{ compress: { quantize: { bits: 8 } }, name: 3 }, [], /name: expected a non-empty string: the name of the compress run, found 3/],
    [{ compress: { quantize: { bits: 8 } }, description: 3 }, [], /description: expected a string/],
    [{ compress: { quantize: { bits: 8 } }, train: { epochs: 50 } }, [], /train\.epochs: expected no train\.epochs in hone compress: each compression stage retrains its own epochs .*; the retraining applies train's optimizer, lr, momentum/],
    [{ compress: { quantize: { bits: 8 } } }, ['train.dropout=0.5'], /train\.dropout: expected no train\.dropout in hone compress: the parent's network keeps its own dropout layers/],
    [{ compress: { quantize: { bits: 8 } } }, ['train.earlyStopping={"metric":"val_loss","patience":2}'], /train\.earlyStopping: expected no train\.earlyStopping in hone compress: compression retrains without early stopping/],
  ];
  for (const [body, sets, message] of cases) assert.throws(() => fromFile(body, sets), message, JSON.stringify(body));
});

test("a full spec file (an example's) gives its compress section alone, and says so; one without a compress section is refused with the shapes taken", () => {
  const example = join(ROOT, 'examples/digits-compress.hone.json');
  const spec = JSON.parse(readFileSync(example, 'utf8'));
  const p = prepareCompress({ storeDir: store, ref: parent, specPath: example, sets: ['compress.latency.runs=0'] });
  assert.deepEqual(p.spec.compress!.prune, { sparsity: 0.8, scope: 'layer', layers: {}, schedule: { type: 'polynomial', frequency: 20, initialSparsity: 0, begin: 0, end: 0.75 }, epochs: 4 });
  assert.equal(p.spec.compress!.share!.clusters, 16);
  assert.equal(p.spec.compress!.latency.runs, 0, 'assignments still apply over it');
  assert.equal(p.spec.train.lr, 0.01, "the parent's train, not the example's lr 0.003");
  assert.equal(p.spec.seed, 3, "the parent's seed");
  assert.match(p.name, /^mom > prune 0\.8 polynomial \+ share 16$/, "named after the parent, not the example");
  assert.deepEqual(p.notes, [`${example} is a full spec: using its compress section only; its name, description, seed, data, model, train are not used (the child keeps run ${parent}'s data, model and train settings; --set train.<field> changes the retraining's)`]);
  const at = (body: string) => {
    const f = join(dir, `full${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(f, body);
    return () => prepareCompress({ storeDir: store, ref: parent, specPath: f, sets: [] });
  };
  const { compress: _c, ...noCompress } = spec;
  assert.throws(at(JSON.stringify(noCompress)), /compress: expected a compress section: this file is a full spec \(it has data and model\), of which hone compress uses only the compress section; or give a compress file, \{"compress": \{\.\.\.\}\} with optionally train, name and description, found nothing/);
  assert.doesNotThrow(at('{"name": "a", "data": {"source": "digits", "source": "digits"}, "model": {"type": "mlp"}, "compress": {"quantize": {"bits": 8}}}'), 'a duplicate key in a part not used');
  assert.throws(at('{"name": "a", "data": {"source": "digits"}, "model": {"type": "mlp"}, "compress": {"quantize": {"bits": 8, "bits": 4}}}'), /compress\.quantize\.bits: .*line 1/);
  assert.throws(at('{"compress": {"quantize": {"bits": 8}}, "seed": 4}'), /seed: expected no 'seed' here: hone compress keeps the parent run's seed; .* and of a full spec \(one with data and model\) only the compress section is used/);
});

test("hone compress with a full spec file prints which part it uses, and the child's log keeps it", () => {
  const sets = ['compress.prune.epochs=0', 'compress.share.epochs=0', 'compress.latency.runs=0'].flatMap((s) => ['--set', s]);
  const r = hone(['compress', parent, 'examples/digits-compress.hone.json', ...sets, '--store', store, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const note = /hone compress: examples\/digits-compress\.hone\.json is a full spec: using its compress section only; its name, description, seed, data, model, train are not used/;
  assert.match(r.stderr, note);
  const child = JSON.parse(r.stdout);
  assert.equal(child.status, 'completed');
  assert.match(readFileSync(join(store, 'runs', child.id, 'log.txt'), 'utf8'), /^examples\/digits-compress\.hone\.json is a full spec: using its compress section only/);
});

test('a compress spec file is read as a spec file is: a named pipe is bad input at once, not a read that blocks for ever', () => {
  const fifo = join(dir, 'compress.fifo');
  execFileSync('mkfifo', [fifo]);
  assert.throws(() => prepareCompress({ storeDir: store, ref: parent, specPath: fifo, sets: [] }), /expected a readable spec file, found a named pipe \(FIFO\) at .*compress\.fifo/);
});

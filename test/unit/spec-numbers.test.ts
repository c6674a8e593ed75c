// Issue 9, the numeric rule: every number in a spec is finite, bounded by what the machine can do, and an
// integer where an integer is meant, whether it is written in the file, given by --set or set by a sweep.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyOverrides, loadSpecFile, validateSpec, type SpecProblem } from '../../src/core/spec';
import { showFound } from '../../src/core/spec/describe';
import { BASE_DIR, DIGITS, REGRESSION, SWEEP } from '../fixtures/malformed-specs';
import { writeTinyMnist } from '../helpers/tiny-mnist';

type Json = any;
const dir = mkdtempSync(join(tmpdir(), 'hone-numbers-'));
const MNIST = writeTinyMnist(join(dir, 'mnist'));
const FINITE = 'a finite number (beyond about ±1.8e308 a number overflows to Infinity)';

function load(text: string, sets: string[] = []): SpecProblem[] {
  const file = join(dir, 'spec.hone.json');
  writeFileSync(file, text);
  return loadSpecFile(file, sets, BASE_DIR).problems;
}

const set = (spec: Json, ...sets: string[]): Json => {
  const r = applyOverrides(spec, sets);
  assert.deepEqual(r.problems, []);
  return r.value;
};

/** Each number the issue names, in a spec that uses it. */
const CNN = { ...DIGITS, model: { type: 'cnn', filters: [4, 8], kernelSize: 3 } };
const FIELDS: [string, Json][] = [
  ['train.epochs', DIGITS], ['train.lr', DIGITS], ['train.l2', DIGITS], ['train.clipNorm', DIGITS], ['seed', DIGITS],
  ['model.layers[0]', DIGITS], ['data.samples', REGRESSION], ['model.kernelSize', CNN], ['model.filters[1]', CNN],
  ['data.limit', { ...CNN, data: { source: 'mnist', path: MNIST, limit: 30 } }],
  ['sweep.trials', SWEEP], ['sweep.seed', SWEEP], ['sweep.parallel', SWEEP], ['sweep.timeLimit', SWEEP],
  ['sweep.sampler.points', set(SWEEP, 'sweep.sampler={"type":"grid"}')],
  ['sweep.stopper.eta', set(SWEEP, 'sweep.stopper={"type":"asha"}')],
  ['train.batchSize', DIGITS], ['train.earlyStopping.patience', set(DIGITS, 'train.earlyStopping={"metric":"loss"}')],
];

test('the fields of the issue are valid in their specs as given', () => {
  for (const [path, spec] of FIELDS) assert.deepEqual(validateSpec(spec, { baseDir: BASE_DIR }).problems, [], path);
});

for (const [path, spec] of FIELDS) {
  test(`${path}: 1e309 in the file, 1e309 by --set and 1e300 are each one problem at ${path}`, () => {
    // JSON.stringify cannot write 1e309: a placeholder is written and replaced in the text.
    const text = JSON.stringify(set(spec, `${path}="@"`)).replace('"@"', '1e309');
    assert.deepEqual(load(text).map(({ path, expected }) => ({ path, expected })), [{ path, expected: FINITE }]);
    assert.match(load(text)[0].found, /^1e309 at line 1, column \d+$/);

    const bySet = load(JSON.stringify(spec), [`${path}=1e309`]);
    assert.deepEqual(bySet.map((p) => [p.path, p.expected, p.found]), [[path, FINITE, `1e309 (in "${path}=1e309")`]]);

    const huge = load(JSON.stringify(spec), [`${path}=1e300`]);
    assert.deepEqual(huge.map((p) => p.path), [path]);
    assert.match(huge[0].expected, /(<|<=) \d+$|in [[(][-\d.e]+, \d+[\])]$/);
  });
}

test('a non-finite number in a value (not from a file) is one problem that names it, not null', () => {
  const problems = validateSpec({ ...DIGITS, train: { epochs: Infinity, lr: -Infinity, l2: NaN } }, { baseDir: BASE_DIR }).problems;
  assert.deepEqual(problems.map((p) => [p.path, p.expected, p.found]), [
    ['train.epochs', FINITE, 'Infinity'],
    ['train.lr', FINITE, '-Infinity'],
    ['train.l2', FINITE, 'NaN'],
  ]);
  assert.equal(showFound([1, Infinity, { a: NaN }]), '[1,Infinity,{"a":NaN}]');
});

test('values the schema leaves open are finite too: categorical values and condition values', () => {
  const spec = set(SWEEP, 'sweep.parameters={"train.optimizer":{"type":"categorical","values":["adam","momentum"]},"train.momentum":{"type":"float","min":0.5,"max":0.9,"when":{"parameter":"train.optimizer","in":["@"]}}}');
  const text = JSON.stringify(spec).replace('"@"', '-1e999');
  assert.deepEqual(load(text).map((p) => p.path), ['sweep.parameters["train.momentum"].when.in[0]']);
  const values = JSON.stringify(set(SWEEP, 'sweep.parameters["train.lr"]={"type":"categorical","values":[0.01,"@"]}')).replace('"@"', '1e309');
  assert.deepEqual(load(values).map((p) => p.path), ['sweep.parameters["train.lr"].values[1]']);
});

test('every number a sweep can set is checked at its path, a float range inside its range too', () => {
  const problems = (spec: Json) => validateSpec(spec, { baseDir: BASE_DIR }).problems.map((p) => `${p.path}: ${p.expected}`);
  assert.deepEqual(problems(set(SWEEP, 'sweep.parameters["train.epochs"]={"type":"int","min":1,"max":200000}')), [
    'sweep.parameters["train.epochs"].max: a value valid at train.epochs: an integer <= 100000',
  ]);
  assert.deepEqual(problems(set(SWEEP, 'sweep.parameters["train.epochs"]={"type":"float","min":1,"max":10}')), [
    'sweep.parameters["train.epochs"].type: a value valid at train.epochs: an integer in [1, 100000]',
  ]);
  assert.deepEqual(problems(set(SWEEP, 'sweep.parameters["train.epochs"]={"type":"float","min":1,"max":10,"step":1}')), [], 'a float on whole steps is an integer');
  assert.deepEqual(problems(set(SWEEP, 'sweep.parameters["train.lr"]={"type":"float","min":0.001,"max":1e12}')), ['sweep.parameters["train.lr"].max: a number <= 1000000000']);
});

test('what the machine holds: generated data, centroids, weights, activations, grid combinations', () => {
  const paths = (spec: Json) => validateSpec(spec, { baseDir: BASE_DIR }).problems.map((p) => [p.path, p.expected, p.found]);
  assert.deepEqual(paths(set(REGRESSION, 'data.samples=1000000', 'data.features=100')), [
    ['data.samples', 'samples × features at most 50000000 values (200 MB as float32)', '1000000 × 100'],
  ]);
  assert.deepEqual(paths(set(REGRESSION, 'data.samples=500000', 'data.features=100')), [], 'exactly at the limit');
  const cls = { ...REGRESSION, data: { source: 'classification', samples: 100, features: 60000, informative: 60000, classes: 1000 }, model: { type: 'mlp', layers: [8] } };
  assert.deepEqual(paths(cls).map((p) => p.slice(0, 2)), [
    ['data.classes', 'at most samples = 100 classes, so that no class is empty'],
    ['data.classes', 'classes × informative at most 50000000 values (200 MB as float32)'],
  ]);
  const few = (classes: number) => paths({ ...cls, data: { source: 'classification', samples: 6, features: 4, informative: 3, classes } });
  assert.deepEqual(few(8), [['data.classes', 'at most samples = 6 classes, so that no class is empty', '8']]);
  assert.deepEqual(few(6), [], 'one sample per class');
  assert.deepEqual(paths(set(DIGITS, 'model.layers=[8192,8192]')), [['model', 'a model of at most 33554432 weights (128 MiB as float32)', '67731466 weights']]);
  assert.deepEqual(paths(set(DIGITS, 'model.layers=[4096,4096]')), []);
  const wide = { ...CNN, model: { type: 'cnn', filters: [8192], dense: [] } };
  assert.deepEqual(paths(wide).map((p) => p[0]), ['model'], 'activations: 8x8x8192 per sample, times the evaluation batch');
  assert.deepEqual(paths(set(wide, 'model.filters=[1024]', 'train.batchSize=0')), [], 'a full batch of digits is 1797 rows');
  const grid = set(SWEEP, 'sweep.sampler={"type":"grid"}', 'sweep.parameters["train.lr"]={"type":"float","min":0.001,"max":0.1,"step":0.0000001}');
  assert.deepEqual(paths(grid).map((p) => p[0]), ['sweep.sampler']);
  const conditional = set(SWEEP, 'sweep.sampler={"type":"grid","points":100}', 'sweep.parameters={"train.optimizer":{"type":"categorical","values":["adam","momentum","sgd"]},"train.lr":{"type":"float","min":0.001,"max":0.1},"train.momentum":{"type":"float","min":0.5,"max":0.9,"when":{"parameter":"train.optimizer","in":["momentum"]}}}');
  assert.deepEqual(paths(conditional), [], '100 + 100 * 100 + 100 combinations: conditions are followed, not multiplied out');
});

test('integers where integers are meant, and the largest seeds', () => {
  const at = (spec: Json) => validateSpec(spec, { baseDir: BASE_DIR }).problems.map((p) => `${p.path}: ${p.expected}`);
  assert.deepEqual(at(set(DIGITS, 'train.epochs=2.5', 'seed=4294967296')), ['seed: an integer <= 4294967295', 'train.epochs: an integer in [1, 100000]']);
  assert.deepEqual(at(set(DIGITS, 'seed=4294967295')), []);
});

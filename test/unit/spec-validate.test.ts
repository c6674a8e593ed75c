import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateSpec, inputShapeOf, formatProblems, loadSpecFile, MNIST_FILES, SPEC_SCHEMA, type DataSpec, type Spec } from '../../src/core/spec';
import { BASE_DIR, DIGITS, MALFORMED, REGRESSION, VALID } from '../fixtures/malformed-specs';
import { writeTinyMnist } from '../helpers/tiny-mnist';

const check = (raw: unknown) => validateSpec(raw, { baseDir: BASE_DIR });

/** A case's problems: its text read as a spec file is, else its object validated. */
const textDir = mkdtempSync(join(tmpdir(), 'hone-text-'));
function problemsOf(c: { name: string; spec: unknown; text?: string }) {
  if (c.text === undefined) return check(c.spec);
  const file = join(textDir, 'case.hone.json');
  writeFileSync(file, c.text);
  return loadSpecFile(file, [], BASE_DIR);
}

test('fixtures: at least 35 malformed cases with distinct names', () => {
  assert.ok(MALFORMED.length >= 35);
  assert.equal(new Set(MALFORMED.map((c) => c.name)).size, MALFORMED.length);
});

for (const c of MALFORMED) {
  test(`malformed: ${c.name} -> problem at '${c.path}' only`, () => {
    const { spec, problems } = problemsOf(c);
    assert.equal(spec, undefined);
    assert.ok(problems.some((p) => p.path === c.path), `no problem at '${c.path}': ${JSON.stringify(problems)}`);
    // One thing is broken, so nothing else may be reported (no noise from oneOf branches or knock-on checks).
    assert.deepEqual(problems.map((p) => p.path).filter((p) => p !== c.path), [], JSON.stringify(problems));
    for (const p of problems) assert.ok(p.expected.length > 0 && p.found.length > 0);
  });
}

for (const c of VALID) {
  test(`valid: ${c.name}`, () => {
    const { spec, problems } = check(c.spec);
    assert.deepEqual(problems, []);
    assert.ok(spec);
  });
}

test('every problem is reported at once, schema and semantic together', () => {
  const raw = structuredClone(DIGITS);
  raw.train = { lrr: 0.1, optimizer: 'adam', weightDecay: 0.1 };
  raw.model.activation = 'rleu';
  raw.data.split = { train: 0.5, val: 0.1, test: 0.1 };
  const paths = check(raw).problems.map((p) => p.path).sort();
  assert.deepEqual(paths, ['data.split', 'model.activation', 'train.lrr', 'train.weightDecay']);
});

test('problems are phrased in plain words', () => {
  const raw = structuredClone(REGRESSION);
  raw.train = { lrr: 0.1, optimizer: 'adamw', lr: -1, batchSize: 1.5 };
  raw.backend = 'webgpuu';
  const byPath = Object.fromEntries(check(raw).problems.map((p) => [p.path, p]));
  assert.deepEqual(byPath['train.lrr'], { path: 'train.lrr', expected: "no property 'lrr' (did you mean 'lr'?)", found: '0.1' });
  assert.deepEqual(byPath['train.lr'], { path: 'train.lr', expected: 'a number > 0', found: '-1' });
  assert.equal(byPath['train.batchSize'].expected, 'an integer in [0, 10000000]');
  assert.match(byPath.backend.expected, /^one of: auto, tensorflow-gpu, .* \(did you mean 'webgpu'\?\)$/);
  const missing = check({ ...REGRESSION, data: { source: 'csv', target: 0 } }).problems;
  assert.deepEqual(missing, [{ path: 'data.path', expected: "required property 'path'", found: 'nothing' }]);
  const long = check({ ...REGRESSION, name: 'x'.repeat(200), seed: 'y'.repeat(200) }).problems;
  assert.ok(long[0].found.length <= 60 && long[0].found.endsWith('...'));
});

test('a wrong discriminator tag reports only the tag', () => {
  const raw = { ...DIGITS, data: { source: 'digitz', split: { train: 5 }, samples: 'many' } };
  assert.deepEqual(check(raw).problems, [
    { path: 'data.source', expected: "one of: regression, classification, digits, mnist, csv (did you mean 'digits'?)", found: '"digitz"' },
  ]);
});

test('defaults are filled, inside oneOf branches too, and the input is not mutated', () => {
  const raw = { name: 'min', data: { source: 'regression', features: 5 }, model: { type: 'cnn' }, train: { schedule: { type: 'step' }, earlyStopping: {} } };
  const before = structuredClone(raw);
  const { spec } = validateSpec({ ...raw, model: { type: 'mlp' }, data: { ...raw.data, split: { val: 0.1, test: 0.1 } } }, { baseDir: BASE_DIR });
  assert.deepEqual(raw, before);
  assert.ok(spec);
  assert.equal(spec.seed, 0);
  assert.equal(spec.backend, 'auto');
  assert.deepEqual(spec.data, {
    source: 'regression', features: 5, informative: 5, samples: 1000, noise: 0.1, bias: 0,
    split: { train: 0.8, val: 0.1, test: 0.1 }, normalize: 'standard', normalizeTarget: false,
  });
  assert.deepEqual(spec.model, { type: 'mlp', layers: [64], activation: 'relu', dropout: 0 });
  assert.deepEqual(spec.train.schedule, { type: 'step', stepEpochs: 10, gamma: 0.1 });
  assert.deepEqual(spec.train.earlyStopping, { metric: 'val_loss', patience: 5, minDelta: 0, mode: 'auto' });
  const { optimizer, lr, momentum, weightDecay, batchSize, epochs, l1, l2, regularizeBias, dropout, clipNorm } = spec.train;
  assert.deepEqual(
    { optimizer, lr, momentum, weightDecay, batchSize, epochs, l1, l2, regularizeBias, dropout, clipNorm },
    { optimizer: 'adam', lr: 0.001, momentum: 0.9, weightDecay: 0.01, batchSize: 32, epochs: 10, l1: 0, l2: 0, regularizeBias: false, dropout: 0, clipNorm: 0 },
  );
});

test('defaults of the other branches: classification, cnn, constant schedule, onecycle', () => {
  const cls = check({ name: 'c', data: { source: 'classification' }, model: { type: 'linear' }, train: { schedule: { type: 'onecycle' } } }).spec as Spec;
  assert.deepEqual(cls.data, {
    source: 'classification', samples: 1000, features: 20, informative: 2, classes: 2, classSep: 1,
    split: { train: 0.8, val: 0, test: 0.2 }, normalize: 'standard', normalizeTarget: false,
  });
  assert.deepEqual(cls.train.schedule, { type: 'onecycle', pctStart: 0.3, divFactor: 25, finalDivFactor: 10000 });
  const cnn = check({ name: 'c', data: { source: 'digits' }, model: { type: 'cnn' } }).spec as Spec;
  assert.deepEqual(cnn.model, { type: 'cnn', filters: [6, 16], kernelSize: 5, pool: 2, dense: [120, 84], activation: 'relu', dropout: 0, batchNorm: false });
  assert.deepEqual(cnn.train.schedule, { type: 'constant' });
  const cos = check({ ...DIGITS, train: { schedule: { type: 'cosine' } } }).spec as Spec;
  assert.deepEqual(cos.train.schedule, { type: 'cosine', warmupEpochs: 0, minLr: 0 });
});

test('code holds no default numbers: the filled lr is the schema default', () => {
  const train = (SPEC_SCHEMA.properties as Record<string, { properties?: Record<string, { default?: unknown }> }>).train;
  assert.equal((check(DIGITS).spec as Spec).train.lr, train.properties?.lr.default);
});

test('weightDecay and momentum pass with their own optimisers; defaults never trip the checks', () => {
  assert.deepEqual(check({ ...REGRESSION, train: { optimizer: 'adamw', weightDecay: 0.1 } }).problems, []);
  assert.deepEqual(check({ ...REGRESSION, train: { optimizer: 'nesterov', momentum: 0.5 } }).problems, []);
  assert.deepEqual(check({ ...REGRESSION, train: { optimizer: 'rmsprop' } }).problems, []);
});

test('a dropout rate needs the dense hidden layers it follows (an mlp, or a cnn with model.dense); 0 always passes', () => {
  const drop = (model: object, train: object = {}) => check({ ...DIGITS, model, train }).problems;
  const stack = { type: 'layers', layers: [{ type: 'dense', units: 8 }] };
  assert.deepEqual(drop({ type: 'mlp', layers: [8] }, { dropout: 0.3 }), []);
  assert.deepEqual(drop({ type: 'cnn', dense: [16], dropout: 0.3 }, { dropout: 0.3 }), []);
  assert.deepEqual(drop(stack, { dropout: 0 }), []);
  assert.deepEqual(drop({ type: 'cnn', dense: [] }), []);
  assert.deepEqual(drop(stack, { dropout: 0.3 }), [{
    path: 'train.dropout', kind: 'check', found: '0.3',
    expected: '0: it applies after the dense hidden layers of an mlp or cnn, and this layers model has none (put {"type": "dropout", "rate": ...} entries in model.layers instead)',
  }]);
  assert.match(drop({ type: 'linear' }, { dropout: 0.3 })[0].expected, /this linear model has none \(a linear model has no hidden layer: use an mlp\)$/);
  const cnn = drop({ type: 'cnn', dense: [], dropout: 0.5 }, { dropout: 0.3 });
  assert.deepEqual(cnn.map((p) => p.path), ['train.dropout', 'model.dropout']);
  assert.equal(cnn[1].expected, '0: it applies after each dense layer, and model.dense is empty: give it dense layers, or use a layers model with {"type": "dropout"} entries');
});

test("early stopping's mode, when written, agrees with the metric registry", () => {
  const es = (metric: string, mode: string) => check({ ...DIGITS, train: { earlyStopping: { metric, mode } } }).problems;
  assert.deepEqual(es('val_loss', 'min'), []);
  assert.deepEqual(es('val_accuracy', 'auto'), []);
  const [p] = es('val_loss', 'max');
  assert.equal(p?.path, 'train.earlyStopping.mode');
  assert.match(p.expected, /"min" or "auto": val_loss \(val loss\) is better lower/);
});

test('cosine decay needs a minLr at most lr: above it the learning rate would rise over training', () => {
  const cosine = (minLr: number) => check({ ...REGRESSION, train: { lr: 0.01, schedule: { type: 'cosine', minLr } } }).problems;
  assert.deepEqual(cosine(0.001), []);
  assert.deepEqual(cosine(0.01), []);
  const [p] = cosine(1000);
  assert.equal(p.path, 'train.schedule.minLr');
  assert.match(p.expected, /a minLr <= train\.lr \(0\.01\)/);
});

test('cosine warm-up must end before training does: a warm-up of all the epochs never reaches lr nor decays', () => {
  const warm = (warmupEpochs: number, epochs: number) => check({ ...REGRESSION, train: { lr: 0.01, epochs, schedule: { type: 'cosine', warmupEpochs } } }).problems;
  assert.deepEqual(warm(4, 5), []);
  assert.deepEqual(warm(5, 5), [{ path: 'train.schedule.warmupEpochs', kind: 'check', found: '5', expected: 'fewer than train.epochs (5): the warm-up reaches lr only at its last step, and the cosine decay comes after it' }]);
  const byDefault = check({ ...REGRESSION, train: { schedule: { type: 'cosine', warmupEpochs: 10 } } }).problems;
  assert.match(byDefault[0]?.expected ?? '', /^fewer than train\.epochs \(10\)/, 'against the default 10 epochs too');
});

test('csv: normalizeTarget needs a regression target, set in data.task or read from the target column as the run does', () => {
  const csv = (target: string) => ({ source: 'csv', path: 'xy.csv', target, normalizeTarget: true });
  assert.deepEqual(check({ ...REGRESSION, data: { ...csv('y'), task: 'regression' } }).problems, []);
  // y holds decimals: the loader reads a regression target, and standardises it.
  assert.deepEqual(check({ ...REGRESSION, data: csv('y') }).problems, []);
  // x2 holds the integers 0..9: a classification target unless data.task says otherwise.
  assert.deepEqual(check({ ...REGRESSION, data: csv('x2') }).problems, [{
    path: 'data.normalizeTarget', kind: 'check', found: 'true',
    expected: 'false: only a regression target can be normalised (data.task is not set, and the values of data.target "x2" read as a classification target): set data.task to "regression" for a numeric target',
  }]);
  assert.deepEqual(check({ ...REGRESSION, data: { ...csv('x2'), task: 'regression' } }).problems, []);
  assert.deepEqual(check({ ...REGRESSION, data: { ...csv('y'), task: 'classification' } }).problems.map((p) => p.path), ['data.normalizeTarget']);
});

test('csv without data.task: early stopping and sweep objectives take the task the loader guesses from the target', () => {
  const csv = (target: string) => ({ source: 'csv', path: 'xy.csv', target, split: { train: 0.6, val: 0.2, test: 0.2 } });
  const es = (target: string, metric: string) => check({ ...REGRESSION, data: csv(target), train: { earlyStopping: { metric } } }).problems;
  // y holds decimals (regression); x2 holds the integers 0..9 (classification).
  assert.deepEqual(es('y', 'val_mse'), []);
  assert.deepEqual(es('x2', 'val_accuracy'), []);
  const [p] = es('y', 'val_accuracy');
  assert.deepEqual(p, {
    path: 'train.earlyStopping.metric', kind: 'check', found: '"val_accuracy"',
    expected: 'one of: loss, val_loss, mse, val_mse (data.task is not set, and the values of data.target "y" read as a regression target)',
  });
  assert.deepEqual(es('x2', 'val_mse').map((q) => q.path), ['train.earlyStopping.metric']);
  const sweep = (metric: string) => ({ parameters: { 'train.lr': { type: 'float', min: 0.001, max: 0.1 } }, objectives: [{ metric, direction: 'maximize' }], trials: 2 });
  const [q] = check({ ...REGRESSION, data: csv('y'), sweep: sweep('val_accuracy') }).problems;
  assert.equal(q?.path, 'sweep.objectives[0].metric');
  assert.match(q.expected, /^a metric the spec's stages record \(data\.task is not set, and the values of data\.target "y" read as a regression target\): training: loss, val_loss, mse, val_mse$/);
  assert.deepEqual(check({ ...REGRESSION, data: csv('x2'), sweep: sweep('val_accuracy') }).problems, []);
});

test('a val_ metric needs a validation part of at least one row, not only data.split.val > 0', () => {
  const tiny = { source: 'regression', samples: 2, split: { train: 0.6, val: 0.2, test: 0.2 } };
  const [p, ...rest] = check({ ...REGRESSION, data: tiny, train: { earlyStopping: { metric: 'val_loss' } } }).problems;
  assert.deepEqual(rest, []);
  assert.equal(p?.path, 'train.earlyStopping.metric');
  assert.equal(p.found, '"val_loss" with data.split.val = 0.2, which gives none of the 2 training and validation rows');
  const objective = { parameters: { 'train.lr': { type: 'float', min: 0.001, max: 0.1 } }, objectives: [{ metric: 'val_loss', direction: 'minimize' }], trials: 2 };
  assert.deepEqual(check({ ...REGRESSION, data: tiny, sweep: objective }).problems.map((q) => q.path), ['sweep.objectives[0].metric']);
  assert.deepEqual(check({ ...REGRESSION, data: { ...tiny, samples: 3 }, train: { earlyStopping: { metric: 'val_loss' } } }).problems, []);
});

test('mnist: a folder with the four IDX files passes; the problem lists only the missing ones', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hone-spec-'));
  writeTinyMnist(join(dir, 'mnist'));
  const last = readFileSync(join(dir, 'mnist', MNIST_FILES[3]));
  rmSync(join(dir, 'mnist', MNIST_FILES[3]));
  const raw = { ...DIGITS, data: { source: 'mnist', path: 'mnist', limit: 100 }, model: { type: 'cnn' } };
  const [p] = validateSpec(raw, { baseDir: dir }).problems;
  assert.equal(p.path, 'data.path');
  assert.match(p.found, /without t10k-labels-idx1-ubyte\.gz$/);
  writeFileSync(join(dir, 'mnist', MNIST_FILES[3]), last);
  assert.deepEqual(validateSpec(raw, { baseDir: dir }).problems, []);
  assert.deepEqual(validateSpec({ ...raw, data: { ...raw.data, path: join(dir, 'mnist') } }, { baseDir: '/' }).problems, []);
});

test('cnn depth: three pooled blocks fit 8x8, four do not; pool 1 never shrinks', () => {
  const cnn = (filters: number[], pool = 2) => check({ ...DIGITS, model: { type: 'cnn', filters, pool } }).problems;
  assert.deepEqual(cnn([4, 4, 4]), []);
  assert.match(cnn([4, 4, 4, 4])[0].found, /8x8 -> 4x4 -> 2x2 -> 1x1 -> 0x0/);
  assert.deepEqual(cnn([4, 4, 4, 4, 4, 4], 1), []);
});

test('layers: conv2d pads same by default (as the model builder does); pools shrink with valid padding', () => {
  const stack = (...layers: object[]) => check({ ...DIGITS, model: { type: 'layers', layers } }).problems;
  assert.deepEqual(stack({ type: 'conv2d', filters: 2, kernelSize: 9 }), []);
  assert.deepEqual(stack({ type: 'conv2d', filters: 2, kernelSize: 3, padding: 'valid' }, { type: 'maxPool2d', poolSize: 6 }), []);
  const [p] = stack({ type: 'conv2d', filters: 2, kernelSize: 3, padding: 'valid' }, { type: 'maxPool2d', poolSize: 7 });
  assert.equal(p.path, 'model.layers[1]');
  assert.match(p.found, /giving 0x0$/);
  // A flatten needs image-shaped input: once, before any dense layer; never on flat data.
  assert.deepEqual(stack({ type: 'conv2d', filters: 2, kernelSize: 3 }, { type: 'flatten' }, { type: 'dense', units: 4 }), []);
  for (const layers of [[{ type: 'flatten' }, { type: 'flatten' }], [{ type: 'dense', units: 4 }, { type: 'flatten' }]]) {
    const [q] = stack(...layers);
    assert.equal(q?.path, 'model.layers[1]', JSON.stringify(layers));
    assert.match(q.found, /on input that is already flat/);
  }
  const flatData = check({ name: 'r', data: { source: 'regression', samples: 50, features: 3 }, model: { type: 'layers', layers: [{ type: 'flatten' }] }, train: { epochs: 1 } }).problems;
  assert.equal(flatData[0]?.path, 'model.layers[0]');
});

test('inputShapeOf: static per-sample shapes', () => {
  const base = { split: { train: 1, val: 0, test: 0 }, normalize: 'none', normalizeTarget: false } as const;
  const shape = (d: object) => inputShapeOf({ ...base, ...d } as DataSpec);
  assert.deepEqual(shape({ source: 'regression', features: 3 }), [3]);
  assert.deepEqual(shape({ source: 'classification', features: 20 }), [20]);
  assert.deepEqual(shape({ source: 'digits' }), [8, 8, 1]);
  assert.deepEqual(shape({ source: 'mnist', path: 'x' }), [28, 28, 1]);
  assert.equal(shape({ source: 'csv', path: 'x', target: 0 }), undefined);
});

test('formatProblems: one line per problem, (root) for the root path', () => {
  const text = formatProblems('a.hone.json', [
    { path: '', expected: 'an object', found: '[]' },
    { path: 'train.lr', expected: 'a number > 0', found: '0' },
  ]);
  assert.equal(text, 'a.hone.json: (root): expected an object, found []\na.hone.json: train.lr: expected a number > 0, found 0');
});

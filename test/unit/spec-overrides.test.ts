import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyOverrides, loadSpecFile, parseJson, validateSpec, type Spec } from '../../src/core/spec';
import { DIGITS, REGRESSION } from '../fixtures/malformed-specs';

const get = (v: unknown, keys: (string | number)[]) => keys.reduce<any>((o, k) => o?.[k], v);

test('--set parses JSON values and falls back to strings', () => {
  const { value, problems } = applyOverrides(DIGITS, ['train.lr=0.01', 'train.optimizer=adamw', 'model.layers=[64, 32]', 'name=my run', 'train.regularizeBias=true']);
  assert.deepEqual(problems, []);
  assert.equal(get(value, ['train', 'lr']), 0.01);
  assert.equal(get(value, ['train', 'optimizer']), 'adamw');
  assert.deepEqual(get(value, ['model', 'layers']), [64, 32]);
  assert.equal(get(value, ['name']), 'my run');
  assert.equal(get(value, ['train', 'regularizeBias']), true);
});

test('--set round-trips any JSON value at nested and indexed paths, without mutating the input', () => {
  const before = structuredClone(DIGITS);
  const values: unknown[] = [0.5, -3, 'adam', true, null, [1, 2], { type: 'step', gamma: 0.5 }, ''];
  const paths: [string, (string | number)[]][] = [
    ['train.lr', ['train', 'lr']],
    ['model.layers[0]', ['model', 'layers', 0]],
    ['model.layers[1]', ['model', 'layers', 1]],
    ['train.schedule', ['train', 'schedule']],
    ['train.earlyStopping.metric', ['train', 'earlyStopping', 'metric']],
  ];
  for (const v of values) {
    for (const [text, keys] of paths) {
      const text2 = typeof v === 'string' ? v : JSON.stringify(v);
      const { value, problems } = applyOverrides(DIGITS, [`${text}=${text2}`]);
      assert.deepEqual(problems, []);
      assert.deepEqual(get(value, keys), v, `${text}=${text2}`);
      assert.deepEqual(get(value, ['data']), DIGITS.data, 'untouched branches stay equal');
    }
  }
  assert.deepEqual(DIGITS, before);
});

test('--set creates missing objects and arrays along the way, and shares untouched parts', () => {
  const { value } = applyOverrides({ name: 'x' }, ['train.earlyStopping.patience=3', 'model.layers[0].units=8']);
  assert.deepEqual(value, { name: 'x', train: { earlyStopping: { patience: 3 } }, model: { layers: [{ units: 8 }] } });
  const { value: v2 } = applyOverrides(REGRESSION, ['train.lr=1']);
  assert.equal(get(v2, ['data']), REGRESSION.data);
  assert.deepEqual(applyOverrides(undefined, ['name=x']).value, { name: 'x' });
});

test('--set: an object, array or string value that breaks off is a JSON mistake at its path, not a string', () => {
  const { value, problems } = applyOverrides(DIGITS, ['model={"type":"mlp","layers":[1,}', 'model.layers=[64, 32', 'name="unclosed', 'train.optimizer=adam']);
  assert.deepEqual(problems.map((p) => p.path), ['model', 'model.layers', 'name']);
  assert.equal(problems[0].expected, 'JSON: a value at column 27 of the value');
  assert.match(problems[0].found, /\(in "model=\{/);
  assert.equal(get(value, ['train', 'optimizer']), 'adam', 'the good one applies; text that is no JSON is still a string');
});

test('--set reports malformed assignments at path --set and still applies the good ones', () => {
  const bad = ['train.lr', '=1', 'train..lr=1', 'model.layers[x]=1', 'model.layers[1=1', 'model.layers]0[=1', 'model.layers[5]=1', 'train.epochs.x=1', 'name[0]=1'];
  const { value, problems } = applyOverrides(DIGITS, [...bad, 'train.epochs=3']);
  assert.equal(problems.length, bad.length);
  for (const p of problems) assert.equal(p.path, '--set');
  assert.match(problems[0].expected, /path=value/);
  assert.match(problems[6].expected, /an index <= 1 at model\.layers/);
  assert.match(problems[7].expected, /an object at train\.epochs/);
  assert.equal(get(value, ['train', 'epochs']), 3);
});

test('--set within a scope: an assignment outside its roots is a problem naming them, and is not applied', () => {
  const scope = { roots: ['compress', 'train'], why: 'the parent keeps its data' };
  const r = applyOverrides({ train: { lr: 1 } }, ['train.lr=0.5', 'compress.prune.sparsity=0.9', 'data.source=mnist', 'trainer.x=1'], scope);
  assert.deepEqual(r.value, { train: { lr: 0.5 }, compress: { prune: { sparsity: 0.9 } } });
  assert.deepEqual(r.problems.map((p) => p.found), ['"data.source=mnist"', '"trainer.x=1"']);
  assert.match(r.problems[0].expected, /^a path under compress or train \(the parent keeps its data\)/);
});

test('--set walks own properties only: hasOwnProperty and constructor are new names, not functions found on the way', () => {
  const r = applyOverrides({ train: { lr: 1 } }, ['train.hasOwnProperty.x=1', 'train.constructor.name=y']);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(JSON.parse(JSON.stringify(r.value)), { train: { lr: 1, hasOwnProperty: { x: 1 }, constructor: { name: 'y' } } });
});

test('parseJson: syntax errors come with line and column', () => {
  const err = (text: string) => {
    const r = parseJson(text);
    assert.ok('error' in r, text);
    return r.error;
  };
  const syntax = { kind: 'syntax', path: [] };
  assert.deepEqual(err('{\n  "a": 1,\n}'), { ...syntax, line: 3, column: 1, expected: 'a property name in double quotes', found: '"}"' });
  assert.deepEqual(err('{"a": 1 "b": 2}'), { ...syntax, line: 1, column: 9, expected: "',' or '}'", found: '"\\""' });
  assert.deepEqual(err('[1, 2'), { ...syntax, line: 1, column: 6, expected: "',' or ']'", found: 'end of file' });
  assert.equal(err('').found, 'end of file');
  assert.equal(err('{"a": tru}').expected, 'a value');
  assert.equal(err('{"a": "x\n"}').line, 1);
  assert.equal(err('{} {}').expected, 'end of file');
  assert.deepEqual(parseJson('\uFEFF{"a": [1, "\\u00e9", -0.5e3, null]}'), { value: { a: [1, 'é', -500, null] }, problems: [] });
});

function tempFile(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'hone-load-')), name);
  writeFileSync(file, text);
  return file;
}

test('loadSpecFile: a JSON syntax error is one problem with line:column', () => {
  const file = tempFile('bad.hone.json', '{\n  "name": "x",\n  "data": { "source": "digits" }\n  "model": {}\n}\n');
  const { spec, problems } = loadSpecFile(file);
  assert.equal(spec, undefined);
  assert.deepEqual(problems, [{ path: '', expected: "valid JSON: ',' or '}'", found: '"\\"" at line 4, column 3' }]);
});

test('loadSpecFile: overrides are validated like file values; raw keeps what the user asked', () => {
  const file = tempFile('ok.hone.json', JSON.stringify(DIGITS, null, 2));
  const ok = loadSpecFile(file, ['train.lr=0.05', 'model.layers[1]=16']);
  assert.deepEqual(ok.problems, []);
  assert.equal((ok.spec as Spec).train.lr, 0.05);
  assert.deepEqual((ok.spec as Spec).model, { type: 'mlp', layers: [32, 16], activation: 'relu', dropout: 0 });
  assert.equal(get(ok.raw, ['train', 'optimizer']), undefined);
  const bad = loadSpecFile(file, ['train.lr=-1', 'oops']);
  assert.equal(bad.spec, undefined);
  assert.deepEqual(bad.problems.map((p) => p.path), ['--set', 'train.lr']);
});

test('loadSpecFile: relative data paths resolve against the spec file folder', () => {
  const file = tempFile('csv.hone.json', JSON.stringify({ ...REGRESSION, data: { source: 'csv', path: 'data.csv', target: 'y' } }));
  assert.deepEqual(loadSpecFile(file).problems.map((p) => p.path), ['data.path']);
  writeFileSync(join(file, '..', 'data.csv'), 'x,y\n1,2\n2,4\n');
  assert.deepEqual(loadSpecFile(file).problems, []);
});

test('loadSpecFile: a missing file is one problem', () => {
  const { problems } = loadSpecFile(join(tmpdir(), 'hone-no-such', 'x.hone.json'));
  assert.deepEqual(problems, [{ path: '', expected: 'a readable spec file', found: `nothing at ${join(tmpdir(), 'hone-no-such', 'x.hone.json')}` }]);
});

test('--set of a schedule field without its type names the type that takes it (each field belongs to one kind, so no type is filled)', () => {
  const { value } = applyOverrides(DIGITS, ['train.schedule.warmupEpochs=1', 'train.schedule.minLr=0.001']);
  const { problems } = validateSpec(value, { baseDir: process.cwd() });
  assert.deepEqual(problems.map((p) => `${p.path}: ${p.expected}`), [
    "train.schedule.type: required property 'type' (one of: constant, step, cosine, onecycle; warmupEpochs needs type cosine, minLr needs type cosine)",
  ]);
  const fixed = applyOverrides(value, ['train.schedule.type=cosine']).value;
  assert.deepEqual(validateSpec(fixed, { baseDir: process.cwd() }).spec!.train.schedule, { type: 'cosine', warmupEpochs: 1, minLr: 0.001 });
});

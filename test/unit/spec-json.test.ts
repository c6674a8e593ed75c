// Issue 9, JSON parsing: a duplicate key is a problem at its path with line:column, nesting deeper than 64
// levels is refused with the path where it happened (10,000 levels used to overflow the stack), and the
// parser reads everything else exactly as JSON.parse does. Spec files and --set values get the same rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { applyOverrides, loadSpecFile, parseJson, parsePath, parseSetValue } from '../../src/core/spec';
import { formatPath } from '../../src/core/spec/paths';
import { BASE_DIR, DIGITS } from '../fixtures/malformed-specs';

const dir = mkdtempSync(join(tmpdir(), 'hone-json-'));
function load(text: string, sets: string[] = []) {
  const file = join(dir, 'spec.hone.json');
  writeFileSync(file, text);
  return loadSpecFile(file, sets, BASE_DIR);
}

test('a duplicate key is a problem at its path, with where both are', () => {
  const { spec, problems } = load('{"name": "x", "data": {"source": "digits"}, "model": {"type": "mlp"},\n "train": {"lr": 1, "lr": 2}}');
  assert.equal(spec, undefined);
  assert.deepEqual(problems, [{ path: 'train.lr', expected: 'each property once', found: 'a duplicate (first at line 2, column 12) at line 2, column 21', kind: 'check' }]);
  const nested = load(JSON.stringify({ ...DIGITS, model: { type: 'layers', layers: [{ type: 'flatten' }, { type: 'dense', units: 4, X: 5 }] } }).replace('"X"', '"units"'));
  assert.deepEqual(nested.problems.map((p) => p.path), ['model.layers[1].units']);
  const root = load(JSON.stringify({ ...DIGITS, X: 'other' }).replace('"X"', '"name"'));
  assert.deepEqual(root.problems.map((p) => p.path), ['name'], 'the kept value is not reported again');
});

test('10,000 levels of nesting: one problem at the path of level 65, no stack overflow', () => {
  const text = JSON.stringify({ ...DIGITS, train: { epochs: 2, x: '@' } }).replace('"@"', '['.repeat(10000) + ']'.repeat(10000));
  const { problems } = load(text);
  assert.deepEqual(problems.map(({ path, expected }) => ({ path, expected })), [{ path: `train.x${'[0]'.repeat(62)}`, expected: 'at most 64 levels of nesting' }]);
  assert.match(problems[0].found, /^"\[" opening level 65 at line 1, column \d+$/);
  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
  assert.ok('value' in parseJson(deep(64)));
  assert.deepEqual(parseJson(deep(65)), { error: { kind: 'depth', path: new Array(64).fill(0), line: 1, column: 65, expected: 'at most 64 levels of nesting', found: '"["' } });
  assert.deepEqual(parseJson(`{"a":${deep(100000)}}`), parseJson(`{"a":${deep(64)}}`), 'the parse stops at the limit whatever lies deeper');
});

test('--set values follow the same rules: duplicates and depth at their path under the assignment', () => {
  const r = applyOverrides(DIGITS, ['train.schedule={"type":"step","type":"cosine"}', `model.layers=${'['.repeat(70)}${']'.repeat(70)}`, 'train.lr=0.01']);
  assert.deepEqual(r.problems.map((p) => p.path), ['train.schedule.type', `model.layers${'[0]'.repeat(64)}`]);
  assert.match(r.problems[0].found, /in "train\.schedule=/);
  assert.equal((r.value as { train: { lr: number; schedule?: unknown } }).train.lr, 0.01, 'the good assignment still applies');
  assert.equal((r.value as { train: { schedule?: unknown } }).train.schedule, undefined, 'a bad value is not set');
  assert.equal(parseSetValue('adamw'), 'adamw');
  assert.equal(parseSetValue('[1,'), '[1,', 'text that is not JSON is the string itself');
});

test('parseJson reads any JSON text exactly as JSON.parse does', () => {
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 6 }), fc.constantFrom(undefined, 2), (value, indent) => {
      const text = JSON.stringify(value, null, indent);
      const parsed = parseJson(text);
      assert.ok('value' in parsed);
      assert.deepEqual(parsed.value, JSON.parse(text));
      assert.deepEqual(parsed.problems, []);
    }),
    { seed: 7, numRuns: 300 },
  );
});

test('parseJson rejects exactly the texts JSON.parse rejects (below the depth limit)', () => {
  const piece = fc.constantFrom('{', '}', '[', ']', ',', ':', '"a"', '"\\u00e9"', '"\\x"', '1', '-0.5e3', '01', '.5', 'true', 'nul', ' ', '\n', '"\n"');
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
      const text = pieces.join('');
      let ok = true;
      try {
        JSON.parse(text);
      } catch {
        ok = false;
      }
      assert.equal('value' in parseJson(text), ok, text);
    }),
    { seed: 11, numRuns: 2000 },
  );
});

test('a __proto__ key stays an own property, as JSON.parse keeps it', () => {
  const parsed = parseJson('{"__proto__": {"polluted": 1}}');
  assert.ok('value' in parsed);
  assert.deepEqual(Object.keys(parsed.value as object), ['__proto__']);
  assert.equal(({} as { polluted?: number }).polluted, undefined);
});

test('paths read back as written, quoted keys included', () => {
  for (const keys of [['train', 'lr'], ['sweep', 'parameters', 'train.lr', 'min'], ['model', 'layers', 0, 'units'], ['x y', 3, ''], [0]]) {
    assert.deepEqual(parsePath(formatPath(keys)), keys);
  }
  for (const bad of ['', 'a..b', '.a', 'a.', 'a[x]', 'a[1', 'a]0[', 'a b', 'a[0]b', 'a["\\x"]']) assert.equal(parsePath(bad), undefined, bad);
});

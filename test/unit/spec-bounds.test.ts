// Issue 9, reports of a bounded size: a huge property name or value, a huge array, thousands of mistakes
// give short lines, at most 50 problems and a count of the rest, and validation stays quick (a spec is at
// most 1 MiB; no array or object in it holds more than 256 entries).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatProblems, loadSpecFile, validateSpec, type SpecProblem } from '../../src/core/spec';
import { clip } from '../../src/core/spec/bound';
import { describeEnum } from '../../src/core/spec/describe';
import { didYouMean } from '../../src/core/spec/suggest';
import { BASE_DIR, DIGITS, SWEEP } from '../fixtures/malformed-specs';

const dir = mkdtempSync(join(tmpdir(), 'hone-bounds-'));
function load(text: string): { problems: SpecProblem[]; ms: number; report: string } {
  const file = join(dir, 'spec.hone.json');
  writeFileSync(file, text);
  const t0 = performance.now();
  const { problems } = loadSpecFile(file, [], BASE_DIR);
  return { problems, ms: performance.now() - t0, report: formatProblems(file, problems) };
}
// The first load in a process pays once for what validation sets up (half a second, several on a loaded
// machine); the bounds below are on the cost of a big spec, so that is paid before they are measured.
before(() => void load(JSON.stringify(DIGITS)));
const longest = (report: string) => Math.max(...report.split('\n').map((l) => l.length));

test('a 900 kB property name: one problem, every part cut in the middle, a line under 1,300 characters', () => {
  const name = `start-${'k'.repeat(900_000)}-end`;
  const { problems, report, ms } = load(JSON.stringify({ ...DIGITS, train: { [name]: 'v'.repeat(100_000) } }));
  assert.equal(problems.length, 1);
  assert.match(problems[0].path, /^train\["start-k+\.\.\.k+-end"\]$/);
  assert.ok(problems[0].path.length <= 512 && problems[0].expected.length <= 400 && problems[0].found.length <= 300);
  assert.ok(longest(report) < 1300, `${longest(report)} characters`);
  assert.ok(ms < 2000, `${ms} ms`);
});

test('a spec over 1 MiB (a 10 MB name) is one problem at the root', () => {
  const text = JSON.stringify({ ...DIGITS, ['k'.repeat(10_000_000)]: 1 });
  const { problems } = load(text);
  assert.deepEqual(problems, [{ path: '', expected: 'a spec file of at most 1048576 bytes', found: `${text.length} bytes`, kind: 'check' }]);
});

test('200k categorical values, a million layers: one problem each, found quickly', () => {
  const values = load(JSON.stringify({ ...SWEEP, sweep: { ...SWEEP.sweep, parameters: { 'train.lr': { type: 'categorical', values: Array.from({ length: 200_000 }, (_, i) => i % 10) } } } }));
  assert.deepEqual(values.problems.map((p) => [p.path, p.expected, p.found]), [['sweep.parameters["train.lr"].values', 'at most 256 items (no spec field holds more)', '200000 items']]);
  const layers = load(JSON.stringify({ ...DIGITS, model: { type: 'layers', layers: new Array(340_000).fill({}) } }));
  assert.deepEqual(layers.problems[0], { path: 'model.layers', expected: 'at most 256 items (no spec field holds more)', found: '340000 items' });
  for (const r of [values, layers]) assert.ok(r.ms < 2000, `${r.ms} ms`);
});

test('thousands of mistakes: 50 problems, then one line counting the rest', () => {
  const keys = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`u${i}`, i]));
  const { problems, report } = load(JSON.stringify({ ...DIGITS, ...keys }));
  assert.equal(problems.length, 51);
  assert.deepEqual(problems[50], { path: '', expected: 'at most 50 problems listed', found: '150 more', kind: 'omitted' });
  assert.match(report.split('\n')[50], /spec\.hone\.json: \.\.\. and 150 more problems$/);
});

test('lists in messages name at most 12 values; suggestions skip names too long to be typos', () => {
  const many = Array.from({ length: 200 }, (_, i) => `value${i}`);
  assert.equal(describeEnum(many), `one of: ${many.slice(0, 12).join(', ')}, ... (188 more)`);
  // An edit distance between these two would take hours; skipping them takes microseconds. The bound is
  // the file's 2 s, not 100 ms, which a pause of a loaded machine can take by itself.
  const t0 = performance.now();
  assert.equal(didYouMean('x'.repeat(1_000_000), ['x'.repeat(999_999)]), '');
  assert.ok(performance.now() - t0 < 2000);
  const cats = { ...SWEEP, sweep: { ...SWEEP.sweep, parameters: { 'train.optimizer': { type: 'categorical', values: many.map((v) => v.repeat(50)) } } } };
  for (const p of validateSpec(cats, { baseDir: BASE_DIR }).problems) assert.ok(p.expected.length <= 400, p.expected);
});

test('clip keeps both ends and writes control characters as escapes', () => {
  assert.equal(clip('abcdefghij', 7), 'ab...ij');
  assert.equal(clip('short', 7), 'short');
  assert.equal(clip('a\nb\u0000', 20), 'a\\nb\\u0000');
  const { problems } = load(JSON.stringify({ ...DIGITS, 'line\nbreak': 1 }));
  assert.deepEqual(problems.map((p) => p.path), ['["line\\nbreak"]']);
});

// What the commands that continue a run or make one from another need without VS Code: the presets of
// Compress Run… and Evaluate Robustness… (each a valid spec), the eps box, the command line of Run Command
// as Experiment, and the tree words their menus hang on. (The commands themselves: test/integration.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ATTACK_PRESETS, COMPRESS_PRESETS, compressSectionSets, parseEps } from '../../src/extension/derive-presets';
import { splitCommandLine } from '../../src/extension/args';
import { derivedLabel, lineage, runNode } from '../../src/extension/tree-model';
import { applyOverrides, validateSpec } from '../../src/core/spec';
import type { RunRecord } from '../../src/core/store/types';
import { BASE_DIR, DIGITS } from '../fixtures/malformed-specs';
import { ROOT } from '../helpers/cli';

const checked = (raw: unknown, sets: string[]) => {
  const over = applyOverrides(raw, sets);
  return [...over.problems, ...validateSpec(over.value, { baseDir: BASE_DIR }).problems];
};

test('every Compress Run… preset, and an example\'s compress section, make a valid spec with a compress section', () => {
  assert.ok(COMPRESS_PRESETS.length >= 4);
  for (const p of COMPRESS_PRESETS) {
    assert.deepEqual(checked(DIGITS, p.sets), [], p.label);
    assert.ok((applyOverrides(DIGITS, p.sets).value as { compress?: unknown }).compress, `${p.label} sets a compress section`);
  }
  const example = JSON.parse(readFileSync(join(ROOT, 'examples/digits-compress.hone.json'), 'utf8'));
  const sets = compressSectionSets(example.compress);
  assert.equal(sets.length, 1);
  assert.deepEqual((applyOverrides(DIGITS, sets).value as { compress: unknown }).compress, example.compress);
  assert.deepEqual(checked(DIGITS, sets), []);
});

test('every Evaluate Robustness… preset makes a valid evaluate section once an eps is given', () => {
  const withEps = { ...DIGITS, robustness: { evaluate: { eps: 0.1 } } };
  for (const p of ATTACK_PRESETS) assert.deepEqual(checked(withEps, p.sets), [], p.label);
  assert.deepEqual(parseEps('0.1'), [0.1]);
  assert.deepEqual(parseEps(' 0.05, 0.1 ,0.2'), [0.05, 0.1, 0.2]);
  assert.match(parseEps('0.1,') as string, /found ""/);
  assert.match(parseEps('abc') as string, /expected numbers separated by commas .* found "abc"/);
});

test('a command line splits as a shell splits words, without a shell', () => {
  assert.deepEqual(splitCommandLine('python3 train.py --lr 0.01'), ['python3', 'train.py', '--lr', '0.01']);
  assert.deepEqual(splitCommandLine(`  sh -c 'echo "a b"; exit 3'  `), ['sh', '-c', 'echo "a b"; exit 3']);
  assert.deepEqual(splitCommandLine('echo "say \\"hi\\"" a\\ b $HOME'), ['echo', 'say "hi"', 'a b', '$HOME']);
  assert.deepEqual(splitCommandLine(`x '' ""`), ['x', '', '']);
  assert.equal(splitCommandLine('echo "open'), 'a closing " quote');
  assert.deepEqual(splitCommandLine('   '), []);
});

test('the tree marks runs for Resume Run (training runs that crashed, stopped or failed) and for Compress/Evaluate (a saved model)', () => {
  const spec = validateSpec(DIGITS, { baseDir: BASE_DIR }).spec!;
  const words = (over: Partial<RunRecord>) => runNode({
    id: '20261128-120000-aaaaaa', name: 'r', experiment: 'r', spec, overrides: [], seed: 0, status: 'completed', created: '2026-11-28T12:00:00Z',
    host: 'h', versions: {}, epochsDone: 2, epochsPlanned: 2, ...over,
  } as RunRecord).contextValue.split(' ');
  for (const status of ['crashed', 'stopped', 'failed'] as const) assert.ok(words({ status }).includes('resumable'), status);
  for (const status of ['completed', 'running', 'queued', 'diverged'] as const) assert.ok(!words({ status }).includes('resumable'), status);
  assert.ok(!words({ status: 'stopped', kind: 'compress' }).includes('resumable'), 'only training runs resume');
  assert.ok(words({ status: 'completed' }).includes('saved-model'));
  assert.ok(words({ status: 'stopped', kind: 'compress' }).includes('saved-model'), 'a compressed model can be compressed or attacked again');
  for (const over of [{ status: 'failed' }, { status: 'running' }, { kind: 'evaluate' }, { kind: 'exec' }] as Partial<RunRecord>[]) {
    assert.ok(!words(over).includes('saved-model'), JSON.stringify(over));
  }
});

test('a child run is labelled by what was done to its parent\'s model; an external command\'s progress is its count; an evaluate run\'s headline is robust accuracy', () => {
  assert.equal(derivedLabel('digits [train.epochs=3] > prune 0.8 polynomial', 'digits [train.epochs=3]'), 'prune 0.8 polynomial');
  assert.equal(derivedLabel('digits [train.epochs=3] [attack eps=0.1,0.2 l2]', 'digits [train.epochs=3]'), 'attack eps=0.1,0.2 l2');
  assert.equal(derivedLabel('pruned-copy', 'digits'), undefined);
  assert.equal(derivedLabel('digits', 'digits'), undefined);
  const spec = validateSpec(DIGITS, { baseDir: BASE_DIR }).spec!;
  const base = { spec, overrides: [], seed: 0, created: '2026-11-28T12:00:00Z', host: 'h', versions: {}, experiment: 'digits' };
  const parent = { ...base, id: '20261128-120000-aaaaaa', name: 'digits', status: 'completed', epochsDone: 2, epochsPlanned: 2, final: { val_accuracy: 0.9 } } as RunRecord;
  const evaluate = {
    ...base, id: '20261128-120001-bbbbbb', name: 'digits [attack eps=0.1]', kind: 'evaluate', parent: parent.id, overrides: ['robustness.evaluate.eps=0.1', 'robustness.evaluate.points=50'],
    status: 'completed', epochsDone: 1, epochsPlanned: 1, final: { clean_accuracy: 0.94, robust_accuracy: 0.54 },
  } as RunRecord;
  const lin = lineage([parent, evaluate]);
  const [child] = lin.node(parent).children!;
  assert.equal(child.label, 'attack eps=0.1');
  assert.equal(child.description, 'robust acc 54.0%', 'the label says what was done: no kind word to cut the metric');
  const exec = runNode({ ...base, id: '20261128-120002-cccccc', name: 'count.js', experiment: 'count.js', kind: 'exec', status: 'running', epochsDone: 3, epochsPlanned: 3, latest: { val_accuracy: 0.65 } } as RunRecord);
  assert.equal(exec.description, 'exec 3 val acc 65.0%');
});

// The extension's adapters that need no VS Code: tree nodes from store records, command arguments,
// templates, settings paths. (The real VS Code suite is test/integration.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { experimentNodes, keyHyperparameters, mainMetric, runNode } from '../../src/extension/tree-model';
import { overridesProblem, selectedRunIds, specFileName, splitOverrides } from '../../src/extension/args';
import { TEMPLATES } from '../../src/extension/templates';
import { resolveSetting } from '../../src/extension/paths';
import { validateSpec } from '../../src/core/spec';
import { applyOverrides } from '../../src/core/spec';
import type { RunRecord } from '../../src/core/store/types';
import { DIGITS } from '../fixtures/malformed-specs';

const spec = validateSpec(DIGITS, { baseDir: __dirname }).spec!;
const run = (over: Partial<RunRecord>): RunRecord => ({
  id: '20261128-120000-aaaaaa', name: 'digits-mlp', experiment: 'digits-mlp', spec, overrides: [], seed: 0,
  status: 'completed', created: '2026-11-28T12:00:00Z', host: 'h', versions: {}, epochsDone: 2, epochsPlanned: 2, ...over,
});

test('run nodes: status icon, progress while running, headline metric, hyperparameters in the tooltip', () => {
  const running = runNode(run({ status: 'running', epochsDone: 1, latest: { loss: 0.5, val_accuracy: 0.875 } }));
  assert.equal(running.icon.id, 'sync~spin');
  assert.equal(running.contextValue, 'run.active');
  assert.equal(running.description, 'epoch 1/2 · val_accuracy 0.8750');
  const done = runNode(run({ final: { val_accuracy: 0.9, test_accuracy: 0.91, loss: 0.1 }, overrides: ['train.l2=0.001'] }));
  assert.equal(done.icon.id, 'pass');
  assert.equal(done.contextValue, 'run.finished');
  assert.equal(done.label, 'train.l2=0.001', 'runs of one experiment are told apart by their overrides');
  assert.match(done.tooltip, /\| optimizer \| adam \|/);
  assert.match(done.tooltip, /\| lr \| 0\.001000 \|/);
  for (const [status, icon] of [['failed', 'error'], ['crashed', 'warning'], ['diverged', 'flame'], ['stopped', 'debug-stop'], ['queued', 'clock']] as const) {
    assert.equal(runNode(run({ status })).icon.id, icon);
  }
});

test('mainMetric prefers validation, then test, then training metrics', () => {
  assert.deepEqual(mainMetric(run({ final: { loss: 1, test_mse: 2, val_mse: 3 } })), ['val_mse', 3]);
  assert.deepEqual(mainMetric(run({ final: { loss: 1, test_accuracy: 0.5 } })), ['test_accuracy', 0.5]);
  assert.equal(mainMetric(run({})), undefined);
  assert.deepEqual(keyHyperparameters(run({})).map(([k]) => k), ['data', 'model', 'optimizer', 'lr', 'batch size', 'epochs', 'seed']);
});

test('experiment nodes group runs by experiment, newest first, and count active runs', () => {
  const nodes = experimentNodes([
    run({ id: 'a', experiment: 'x', created: '2026-01-01T00:00:00Z' }),
    run({ id: 'b', experiment: 'y', created: '2026-01-03T00:00:00Z', status: 'running' }),
    run({ id: 'c', experiment: 'x', created: '2026-01-02T00:00:00Z' }),
  ]);
  assert.deepEqual(nodes.map((n) => n.label), ['y', 'x']);
  assert.deepEqual(nodes[1].children!.map((n) => n.runId), ['c', 'a']);
  assert.equal(nodes[0].description, '1 run · 1 active');
  assert.equal(nodes[1].description, '2 runs');
});

test('overrides input: split on spaces outside quotes and brackets; each must be path=value', () => {
  assert.deepEqual(splitOverrides(' train.lr=0.01  model.layers=[64, 32] name="a b" '), ['train.lr=0.01', 'model.layers=[64, 32]', 'name=a b']);
  assert.equal(overridesProblem('train.lr=0.01 model.layers[0]=8'), undefined);
  assert.match(overridesProblem('train.lr 0.01')!, /'train\.lr' is not path=value/);
  // What the input box accepts, the spec loader applies.
  const { value, problems } = applyOverrides(DIGITS, splitOverrides('train.lr=0.01 model.layers=[64, 32]'));
  assert.deepEqual(problems, []);
  assert.deepEqual((value as any).model.layers, [64, 32]);
});

test('tree commands act on the multi-selection, else the clicked node, else nothing', () => {
  assert.deepEqual(selectedRunIds({ runId: 'a' }, [{ runId: 'a' }, { runId: 'b' }, {}]), ['a', 'b']);
  assert.deepEqual(selectedRunIds({ runId: 'a' }), ['a']);
  assert.deepEqual(selectedRunIds(undefined, undefined), []);
  assert.deepEqual(selectedRunIds({}), [], 'an experiment node is not a run');
  assert.deepEqual(selectedRunIds({ runId: 'a' }, [undefined, undefined]), ['a'], 'stale selection entries are skipped');
});

test('spec file names and path settings', () => {
  assert.equal(specFileName('My Experiment #2'), 'my-experiment-2.hone.json');
  assert.equal(specFileName('x.hone.json'), 'x.hone.json');
  assert.equal(specFileName('  '), 'experiment.hone.json');
  assert.equal(resolveSetting('.hone', '/ws'), '/ws/.hone');
  assert.equal(resolveSetting('/abs/store', '/ws'), '/abs/store');
  assert.equal(resolveSetting('~/runs', '/ws'), join(homedir(), 'runs'));
});

test('every New Experiment template is a valid spec (MNIST needs its data folder)', () => {
  for (const t of TEMPLATES) {
    const { problems } = validateSpec(t.spec, { baseDir: join(__dirname, '../../examples') });
    assert.deepEqual(problems, [], t.label);
  }
});

test('sweeps group their trials in the tree: best starred, pruned faded with its rung', async () => {
  const { sweepNodes } = await import('../../src/extension/sweep-model');
  const trial = (number: number, over: object) => ({ number, params: { 'train.lr': 0.01 * (number + 1), 'model.layers[0]': 32 }, epochs: 2, objectives: {}, curve: [], best: false, pareto: false, state: 'completed', ...over });
  const view = {
    id: 'sw1', name: 'digits-sweep', status: 'completed', sampler: { type: 'tpe' }, stopper: { type: 'asha' },
    objectives: [{ metric: 'val_accuracy', direction: 'maximize' }], budget: { trials: 3 }, best: 1,
    counts: { running: 0, completed: 2, pruned: 1, failed: 0, interrupted: 0 },
    trials: [
      trial(0, { runId: 'a', objectives: { val_accuracy: 0.8 } }),
      trial(1, { runId: 'b', objectives: { val_accuracy: 0.9 }, best: true }),
      trial(2, { runId: 'c', state: 'pruned', pruned: { epoch: 1, rung: 0, reason: 'below the top 1/3 at rung 0' } }),
    ],
  };
  const [node] = sweepNodes([view as never], [run({ id: 'a' }), run({ id: 'b' }), run({ id: 'c', status: 'stopped' })]);
  assert.equal(node.label, 'digits-sweep (tpe sweep)');
  assert.equal(node.description, 'completed · 3/3 trials · 1 pruned · best val_accuracy 0.9000');
  assert.deepEqual(node.children!.map((c) => c.label), ['#0 lr=0.01000 layers[0]=32', '#1 lr=0.02000 layers[0]=32', '#2 lr=0.03000 layers[0]=32']);
  assert.equal(node.children![1].icon.id, 'star-full');
  assert.equal(node.children![2].icon.id, 'circle-slash');
  assert.equal(node.children![2].description, 'pruned at epoch 1 (rung 0)');
  assert.equal(node.children![0].runId, 'a', 'a trial opens its run');
});

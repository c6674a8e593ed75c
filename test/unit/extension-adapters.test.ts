// The extension's adapters that need no VS Code: tree nodes from store records (status, metric, lineage,
// annotations), sweep trials in the tree, command arguments, templates, settings paths, end-of-run
// messages. (The real VS Code suite is test/integration.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { experimentNodes, keyHyperparameters, lineage, mainMetric, runNode, sameNode, shortTime, type NodeModel } from '../../src/extension/tree-model';
import { sweepNodes, sweepRunIds, trialParamsText } from '../../src/extension/sweep-model';
import { overridesProblem, selectedRunIds, specFileName, splitOverrides } from '../../src/extension/args';
import { SWEEP_TEMPLATE, TEMPLATES } from '../../src/extension/templates';
import { applyBackendSetting } from '../../src/extension/backend-setting';
import { statusSummary } from '../../src/extension/status-model';
import { resolveSetting } from '../../src/extension/paths';
import { announces, runEndMessage, sweepEndMessage, topTrialRuns } from '../../src/extension/messages';
import { validateSpec } from '../../src/core/spec';
import { applyOverrides } from '../../src/core/spec';
import { sweepViewOf, type SweepRecord, type TrialRecord } from '../../src/core/sweep';
import type { RunRecord } from '../../src/core/store/types';
import { DIGITS } from '../fixtures/malformed-specs';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { fakeRun } from '../helpers/store-fixtures';
import { createRun, writeRunRecord } from '../../src/core/store';
import { readRuns } from '../../src/core/dashboard/source';
import pkg from '../../package.json';

const spec = validateSpec(DIGITS, { baseDir: __dirname }).spec!;
const run = (over: Partial<RunRecord>): RunRecord => ({
  id: '20261128-120000-aaaaaa', name: 'digits-mlp', experiment: 'digits-mlp', spec, overrides: [], seed: 0,
  status: 'completed', created: '2026-11-28T12:00:00Z', host: 'h', versions: {}, epochsDone: 2, epochsPlanned: 2, ...over,
});

/** Whether the Runs view's context menu offers `command` on a row: every `viewItem =~ /re/` of each of its package.json `when` clauses, one of them. */
const offered = (command: string, contextValue: string): boolean =>
  pkg.contributes.menus['view/item/context'].filter((m: { command: string }) => m.command === command)
    .some((m: { when: string }) => [...m.when.matchAll(/viewItem =~ \/(.+?)\/(?= |$)/g)].every(([, re]) => new RegExp(re).test(contextValue)));

test('run nodes: status icon, short description (progress, headline metric in its unit), details in the tooltip', () => {
  const running = runNode(run({ status: 'running', epochsDone: 1, latest: { loss: 0.5, val_accuracy: 0.875 } }));
  assert.equal(running.icon.id, 'sync~spin');
  assert.match(running.contextValue, /\brun\b.*\bactive\b/);
  assert.equal(running.description, '1/2 val acc 87.5%');
  const done = runNode(run({ final: { val_accuracy: 0.9, test_accuracy: 0.91, loss: 0.1 }, overrides: ['train.l2=0.001'] }));
  assert.equal(done.icon.id, 'pass');
  assert.match(done.contextValue, /\bfinished\b/);
  assert.equal(done.label, 'l2=0.001', 'runs of one experiment are told apart by their overrides, short');
  assert.match(done.tooltip, /Overrides: `train\.l2=0\.001`/);
  assert.equal(done.description, 'val acc 90.0%', 'the status is the icon; the description is the metric alone');
  assert.match(done.tooltip, /\| optimizer \| adam \|/);
  assert.match(done.tooltip, /\| lr \| 0\.001 \|/, 'values as written in the spec');
  assert.match(done.tooltip, /\nval_accuracy: \*\*90\.0%\*\*$/, 'the headline metric in its unit, as the row says it');
  const regression = runNode(run({ final: { val_mse: 109.123, loss: 0.09 } }));
  assert.equal(regression.description, 'val MSE 109');
  for (const [status, icon] of [['failed', 'error'], ['crashed', 'warning'], ['diverged', 'flame'], ['stopped', 'debug-stop'], ['queued', 'clock']] as const) {
    assert.equal(runNode(run({ status })).icon.id, icon);
  }
});

test('an exec run plans no epochs: its row and tooltip count what it reported, never 3/0', () => {
  const exec = run({ kind: 'exec', status: 'running', epochsDone: 3, epochsPlanned: 0, spec: { name: 'x', params: {}, command: ['python', 'train.py'] } });
  const n = runNode(exec);
  assert.equal(n.description, 'exec 3');
  assert.match(n.tooltip, /· exec · 3 epochs/);
  assert.doesNotMatch(n.tooltip, /3\/0/);
  assert.match(runNode(run({ status: 'running', epochsDone: 1 })).tooltip, /· train · 1\/2 epochs/);
});

test('status bar: running and queued runs counted apart; the tooltip says where each is', () => {
  const records = [
    run({ id: 'a', name: 'fed', kind: 'federated', status: 'running', epochsDone: 3, epochsPlanned: 15, backend: { name: 'wasm', reason: '', skipped: {} } }),
    run({ id: 'b', name: 'cmd', kind: 'exec', status: 'running', epochsDone: 3, epochsPlanned: 0, spec: { name: 'cmd', params: {} } }),
    run({ id: 'c', name: 'w1', status: 'queued', epochsDone: 0 }),
    run({ id: 'd', name: 'w2', status: 'queued', epochsDone: 0 }),
    run({ id: 'e', name: 'old' }),
  ];
  assert.deepEqual(statusSummary(records), { text: '$(beaker) Hone: 2 running, 2 queued · wasm', tooltip: 'fed: running round 3/15\ncmd: running 3\nw1: queued\nw2: queued' });
  assert.equal(statusSummary(records.slice(2)).text, '$(beaker) Hone: 2 queued');
  assert.deepEqual(statusSummary([records[4]]), { text: '$(beaker) Hone: idle', tooltip: 'No active runs' });
});

test('a run on a queue agent names its agent in the row and the tooltip; one waiting for an agent says so', () => {
  const remote = { queue: 'redis://:***@10.0.0.1:6379', agent: { name: 'gpu-box', host: 'box.lan', attempt: 'gpu-box-1' } };
  const running = runNode(run({ status: 'running', epochsDone: 1, latest: { val_accuracy: 0.875 }, remote }));
  assert.equal(running.description, '1/2 val acc 87.5% @gpu-box');
  assert.match(running.tooltip, /On agent \*\*gpu-box\*\* \(box\.lan\) via `redis:\/\/:\*\*\*@10\.0\.0\.1:6379`/);
  const waiting = runNode(run({ status: 'queued', remote: { queue: remote.queue } }));
  assert.equal(waiting.description, 'queued @queue');
  assert.match(waiting.tooltip, /Waiting for an agent via/);
});

test('a run without overrides is labelled by its time, not by its experiment name again', () => {
  const now = new Date('2026-11-28T18:00:00');
  assert.equal(runNode(run({ created: new Date('2026-11-28T14:03:22').toISOString() }), { now }).label, '14:03:22');
  assert.equal(shortTime(new Date('2026-11-20T09:05:00').toISOString(), now), 'Nov 20 09:05');
  assert.equal(runNode(run({ name: 'renamed' })).label, 'renamed');
});

test('tags, note and star: in the description and tooltip, and as words of the context value for menus', () => {
  const n = runNode(run({ final: { val_accuracy: 0.9 }, tags: ['baseline', 'paper'], note: 'the one in Table 2', starred: true }));
  assert.equal(n.description, 'val acc 90.0% ★ #baseline #paper', 'the metric first: a narrow sidebar cuts the tags');
  assert.match(n.tooltip, /Tags: `baseline` `paper`/);
  assert.match(n.tooltip, /Note: the one in Table 2/);
  assert.deepEqual(n.contextValue.split(' ').sort(), ['finished', 'kind-train', 'noted', 'rerunnable', 'run', 'saved-model', 'starred', 'tagged']);
  assert.match(runNode(run({})).contextValue, /\bunstarred\b/);
  const exec = runNode(run({ kind: 'exec', spec: { name: 'x', params: { lr: 0.1 }, command: ['python', 'train.py'] } }));
  assert.match(exec.description, /^exec/);
  assert.match(exec.contextValue, /\bkind-exec\b/);
  assert.doesNotMatch(exec.contextValue, /\brerunnable\b/, 'Rerun is offered to training runs only');
  assert.match(runNode(run({ kind: 'federated' })).contextValue, /\brerunnable\b/, 'a federated run trains a spec again too');
  assert.deepEqual(['train', 'federated', 'exec', 'compress'].map((kind) => offered('hone.rerun', runNode(run({ kind: kind as RunRecord['kind'] })).contextValue)), [true, true, false, false]);
  assert.deepEqual(keyHyperparameters(run({ kind: 'exec', spec: { name: 'x', params: { opt: 'adam', layers: [64, 32] } } })), [['opt', 'adam'], ['layers', '[64, 32]']]);
});

test('a run.json whose spec lacks a section (hand-edited, foreign) does not take the Runs view down: its row shows what it has', async () => {
  const store = makeTmpDir();
  try {
    const ok = createRun(store, { ...fakeRun({ name: 'whole', experiment: 'x' }), spec });
    writeRunRecord(ok.dir, { ...ok.record, status: 'completed' });
    const { data: _data, train: _train, ...partial } = spec;
    const odd = createRun(store, { ...fakeRun({ name: 'odd', experiment: 'x' }), spec: partial as typeof spec });
    writeRunRecord(odd.dir, { ...odd.record, status: 'completed' });
    const [x] = experimentNodes(await readRuns(store));
    assert.deepEqual(x.children!.map((n) => n.runId).sort(), [ok.record.id, odd.record.id].sort());
    const row = x.children!.find((n) => n.runId === odd.record.id)!;
    assert.match(row.tooltip, /\| model \| mlp \\\[32\\\] \|/, 'what it has, escaped for markdown');
    assert.doesNotMatch(row.tooltip, /\| (data|optimizer|lr|batch size|epochs) \|/, 'no row for what the spec lacks');
  } finally {
    removeTmpDir(store);
  }
});

test('runs of one experiment are labelled by the overrides that differ between them', () => {
  const [exp] = experimentNodes([
    run({ id: 'a', overrides: ['train.epochs=3', 'train.lr=0.01'], created: '2026-01-02T00:00:00Z' }),
    run({ id: 'b', overrides: ['train.epochs=3', 'train.l2=0.001'], created: '2026-01-01T00:00:00Z' }),
  ]);
  assert.deepEqual(exp.children!.map((n) => n.label), ['lr=0.01', 'l2=0.001']);
  assert.match(exp.children![0].tooltip, /Overrides: `train\.epochs=3 train\.lr=0\.01`/, 'all of them in the tooltip');
  const [one] = experimentNodes([run({ id: 'c', overrides: ['train.epochs=3'] })]);
  assert.equal(one.children![0].label, 'epochs=3', 'a lone run keeps its overrides');
});

test('hone.backend picks the backend of a spec that says auto only, and is no override (it names no run)', () => {
  assert.equal(spec.backend, 'auto');
  assert.deepEqual(applyBackendSetting(spec, 'wasm'), { spec: { ...spec, backend: 'wasm' }, applied: 'wasm' });
  const cpu = { ...spec, backend: 'cpu' as const };
  assert.deepEqual(applyBackendSetting(cpu, 'wasm'), { spec: cpu }, 'a spec that names its backend keeps it');
  assert.deepEqual(applyBackendSetting(spec, 'auto'), { spec });
  assert.equal(spec.backend, 'auto', 'the spec given is left as it was');
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
  // A sweep's trials of the same experiment show under the sweep: they are not this node's active runs;
  // a run made from one of its runs (nested under it) is.
  const [x] = experimentNodes([
    run({ id: 'done', experiment: 'x' }),
    run({ id: 't0', experiment: 'x', status: 'running', sweep: { id: 'sw', trial: 0 } }),
    run({ id: 't1', experiment: 'x', status: 'queued', sweep: { id: 'sw', trial: 1 } }),
  ]);
  assert.equal(x.description, '1 run');
  const [y] = experimentNodes([run({ id: 'p', experiment: 'y' }), run({ id: 'c', experiment: 'y-compressed', parent: 'p', kind: 'compress', status: 'running' })]);
  assert.equal(y.description, '2 runs · 1 active');
  // Never more active runs than runs: the runs nested under a row count as runs too.
  const [z] = experimentNodes([
    run({ id: 'p', experiment: 'z' }),
    run({ id: 'c1', experiment: 'z', parent: 'p', kind: 'compress', status: 'running' }),
    run({ id: 'c2', experiment: 'z', parent: 'c1', kind: 'compress', status: 'queued' }),
  ]);
  assert.equal(z.description, '3 runs · 2 active');
});

test('lineage: runs made from another nest under it (any depth), with the parent named in the tooltip', () => {
  const records = [
    run({ id: 'p', name: 'base', created: '2026-01-01T00:00:00Z' }),
    run({ id: 'c1', name: 'pruned-50', kind: 'exec', parent: 'p', created: '2026-01-02T00:00:00Z' }),
    run({ id: 'c2', name: 'quantized', parent: 'c1', created: '2026-01-03T00:00:00Z' }),
    run({ id: 'o', name: 'orphan', parent: 'gone', created: '2026-01-04T00:00:00Z' }),
    run({ id: 'd', name: 'detached', parentRemoved: { id: 'x', name: 'old base', removed: '2026-01-05T00:00:00Z' }, created: '2026-01-05T00:00:00Z' }),
  ];
  const [exp] = experimentNodes(records);
  assert.deepEqual(exp.children!.map((n) => n.runId), ['d', 'o', 'p'], 'children are not listed again at the top');
  const base = exp.children!.find((n) => n.runId === 'p')!;
  assert.deepEqual(base.children!.map((n) => n.runId), ['c1']);
  assert.deepEqual(base.children![0].children!.map((n) => n.runId), ['c2']);
  assert.match(base.children![0].tooltip, /Made from \*\*base\*\* `p`/);
  assert.match(base.tooltip, /1 run\(s\) made from it/);
  assert.match(exp.children!.find((n) => n.runId === 'd')!.tooltip, /old base.*\(deleted\)/);
  assert.deepEqual(lineage(records).roots.map((r) => r.id), ['p', 'o', 'd']);
});

test('lineage: runs in a loop of parents (hand-edited run.json files) are shown, the loop under its smallest id', () => {
  const records = [
    run({ id: 'self', parent: 'self', created: '2026-01-01T00:00:00Z' }),
    run({ id: 'a', parent: 'b', created: '2026-01-02T00:00:00Z' }),
    run({ id: 'b', parent: 'a', created: '2026-01-03T00:00:00Z' }),
    run({ id: 'c', parent: 'a', created: '2026-01-04T00:00:00Z' }),
  ];
  assert.deepEqual(lineage(records).roots.map((r) => r.id), ['self', 'a']);
  const [exp] = experimentNodes(records);
  const ids = (nodes: NodeModel[] = []): string[] => nodes.flatMap((n) => [n.runId!, ...ids(n.children)]);
  assert.deepEqual(ids(exp.children).sort(), ['a', 'b', 'c', 'self'], 'every run once');
  assert.deepEqual(exp.children!.find((n) => n.runId === 'a')!.children!.map((n) => n.runId), ['c', 'b']);
});

test('overrides input: split on spaces outside quotes and brackets; each must be path=value', () => {
  assert.deepEqual(splitOverrides(' train.lr=0.01  model.layers=[64, 32] name="a b" '), ['train.lr=0.01', 'model.layers=[64, 32]', 'name=a b']);
  assert.equal(overridesProblem('train.lr=0.01 model.layers[0]=8'), undefined);
  assert.match(overridesProblem('train.lr 0.01')!, /'train\.lr' is not path=value/);
  // An unclosed quote or an unbalanced bracket is reported, never merged into the next assignment.
  assert.equal(overridesProblem("name=Bob's train.lr=0.1"), "expected a closing ' quote for the one at column 9");
  assert.equal(overridesProblem('name=a] train.lr=0.1'), 'expected an opening [ before the ] at column 7');
  assert.equal(overridesProblem('model.layers=[64, 32 train.lr=0.1'), 'expected a closing ] for the [ at column 14');
  assert.equal(overridesProblem('x={"a": [1} y=2'), 'expected ] to close the [ at column 9, found } at column 11');
  assert.deepEqual(splitOverrides(`name="Bob's" tags=["a]"]`), ["name=Bob's", 'tags=["a]"]'], 'brackets and the other quote inside quotes are text');
  // What the input box accepts, the spec loader applies.
  const { value, problems } = applyOverrides(DIGITS, splitOverrides('train.lr=0.01 model.layers=[64, 32]') as string[]);
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

test('every New Experiment template is a valid spec without a $schema reference; one is a sweep', () => {
  for (const t of TEMPLATES) {
    assert.equal(t.spec.$schema, undefined, `${t.label}: the extension registers the schema; a relative $schema breaks it outside the repository`);
    if (t.spec.data && (t.spec.data as { source?: string }).source === 'mnist') continue; // needs the MNIST files
    const { problems } = validateSpec(t.spec, { baseDir: join(__dirname, '../../examples') });
    assert.deepEqual(problems, [], t.label);
  }
  assert.ok(SWEEP_TEMPLATE.spec.sweep, 'the sweep template has a sweep section');
});

/** A sweep record as the coordinator writes it: trial 2 pruned at rung 0 (its run went on to finish epoch 2). */
function sweepRecord(): SweepRecord {
  const t = (number: number, params: TrialRecord['params'], over: Partial<TrialRecord>): TrialRecord =>
    ({ number, params, state: 'completed', intermediate: {}, epochs: 9, runId: `r${number}`, finished: `2026-01-01T00:00:0${number}Z`, ...over });
  return {
    id: 'sw1', name: 'digits-sweep', created: '2026-01-01T00:00:00Z', baseDir: '/', raw: {}, epochs: 9, status: 'completed', elapsedMs: 1000,
    sweep: {
      parameters: {
        'train.lr': { type: 'float', min: 1e-4, max: 0.1, log: true },
        'train.optimizer': { type: 'categorical', values: ['adam', 'momentum'] },
        'model.layers[0]': { type: 'int', min: 16, max: 256, log: true },
      },
      objectives: [{ metric: 'val_accuracy', direction: 'maximize' }], sampler: { type: 'tpe' }, stopper: { type: 'asha', minEpochs: 1, eta: 3 }, trials: 3, parallel: 1, seed: 0,
    } as never,
    trials: [
      t(0, { 'train.lr': 0.000131826, 'train.optimizer': 'adam', 'model.layers[0]': 45 }, { values: [0.8], intermediate: { 1: [0.5], 9: [0.8] } }),
      t(1, { 'train.lr': 0.02, 'train.optimizer': 'momentum', 'model.layers[0]': 128 }, { values: [0.95], intermediate: { 1: [0.6], 9: [0.95] } }),
      t(2, { 'train.lr': 0.09, 'train.optimizer': 'adam', 'model.layers[0]': 16 }, { state: 'pruned', epochs: 1, intermediate: { 1: [0.19] }, pruned: { epoch: 1, rung: 0, reason: 'rung 0 (epoch 1): 2 of 3 trials rank above it' } }),
    ],
  };
}

test('sweeps in the tree: trials labelled by what differs (values as written), pruned ones say so with the same facts as the dashboard', () => {
  const v = sweepViewOf(sweepRecord(), false);
  const records = [
    run({ id: 'r0', sweep: { id: 'sw1', trial: 0 }, final: { val_accuracy: 0.8 }, epochsDone: 9, epochsPlanned: 9 }),
    run({ id: 'r1', sweep: { id: 'sw1', trial: 1 }, final: { val_accuracy: 0.95 }, epochsDone: 9, epochsPlanned: 9 }),
    run({ id: 'r2', sweep: { id: 'sw1', trial: 2 }, status: 'stopped', final: { val_accuracy: 0.2284 }, epochsDone: 2, epochsPlanned: 9 }),
  ];
  const [node] = sweepNodes([v], records);
  assert.equal(node.label, 'digits-sweep');
  assert.equal(node.description, '3/3 best 95.0%');
  assert.match(node.contextValue, /\bsweep\b.*\bfinished\b/);
  // A stopped sweep is resumed here; one whose trials train on a queue needs its URL (hone sweep resume --queue).
  const stopped = (queue?: string) => sweepNodes([{ ...v, status: 'stopped', ...(queue && { queue }) }], records)[0].contextValue;
  assert.deepEqual([offered('hone.resumeSweep', stopped()), offered('hone.deleteSweep', stopped())], [true, true]);
  assert.deepEqual([offered('hone.resumeSweep', stopped('redis://***@q:6379')), offered('hone.deleteSweep', stopped('redis://***@q:6379'))], [false, true]);
  assert.equal(node.sweepId, 'sw1', 'clicking a sweep opens its view');
  // A trial's row gets a new id when its run starts or ends (VS Code keeps a row's context menu per id).
  const running = sweepNodes([v], records.map((r) => (r.id === 'r1' ? { ...r, status: 'running' as const } : r)))[0].children!;
  assert.deepEqual([node.children![1].id, running[1].id], ['trial:sw1:1', 'trial:sw1:1:active']);
  // An earlier attempt of a trial (cut short by a stop, re-run on resume) stays under the trial; a sweep run no
  // sweep node shows (its sweep.json unreadable) is listed under its experiment rather than nowhere.
  const resumed = { ...v, trials: v.trials.map((t) => (t.number === 1 ? { ...t, interrupted: ['r1-old'] } : t)) };
  const withOld = [...records, run({ id: 'r1-old', experiment: 'digits-sweep', sweep: { id: 'sw1', trial: 1 }, status: 'stopped' }), run({ id: 'lost', experiment: 'digits-sweep', sweep: { id: 'gone', trial: 0 } })];
  const trial1 = sweepNodes([resumed], withOld)[0].children![1];
  assert.deepEqual(trial1.children!.map((c) => [c.runId, c.label.startsWith('earlier attempt')]), [['r1-old', true]]);
  const experiments = experimentNodes(withOld, undefined, sweepRunIds([resumed]));
  assert.deepEqual(experiments.flatMap((e) => e.children!.map((c) => c.runId)), ['lost']);
  const [t0, t1, t2] = node.children!;
  assert.equal(t0.label, '#0 lr=1.3e-4 adam', 'no JSON quotes; only what fits the sidebar');
  assert.equal(t1.label, '#1 lr=0.02 momentum');
  assert.equal(t1.description, '95.0%', 'its star is the icon');
  assert.equal(t1.icon.id, 'star-full');
  assert.equal(t2.icon.id, 'circle-slash');
  assert.equal(t2.description, 'pruned', 'whether pruned, within the width; its partial value is in the tooltip');
  assert.match(t2.tooltip, /pruned, 2 of 9 epochs · val_accuracy \*\*22\.8%\*\*/, 'the epochs its run trained and its value where it stopped, as the runs table and the sweep table show them');
  assert.match(t2.tooltip, /Pruned at rung 0 \(epoch 1\)/);
  assert.equal(t0.runId, 'r0', 'a trial opens its run');
  assert.ok((t0.label + t0.description).length <= 32, 'a trial row fits a default-width sidebar');
  // A federated sweep's trials train rounds: 2 of 15, not 2 of train.epochs' epochs.
  const fed = sweepViewOf({ ...sweepRecord(), raw: { federated: { rounds: 15 } }, epochs: 15, status: 'running' }, true);
  const fedTrial = { ...fed.trials[2], state: 'running' as const };
  const [fedNode] = sweepNodes([{ ...fed, trials: [fedTrial] }], [run({ id: 'r2', kind: 'federated', status: 'running', epochsDone: 2, epochsPlanned: 15, latest: {} })]);
  assert.match(fedNode.children![0].tooltip, /running, 2 of 15 rounds/);
  assert.equal(fedNode.children![0].description, 'round 2/15 19.0%');
  assert.equal(trialParamsText(v, v.trials[0], 100), 'lr=1.3e-4 adam layers[0]=45');
});

test('a tree node stays the same object across refreshes, without the fields it lost: a trial whose run was deleted no longer names it', () => {
  const v = sweepViewOf(sweepRecord(), false);
  const records = [0, 1, 2].map((trial) => run({ id: `r${trial}`, sweep: { id: 'sw1', trial }, final: { val_accuracy: 0.5 } }));
  // What RunsTree.refresh does with each redraw.
  let byId = new Map<string, NodeModel>();
  const draw = (recs: RunRecord[]) => {
    const previous = byId;
    byId = new Map();
    return sweepNodes([v], recs).map((n) => sameNode(n, previous, byId));
  };
  const [sweep] = draw(records);
  const t0 = sweep.children![0];
  assert.equal(t0.runId, 'r0');
  const [redrawn] = draw(records.slice(1)); // Delete Run on trial #0's row
  assert.equal(redrawn.children![0], t0, 'the row VS Code holds is the one redrawn: a selection made before still names a live node');
  assert.equal(t0.runId, undefined, 'the trial no longer opens, or hands commands, the deleted run');
  assert.equal(t0.contextValue, 'trial');
  assert.deepEqual(selectedRunIds(undefined, redrawn.children), ['r1', 'r2']);
});

test('end-of-run messages: the headline result in its unit; failures are errors; the level filters them', () => {
  const ok = runEndMessage(run({ final: { val_accuracy: 0.9512 }, timings: { loadMs: 1, trainMs: 2, totalMs: 12_345 } }));
  assert.deepEqual(ok, { text: 'Hone: digits-mlp completed in 12.3 s · val acc 95.1%', severity: 'info' });
  const failed = runEndMessage(run({ status: 'failed', message: 'out of memory' }));
  assert.deepEqual(failed, { text: 'Hone: digits-mlp failed: out of memory', severity: 'error' });
  assert.equal(announces('all', 'info'), true);
  assert.equal(announces('failures', 'info'), false);
  assert.equal(announces('failures', 'error'), true);
  assert.equal(announces('none', 'error'), false);
  const v = sweepViewOf(sweepRecord(), false);
  const runs = new Map([['r0', run({ id: 'r0' })], ['r1', run({ id: 'r1' })]]);
  assert.equal(sweepEndMessage(v, runs).text, 'Hone: sweep digits-sweep completed (3 trials, 1 pruned) · best val acc 95.0% (trial 1)');
  assert.deepEqual(topTrialRuns(v, runs), ['r1', 'r0'], 'best first');
});

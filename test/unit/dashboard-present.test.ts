// How the dashboard and the tree present runs: metric values in their unit, parameter values as written,
// axis ranges a metric can take, one story per sweep trial, the runs table's default columns; and the
// feed's read-only mode (an untrusted workspace: nothing written) and annotations.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { axisCaps, compactNumber, formatMetric, headlineMetric, lastSegment, metricRange, shortParam, showParam } from '../../src/core/dashboard/present';
import { prunedRuns, shownStatus, trialFacts } from '../../src/core/dashboard/trial';
import { DashboardFeed, type HostMessage, type RunInfo } from '../../src/core/dashboard';
import { createRun, readRunRecord, writeRunRecord } from '../../src/core/store';
import { sweepViewOf, type SweepRecord } from '../../src/core/sweep';
import { headlineMetrics, runColumns, triedPaths, visibleColumns } from '../../webview/lib/table-model';
import { fakeRun } from '../helpers/store-fixtures';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';

describe('dashboard: presenting values', () => {
  it('metrics in their unit, numbers compact, parameters as written', () => {
    assert.equal(formatMetric('val_accuracy', 0.95123), '95.1%');
    assert.equal(formatMetric('val_mse', 109.123), '109');
    assert.equal(formatMetric('loss', 0.0952), '0.0952');
    assert.equal(compactNumber(0.000131826), '1.32e-4');
    assert.equal(compactNumber(1e-4, 2), '1e-4');
    assert.equal(shortParam(0.000131826), '1.3e-4');
    assert.equal(showParam('adam'), 'adam', 'no JSON quotes');
    assert.equal(showParam([64, 32]), '[64, 32]');
    assert.equal(showParam(0.001), '0.001');
    assert.equal(lastSegment('model.layers[0]'), 'layers[0]');
    assert.deepEqual(headlineMetric({ loss: 1, val_accuracy: 0.5 }), ['val_accuracy', 0.5]);
  });

  it('axes stay within what a metric can take: an accuracy axis ends at 1, a loss axis at 0', () => {
    const [lo, hi] = metricRange('val_accuracy', 0.2, 1);
    assert.ok(hi === 1 && lo < 0.2, `${lo}..${hi}`);
    assert.deepEqual(metricRange('val_loss', 0, 2).map((x) => +x.toFixed(6)), [0, 2.1]);
    assert.deepEqual(metricRange('custom_score', -1, 1).map((x) => +x.toFixed(6)), [-1.1, 1.1], 'an unknown metric is not clamped');
    assert.deepEqual(metricRange('loss', -0.5, 1).map((x) => +x.toFixed(6)), [-0.575, 1.075], 'a loss below 0 (an imported NLL) stays inside the range');
    assert.deepEqual(metricRange('val_accuracy', 0.5, 1.5).map((x) => +x.toFixed(6)), [0.45, 1.55], 'a fraction above 1 too');
    assert.deepEqual(axisCaps('val_accuracy', 0.5, 0.99), { max: 1 });
    assert.deepEqual(axisCaps('val_accuracy', 0.2, 0.5), {}, 'far from 1, the chart picks its own top');
    assert.deepEqual(axisCaps('loss', 0.01, 2), { min: 0 });
  });
});

/** A sweep whose trial 1 was pruned at epoch 1; its run finished epoch 2 and says `stopped`. */
const sweep: SweepRecord = {
  id: 'sw', name: 's', created: '2026-01-01T00:00:00Z', baseDir: '/', raw: {}, epochs: 4, status: 'completed', elapsedMs: 1,
  sweep: { parameters: { 'train.optimizer': { type: 'categorical', values: ['adam', 'sgd'] } }, objectives: [{ metric: 'val_accuracy', direction: 'maximize' }], sampler: { type: 'random' }, stopper: { type: 'asha', minEpochs: 1, eta: 2 }, trials: 2, parallel: 1, seed: 0 } as never,
  trials: [
    { number: 0, params: { 'train.optimizer': 'adam' }, state: 'completed', values: [0.9], intermediate: { 1: [0.5], 4: [0.9] }, epochs: 4, runId: 'a' },
    { number: 1, params: { 'train.optimizer': 'sgd' }, state: 'pruned', intermediate: { 1: [0.19] }, epochs: 1, runId: 'b', pruned: { epoch: 1, rung: 0, reason: 'rung 0' } },
  ],
};

describe('dashboard: one story per sweep trial', () => {
  it('a pruned trial is pruned everywhere, with the epochs its run trained and its value where it stopped', () => {
    const v = sweepViewOf(sweep, false);
    const run = { status: 'stopped' as const, epochsDone: 2, final: { val_accuracy: 0.2284 } };
    assert.deepEqual(trialFacts(v, v.trials[1], run), { state: 'pruned', epochs: 2, planned: 4, values: { val_accuracy: 0.2284 } });
    assert.deepEqual(trialFacts(v, v.trials[1]), { state: 'pruned', epochs: 1, planned: 4, values: { val_accuracy: 0.19 } }, 'its run gone: the sweep\'s own record');
    assert.deepEqual(trialFacts(v, v.trials[0], { status: 'completed', epochsDone: 4, final: { val_accuracy: 0.9 } }).values, { val_accuracy: 0.9 });
    const pruned = prunedRuns([v]);
    assert.equal(shownStatus({ id: 'b', status: 'stopped' }, pruned), 'pruned', 'the runs table says pruned, not stopped');
    assert.equal(shownStatus({ id: 'a', status: 'completed' }, pruned), 'completed');
  });
});

const info = (id: string, experiment: string, spec: unknown, over: Partial<RunInfo> = {}): RunInfo => ({
  id, kind: 'train', name: id, experiment, status: 'completed', created: '2026-01-01T00:00:00Z', epochsDone: 3, epochsPlanned: 3,
  spec, overrides: [], final: {}, best: over.final ?? {}, tags: [], starred: false, ...over,
});

describe('dashboard: the runs table\'s first screen', () => {
  // Two experiments with different settings (seed, split, data), and within one of them the lr tried.
  const runs = [
    info('r1', 'reg', { seed: 42, data: { source: 'regression', split: { train: 0.8 } }, train: { lr: 0.001 } }, { final: { val_mse: 100, loss: 1 } }),
    info('r2', 'reg', { seed: 42, data: { source: 'regression', split: { train: 0.8 } }, train: { lr: 0.01 } }, { final: { val_mse: 90, loss: 1 }, overrides: ['train.lr=0.01'] }),
    info('d1', 'digits', { seed: 7, data: { source: 'digits', split: { train: 0.6 } }, train: { lr: 0.001, l2: 0.001 } }, { final: { val_accuracy: 0.9, loss: 0.3 }, overrides: ['train.l2=0.001'], tags: ['baseline'] }),
  ];

  it('shows name, status, the parameters tried and the headline metrics; hides settings that only differ between experiments', () => {
    const all = runColumns(runs);
    const shown = visibleColumns(all, [], []).map((c) => c.key);
    assert.deepEqual(shown, ['name', 'status', 'tags', 'param:train.lr', 'param:train.l2', 'final:val_accuracy', 'final:val_mse']);
    for (const hidden of ['param:seed', 'param:data.source', 'param:data.split.train', 'final:loss', 'best:val_mse', 'backend', 'created', 'epochs']) {
      assert.ok(all.some((c) => c.key === hidden) && !shown.includes(hidden), `${hidden}: in the chooser, not on the first screen`);
    }
    assert.deepEqual([...triedPaths(runs, ['seed', 'train.lr', 'train.l2'])].sort(), ['train.l2', 'train.lr']);
    // A tracked command in the same experiment has no seed or data: that is not a seed the runs tried.
    const withExec = [...runs, info('x1', 'digits', { name: 'x', params: { sparsity: 0.5 } }, { kind: 'exec' }), info('d2', 'digits', { seed: 7, data: { source: 'digits', split: { train: 0.6 } }, train: { lr: 0.001 } })];
    assert.deepEqual([...triedPaths(withExec, ['seed', 'data.source', 'train.l2', 'params.sparsity'])].sort(), ['train.l2']);
    assert.deepEqual(headlineMetrics(runs), ['val_accuracy', 'val_mse']);
    assert.ok(all.find((c) => c.key === 'name')!.pinned, 'the name stays in view');
    const width = 28 + visibleColumns(all, [], []).reduce((n, c) => n + c.width, 0);
    assert.ok(width < 900, `the default columns fit a dashboard beside the sidebar (${width} px)`);
    assert.equal(all.find((c) => c.key === 'param:train.lr')!.label, 'lr', 'short labels, the path in the tooltip');
    const epochs = runColumns([...runs, info('r3', 'reg', { seed: 42, train: { lr: 0.01, epochs: 5 } }, { overrides: ['train.epochs=5'] })]);
    assert.equal(epochs.find((c) => c.key === 'param:train.epochs')!.label, 'train.epochs', 'not "epochs" beside the epochs a run did');
  });

  it('the user hides a default column or shows a hidden one; each choice sticks', () => {
    const all = runColumns(runs);
    const keys = visibleColumns(all, ['tags'], ['param:seed', 'backend']).map((c) => c.key);
    assert.ok(!keys.includes('tags') && keys.includes('param:seed') && keys.includes('backend'));
  });
});

describe('dashboard: feed in an untrusted workspace, and annotations', () => {
  let dir: string;
  before(() => (dir = makeTmpDir()));
  after(() => removeTmpDir(dir));

  it('reads a store without writing anything: no index, no lock, no crash marks; refuses annotations', async () => {
    const store = join(dir, 'ro');
    const { record, dir: runDir } = createRun(store, fakeRun({ name: 'stale' }));
    // A "running" run whose worker is long gone: a writable feed would mark it crashed.
    writeRunRecord(runDir, { ...record, status: 'running', heartbeat: '2020-01-01T00:00:00Z', pid: 999999 });
    const before = readdirSync(store).sort();
    const feed = new DashboardFeed(store, { readOnly: true });
    const init = await feed.init();
    assert.deepEqual(init.runs.map((r) => r.status), ['crashed'], 'shown crashed, as the Runs tree shows it, without writing it');
    await feed.poll();
    const reply = await feed.receive({ type: 'annotate', runId: record.id, starred: true });
    assert.match(reply.error!, /read-only/);
    assert.deepEqual(readdirSync(store).sort(), before, 'no index.json or lock appeared');
    assert.equal(readRunRecord(runDir)!.status, 'running', 'not marked crashed');
    assert.ok(!existsSync(join(runDir, 'meta.json')));
  });

  it('a writable feed stores tags, note and star, and sends the run again with them', async () => {
    const store = join(dir, 'rw');
    const { record } = createRun(store, fakeRun({ name: 'tagged' }));
    const feed = new DashboardFeed(store);
    await feed.init();
    const reply = await feed.receive({ type: 'annotate', runId: record.id, addTags: ['baseline'], note: 'first try', starred: true });
    assert.equal(reply.error, undefined);
    const runs = reply.messages.filter((m): m is Extract<HostMessage, { type: 'runs' }> => m.type === 'runs');
    const sent = runs.flatMap((m) => m.upsert).find((r) => r.id === record.id)!;
    assert.deepEqual([sent.tags, sent.note, sent.starred], [['baseline'], 'first try', true]);
    const bad = await feed.receive({ type: 'annotate', runId: 'no-such-run', starred: true });
    assert.match(bad.error!, /no run 'no-such-run'/);
    const removed = await feed.receive({ type: 'annotate', runId: record.id, removeTags: ['baseline'], note: '', starred: false });
    const again = removed.messages.flatMap((m) => (m.type === 'runs' ? m.upsert : [])).find((r) => r.id === record.id)!;
    assert.deepEqual([again.tags, again.note, again.starred], [[], undefined, false]);
  });
});

// The webview's pure parts: runs-table columns, filters and sorting; smoothing; UI state restore.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { RunInfo } from '../../src/core/dashboard/protocol';
import { durationOperand, filterRows, matchesFilter, matchesText, runColumns, sortRows } from '../../webview/lib/table-model';
import { parseLayer } from '../../webview/lib/layers';
import { smooth } from '../../webview/lib/smooth';
import { assignColors, colorOf } from '../../webview/lib/colors';
import { defaultState, restoreState } from '../../webview/state';

const run = (id: string, l2: number, final: Record<string, number>, over: Partial<RunInfo> = {}): RunInfo => ({
  id, kind: 'train', name: `mlp [l2=${l2}]`, experiment: 'digits', status: 'completed', backend: 'wasm', created: `2026-01-0${id.length}T00:00:00Z`,
  epochsDone: 3, epochsPlanned: 3, spec: { name: 'mlp', train: { lr: 0.01, l2 } }, overrides: [`train.l2=${l2}`],
  final, best: final, tags: [], starred: false, ...over,
});

const runs = [
  run('a', 0, { val_accuracy: 0.9, val_loss: 0.3 }),
  run('b', 0.001, { val_accuracy: 0.95, val_loss: 0.2 }),
  run('c', 0.01, { val_accuracy: 0.93 }, { status: 'running', name: 'third', backend: 'cpu' }),
];

describe('dashboard: runs table', () => {
  it('has the varying hyperparameter and the metrics as columns', () => {
    const keys = runColumns(runs).map((c) => c.key);
    assert.ok(keys.includes('param:train.l2'));
    assert.ok(!keys.includes('param:train.lr'), 'lr is the same everywhere');
    assert.deepEqual(keys.filter((k) => k.startsWith('final:')), ['final:val_loss', 'final:val_accuracy']);
    assert.deepEqual(keys.filter((k) => k.startsWith('best:')), ['best:val_loss', 'best:val_accuracy']);
  });

  it('counts a federated run\'s steps as rounds in its steps-done column', () => {
    const label = (rs: RunInfo[]) => runColumns(rs).find((c) => c.key === 'epochs')!.label;
    const federated = run('f', 0, {}, { kind: 'federated' });
    assert.equal(label(runs), 'epochs done');
    assert.equal(label([federated]), 'rounds done');
    assert.equal(label([...runs, federated]), 'epochs / rounds done');
  });

  it('sorts numerically both ways, missing values last either way', () => {
    const cols = runColumns(runs);
    const loss = cols.find((c) => c.key === 'final:val_loss');
    assert.deepEqual(sortRows(runs, loss, false).map((r) => r.id), ['b', 'a', 'c']);
    assert.deepEqual(sortRows(runs, loss, true).map((r) => r.id), ['a', 'b', 'c']);
    const l2 = cols.find((c) => c.key === 'param:train.l2');
    assert.deepEqual(sortRows(runs, l2, true).map((r) => r.id), ['c', 'b', 'a']);
    const named = [run('x', 0, {}, { name: 'run 10' }), run('y', 0, {}, { name: 'run 9' })];
    assert.deepEqual(sortRows(named, runColumns(named).find((c) => c.key === 'name'), false).map((r) => r.name), ['run 9', 'run 10']);
  });

  it('filters columns by comparison or text', () => {
    assert.equal(matchesFilter(0.95, '0.9500', '>0.9'), true);
    assert.equal(matchesFilter(0.9, '0.9000', '>0.9'), false);
    assert.equal(matchesFilter(0.9, '0.9000', '>=0.9'), true);
    assert.equal(matchesFilter(0.001, '0.001', '<=1e-3'), true);
    assert.equal(matchesFilter(0, '0', '!=0'), false);
    assert.equal(matchesFilter(undefined, '', '<1'), false, 'a comparison needs a number');
    assert.equal(matchesFilter('wasm', 'wasm', 'WAS'), true);
    assert.equal(matchesFilter('wasm', 'wasm', '!wasm'), false);
    assert.equal(matchesFilter('cpu', 'cpu', '  '), true);
    const cols = runColumns(runs);
    assert.deepEqual(filterRows(runs, cols, { 'final:val_accuracy': '>0.92' }).map((r) => r.id), ['b', 'c']);
    assert.deepEqual(filterRows(runs, cols, { 'final:val_accuracy': '>0.92', backend: 'wasm' }).map((r) => r.id), ['b']);
    assert.deepEqual(filterRows(runs, cols, { 'no-such-column': 'x' }).map((r) => r.id), ['a', 'b', 'c']);
  });

  it('filters durations in seconds or with units, as the cells read them', () => {
    const timed = [run('quick', 0, {}, { durationMs: 4000 }), run('minute', 0, {}, { durationMs: 95_000 }), run('long', 0, {}, { durationMs: 2 * 3600_000 + 300_000 })];
    const cols = runColumns(timed);
    const kept = (f: string) => filterRows(timed, cols, { duration: f }).map((r) => r.id);
    assert.deepEqual(kept('>60'), ['minute', 'long'], 'seconds, not milliseconds');
    assert.deepEqual(kept('>1m'), ['minute', 'long']);
    assert.deepEqual(kept('<1m30s'), ['quick']);
    assert.deepEqual(kept('>=2h'), ['long']);
    assert.deepEqual(kept('<5s'), ['quick']);
    assert.deepEqual(kept('1m35'), ['minute'], 'other text matches the cell as shown (1m35s)');
    assert.deepEqual([durationOperand('1.5h'), durationOperand('2h05m'), durationOperand('90s'), durationOperand('4.5')], [5400_000, 7500_000, 90_000, 4500]);
    assert.deepEqual([durationOperand(''), durationOperand('m'), durationOperand('1x'), durationOperand('1s1m')], [undefined, undefined, undefined, undefined]);
    assert.equal(cols.find((c) => c.key === 'duration')!.filter?.placeholder, '>1m');
  });

  it('matches every word of the text filter against name, status, backend and overrides', () => {
    assert.deepEqual(runs.filter((r) => matchesText(r, 'running')).map((r) => r.id), ['c']);
    assert.deepEqual(runs.filter((r) => matchesText(r, 'WASM l2=0.001')).map((r) => r.id), ['b']);
    assert.deepEqual(runs.filter((r) => matchesText(r, '')).length, 3);
  });
});

describe('dashboard: smoothing', () => {
  it('leaves a constant series constant from its first point (debiased) and w = 0 unchanged', () => {
    assert.deepEqual(smooth({ y: [2, 2, 2, 2] }, 0.9).map((v) => +v!.toFixed(12)), [2, 2, 2, 2]);
    const ys = [1, 5, null, 3];
    assert.equal(smooth({ y: ys }, 0), ys);
  });

  it('is the debiased EMA (hand-computed), with gaps kept', () => {
    // w = 0.5: avg 0.5 -> /0.5 = 1; avg 0.25 + 1.5 = 1.75 -> /0.75 = 2.333...; gap; avg 0.875 + 1.5 = 2.375 -> /0.875.
    const out = smooth({ y: [1, 3, null, 3] }, 0.5);
    assert.equal(out[0], 1);
    assert.ok(Math.abs(out[1]! - 7 / 3) < 1e-12);
    assert.equal(out[2], null);
    assert.ok(Math.abs(out[3]! - 2.375 / 0.875) < 1e-12);
  });
});

describe('dashboard: UI state', () => {
  it('restores a saved state and replaces each malformed field by its default', () => {
    const saved = { ...defaultState(), view: 'compare', selected: ['a', 'b'], smoothing: 0.6, x: 'time' };
    assert.deepEqual(restoreState(JSON.parse(JSON.stringify(saved))), saved);
    const bad = restoreState({ view: 3, selected: ['a', 1], smoothing: 5, x: 'wall', sort: { key: 'name' }, colors: { a: 'red' }, filter: 'l2' });
    const d = defaultState();
    assert.deepEqual({ ...bad, filter: d.filter }, d);
    assert.equal(bad.filter, 'l2');
    assert.deepEqual(restoreState('garbage'), d);
  });

  it('gives a new run the lowest colour no watched run shows; a watched run keeps its colour', () => {
    const c1 = assignColors({}, ['a', 'b']);
    assert.deepEqual(c1, { a: 0, b: 1 });
    const c2 = assignColors(c1, ['c', 'b']);
    assert.deepEqual(c2, { b: 1, c: 0 }, 'a is no longer shown: c takes its colour, b keeps its own');
    assert.equal(assignColors(c2, ['b', 'c']), c2, 'unchanged when nothing is new');
  });

  it('never gives two watched runs one colour after many runs were opened one by one', () => {
    let colors: Record<string, number> = {};
    let watched = ['run0'];
    colors = assignColors(colors, watched);
    for (let i = 1; i <= 12; i++) {
      watched = ['run0', `run${i}`]; // run0 stays (in Compare), another run is opened next to it each time
      colors = assignColors(colors, watched);
      assert.notEqual(colorOf(colors, `run${i}`), colorOf(colors, 'run0'), `run${i}`);
    }
    assert.equal(colors.run0, 0, 'run0 kept its colour throughout');
    const many = Array.from({ length: 12 }, (_, i) => `m${i}`);
    const all = assignColors({}, many);
    assert.deepEqual(many.map((id) => all[id]), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1], 'more runs than colours: the least shown colours repeat');
  });
});

describe('dashboard: model summary', () => {
  it('splits the layer lines of run.json into name, shape and parameters', () => {
    assert.deepEqual(parseLayer('Dense [N,128] 8320'), { name: 'Dense', shape: '[N,128]', params: '8320' });
    assert.deepEqual(parseLayer('InputLayer [N,8,8,1] 0'), { name: 'InputLayer', shape: '[N,8,8,1]', params: '0' });
    assert.deepEqual(parseLayer('custom layer'), { name: 'custom layer', shape: '', params: '' });
  });
});

// The sweep view's parallel-coordinates axes and brushing (webview/lib/parallel.ts), on a view model built
// by `sweepViewOf` from a sweep record: log and linear placement, categorical slots, pruned trials placed
// at their last intermediate value, brush filtering, and saved brushes checked before use. Pure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sweepViewOf, type SweepRecord, type TrialRecord } from '../../src/core/sweep';
import { axesOf, brushFromHeights, brushHeights, heightOf, inBrushes, validBrushes, valueAt } from '../../webview/lib/parallel';

const trial = (number: number, lr: number, layers: number[], patch: Partial<TrialRecord> = {}): TrialRecord =>
  ({ number, params: { 'train.lr': lr, 'model.layers': layers, 'train.batchSize': 32 }, state: 'completed', intermediate: {}, epochs: 2, ...patch });

const rec: SweepRecord = {
  id: 's1', name: 'demo', created: '2024-01-01T00:00:00Z', baseDir: '/', raw: {}, epochs: 2, status: 'completed', elapsedMs: 1000,
  sweep: {
    parameters: {
      'train.lr': { type: 'float', min: 0.001, max: 0.1, log: true },
      'model.layers': { type: 'categorical', values: [[8], [32], [64]] },
      'train.batchSize': { type: 'int', min: 16, max: 48, log: false },
    },
    objectives: [{ metric: 'val_accuracy', direction: 'maximize' }],
    sampler: { type: 'random' }, stopper: { type: 'asha', minEpochs: 1, eta: 2 }, parallel: 2, seed: 1,
  },
  trials: [
    trial(0, 0.01, [8], { values: [0.5], intermediate: { 1: [0.4], 2: [0.5] } }),
    trial(1, 0.001, [64], { values: [0.9], intermediate: { 1: [0.7], 2: [0.9] } }),
    trial(2, 0.1, [32], { state: 'pruned', epochs: 1, intermediate: { 1: [0.3] } }),
    trial(3, 0.05, [8], { state: 'failed', epochs: 0 }),
  ],
};

test('axes: one per parameter in space order, then one per objective spanning the values seen', () => {
  const v = sweepViewOf(rec, false);
  const axes = axesOf(v);
  assert.deepEqual(axes.map((a) => [a.key, a.scale]), [['train.lr', 'log'], ['model.layers', 'cat'], ['train.batchSize', 'linear'], ['objective:val_accuracy', 'linear']]);
  const [lr, layers, batch, acc] = axes;
  assert.ok(Math.abs(heightOf(lr, 0.01)! - 0.5) < 1e-12, 'the geometric middle of a log axis is its middle');
  assert.equal(heightOf(lr, 0.001), 0);
  assert.ok(Math.abs(heightOf(lr, 0.1)! - 1) < 1e-12);
  assert.ok(Math.abs(valueAt(lr, 0.5) - 0.01) < 1e-12);
  for (const y of [0, 0.3, 0.77, 1]) assert.ok(Math.abs(heightOf(batch, valueAt(batch, y))! - y) < 1e-12, 'valueAt inverts heightOf');
  assert.deepEqual([[8], [32], [64], [16]].map((x) => heightOf(layers, x)), [1 / 6, 0.5, 5 / 6, undefined]);
  assert.equal(heightOf(batch, 32), 0.5);
  assert.equal(heightOf(lr, -1), undefined, 'no place for a non-positive value on a log axis');
  // The objective axis spans 0.3 (the pruned trial's last value) to 0.9, padded by 5% each side.
  assert.ok(Math.abs(acc.min - 0.27) < 1e-12 && Math.abs(acc.max - 0.93) < 1e-12, `${acc.min}..${acc.max}`);
  assert.deepEqual(v.trials.map((t) => acc.value(t)), [0.5, 0.9, 0.3, undefined]);
});

test('brushes: a trial is shown when it lies within every brush; one with no value on a brushed axis is not', () => {
  const v = sweepViewOf(rec, false);
  const axes = axesOf(v);
  const shown = (b: Record<string, [number, number]>) => v.trials.filter((t) => inBrushes(axes, b, t)).map((t) => t.number);
  assert.deepEqual(shown({}), [0, 1, 2, 3]);
  const [lr] = axes;
  const upperHalf = brushFromHeights(lr, [0.5, 1]);
  assert.ok(Math.abs(upperHalf[0] - 0.01) < 1e-12 && upperHalf[1] === 0.1, `a drag over the upper half of the lr axis: ${upperHalf}`);
  assert.deepEqual(shown({ 'train.lr': upperHalf }), [0, 2, 3], 'lr from 0.01 to 0.1, ends included');
  assert.deepEqual(shown({ 'train.lr': [0.01, 0.1], 'model.layers': [0, 0.34] }), [0, 3], 'lr in values, layers in slot heights');
  assert.deepEqual(shown({ 'objective:val_accuracy': [0, 1] }), [0, 1, 2], 'the failed trial has no objective value');
  assert.deepEqual(brushHeights(lr, [0.01, 10]).map((x) => +x.toFixed(12)), [0.5, 1], 'drawn clipped to the axis');
});

test('a brush on an objective axis keeps its trials when a new trial widens the axis', () => {
  const before = sweepViewOf(rec, false);
  const acc = axesOf(before).at(-1)!;
  const brush = brushFromHeights(acc, [heightOf(acc, 0.45)!, 1]); // from 0.45 to the top: trials 0 (0.5) and 1 (0.9)
  const shown = (v: typeof before) => v.trials.filter((t) => inBrushes(axesOf(v), { [acc.key]: brush }, t)).map((t) => t.number);
  assert.deepEqual(shown(before), [0, 1]);
  const after = sweepViewOf({ ...rec, trials: [...rec.trials, trial(4, 0.02, [32], { values: [0.05], intermediate: { 1: [0.05], 2: [0.05] } })] }, false);
  assert.ok(axesOf(after).at(-1)!.min < acc.min, 'the new trial widened the axis');
  assert.deepEqual(shown(after), [0, 1], 'the same trials, not those at the same heights');
});

test('saved brushes are kept only on axes that exist, as ordered ranges (within [0, 1] on a categorical axis)', () => {
  const axes = axesOf(sweepViewOf(rec, false));
  assert.deepEqual(validBrushes({ 'train.lr': [0.002, 0.004], gone: [0, 1], 'model.layers': [0.5, 0.2], 'train.batchSize': [20, 2], 'objective:val_accuracy': 'x' }, axes), { 'train.lr': [0.002, 0.004] });
  assert.deepEqual(validBrushes({ 'model.layers': [0.5, 2], 'train.batchSize': [20, 40], 'objective:val_accuracy': [0.5, Infinity] }, axes), { 'train.batchSize': [20, 40] });
  assert.deepEqual(validBrushes(null, axes), {});
  assert.deepEqual(validBrushes([1, 2], axes), {});
});

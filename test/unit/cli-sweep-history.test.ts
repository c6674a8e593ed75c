// hone sweep show's history line: the epochs beside each improvement are the whole sweep's so far, and
// say so (a 3-epoch trial read '(trial 1, 6 epochs)').
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sweepViewOf } from '../../src/core/sweep';
import type { SweepRecord } from '../../src/core/sweep/record';
import { sweepText } from '../../src/cli/sweep-format';

const at = (s: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, s)).toISOString();
const trial = (number: number, value: number, epochs: number) =>
  ({ number, params: { 'train.lr': 0.01 }, state: 'completed', values: [value], intermediate: {}, epochs, started: at(number), finished: at(number + 1) });

test('the history line counts the sweep\'s epochs when each best came, not the trial\'s', () => {
  const rec = {
    id: 's1', name: 'lr', created: at(0), status: 'completed', epochs: 3, elapsedMs: 1000,
    trials: [trial(0, 0.9, 1), trial(1, 0.95, 3), trial(2, 0.93, 3)],
    sweep: {
      parameters: { 'train.lr': { type: 'float', min: 0.001, max: 0.1, log: true } },
      objectives: [{ metric: 'val_accuracy', direction: 'maximize' }],
      sampler: { type: 'random' }, stopper: { type: 'none' }, trials: 3, parallel: 1, seed: 1,
    },
  } as unknown as SweepRecord;
  const line = sweepText(sweepViewOf(rec, false)).split('\n').find((l) => l.startsWith('history'));
  assert.equal(line, 'history    best val_accuracy: 0.9000 (trial 0, after 1 epoch of the sweep) -> 0.9500 (trial 1, after 4 epochs of the sweep)');
});

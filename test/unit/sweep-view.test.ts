// How a trial's end is read from its run, and the sweep view model built from a sweep record. Pure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sweepViewOf, type SweepRecord, type TrialRecord } from '../../src/core/sweep';
import { outcomeOf } from '../../src/core/sweep/outcome';
import type { RunRecord } from '../../src/core/store/types';

const run = (status: RunRecord['status'], final?: Record<string, number>, epochsDone = 4, message?: string) =>
  ({ status, final, epochsDone, message }) as RunRecord;
const trial = (patch: Partial<TrialRecord> = {}): TrialRecord => ({ number: 0, params: {}, state: 'running', intermediate: {}, epochs: 2, ...patch });
const PRUNED = { epoch: 1, rung: 0, reason: 'rung 0' };

test('trial outcomes from run records', () => {
  const m = ['val_accuracy'];
  assert.deepEqual(outcomeOf(trial(), run('completed', { val_accuracy: 0.9 }), m, false), { state: 'completed', values: [0.9], epochs: 4 });
  assert.deepEqual(outcomeOf(trial({ pruned: PRUNED }), run('completed', { val_accuracy: 0.9 }), m, false), { state: 'completed', values: [0.9], epochs: 4 }, 'a stop that came too late');
  assert.deepEqual(outcomeOf(trial({ pruned: PRUNED }), run('stopped', { val_accuracy: 0.5 }, 2), m, false), { state: 'pruned', epochs: 1 });
  assert.deepEqual(outcomeOf(trial(), run('stopped'), m, true), { state: 'interrupted' });
  assert.deepEqual(outcomeOf(trial(), run('crashed'), m, true), { state: 'interrupted' });
  assert.deepEqual(outcomeOf(trial(), run('diverged', undefined, 3, 'loss became NaN'), m, false), { state: 'failed', message: 'run diverged: loss became NaN', epochs: 3, diverged: true });
  assert.deepEqual(outcomeOf(trial(), run('completed', { val_accuracy: NaN }), m, false), { state: 'failed', message: 'run diverged: it completed with final val_accuracy NaN, not a finite number', epochs: 4, diverged: true }, 'blew up in its last steps');
  assert.deepEqual(outcomeOf(trial(), run('completed', { a: NaN, b: 1, c: -Infinity }), ['a', 'b', 'c'], false), { state: 'failed', message: 'run diverged: it completed with final a NaN, c -Infinity, not finite numbers', epochs: 4, diverged: true });
  assert.deepEqual(outcomeOf(trial(), run('failed', undefined, 1, 'out of memory'), m, false), { state: 'failed', message: 'run failed: out of memory', epochs: 1 }, 'not a result about its parameters');
  assert.deepEqual(outcomeOf(trial(), run('completed', { accuracy: 1 }), m, false), { state: 'failed', message: "no final val_accuracy in the run's metrics", epochs: 4 });
  assert.equal((outcomeOf(trial(), undefined, m, false) as { message: string }).message, 'its run folder disappeared');
});

test('the view model: states, objectives by name, curves, best and Pareto marks, interrupted when no coordinator lives', () => {
  const rec: SweepRecord = {
    id: 's1', name: 'demo', created: '2024-01-01T00:00:00Z', baseDir: '/', raw: {}, epochs: 3, status: 'running', elapsedMs: 5000,
    sweep: {
      parameters: { 'train.lr': { type: 'float', min: 0.001, max: 0.1, log: true } },
      objectives: [{ metric: 'val_accuracy', direction: 'maximize' }],
      sampler: { type: 'random' }, stopper: { type: 'none' }, trials: 4, parallel: 1, seed: 0,
    },
    trials: [
      trial({ number: 0, params: { 'train.lr': 0.01 }, state: 'completed', values: [0.8], intermediate: { 2: [0.7], 1: [0.5] }, epochs: 3, finished: '2024-01-01T00:00:02Z' }),
      trial({ number: 1, params: { 'train.lr': 0.03 }, state: 'completed', values: [0.9], intermediate: { 1: [0.6] }, epochs: 3, finished: '2024-01-01T00:00:03Z' }),
      trial({ number: 2, params: { 'train.lr': 0.002 }, runId: 'r2' }),
    ],
  };
  const live = sweepViewOf(rec, true);
  assert.equal(live.status, 'running');
  assert.deepEqual(live.trials.map((t) => t.state), ['completed', 'completed', 'running']);
  assert.deepEqual(live.trials[0].curve, [{ epoch: 1, values: [0.5] }, { epoch: 2, values: [0.7] }]);
  assert.deepEqual(live.trials[1].objectives, { val_accuracy: 0.9 });
  assert.deepEqual(live.trials.map((t) => t.best), [false, true, false]);
  assert.equal(live.best, 1);
  assert.deepEqual(live.history.map((h) => h.bestSoFar[0]), [0.8, 0.9]);
  assert.deepEqual(live.parameters.map((p) => p.path), ['train.lr']);
  const dead = sweepViewOf(rec, false);
  assert.equal(dead.status, 'interrupted');
  assert.equal(dead.trials[2].state, 'interrupted');
  assert.deepEqual(dead.counts, { running: 0, completed: 2, pruned: 0, failed: 0, interrupted: 1 });
});

// Sweeps whose trials fail: trials that cannot start stop the sweep after UNSTARTED_LIMIT in a row
// (instead of burning the budget in a loop deaf to Ctrl-C); a sweep none of whose trials completed says so
// and exits 1; `--trials` is a budget the spec checks accept.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { coordinatorOf, readSweepRecord, startSweep, sweepDirOf } from '../../src/core/sweep';
import { COORDINATOR_LOCK, newSweepDir } from '../../src/core/sweep/record';
import { thisProcess } from '../../src/core/store';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { digitsSpec, hone, writeSpec } from '../helpers/cli';

let dir: string;
before(() => (dir = makeTmpDir()));
after(() => removeTmpDir(dir));

const sweepOf = (name: string, sweep: Record<string, unknown>, train: Record<string, unknown> = { epochs: 1 }) => writeSpec(dir, name, {
  ...digitsSpec(name, train),
  sweep: { objectives: [{ metric: 'val_accuracy', direction: 'maximize' }], parallel: 1, ...sweep },
});

test('trials whose runs cannot start: the sweep stops itself after 10 in a row, saying why, and can be resumed', async () => {
  const spec = sweepOf('unstartable', { parameters: { 'train.lr': { type: 'float', min: 0.001, max: 0.1 } }, sampler: { type: 'random' }, trials: 50 });
  let calls = 0;
  const h = startSweep(spec, {
    storeDir: join(dir, 'store'), workerPath: 'unused',
    launchTrial: () => {
      calls++;
      throw new Error('EMFILE: too many open files');
    },
  });
  const rec = await h.done;
  assert.equal(calls, 10);
  assert.equal(rec.status, 'stopped');
  assert.deepEqual(rec.trials.map((t) => t.state), Array(10).fill('failed'));
  assert.match(rec.message ?? '', /^stopped: 10 trials in a row could not start \(the last: could not start its run: EMFILE: too many open files\); fix that and resume$/);
  assert.equal(readSweepRecord(sweepDirOf(join(dir, 'store'), rec.id))!.status, 'stopped');
});

test('a sweep whose only trial diverged: completed its budget, "no trial completed", exit 1', () => {
  const store = join(dir, 'diverged');
  // Gradient descent on least squares at lr 1000: each step multiplies the error by about 1000; the loss overflows within 2 epochs.
  const spec = writeSpec(dir, 'diverged', {
    name: 'diverged', seed: 1,
    data: { source: 'regression', samples: 400, features: 3, split: { train: 0.6, val: 0.2, test: 0.2 } },
    model: { type: 'linear' },
    train: { epochs: 2, optimizer: 'sgd', batchSize: 32 },
    sweep: { parameters: { 'train.lr': { type: 'categorical', values: [1000] } }, objectives: [{ metric: 'val_loss', direction: 'minimize' }], sampler: { type: 'grid' }, parallel: 1 },
  });
  const r = hone(['sweep', spec, '--store', store, '--json']);
  assert.equal(r.code, 1, r.stderr + r.stdout);
  const view = JSON.parse(r.stdout);
  assert.equal(view.status, 'completed');
  assert.match(view.message, /every combination tried \(1\); no trial completed \(1 failed\)/);
  assert.equal(view.trials[0].state, 'failed');
});

test('--trials is the budget a random sampler needs: a spec without one runs that many', () => {
  const store = join(dir, 'budget');
  const spec = sweepOf('budget', { parameters: { 'train.lr': { type: 'float', min: 0.01, max: 0.1 } }, sampler: { type: 'random' } });
  const refused = hone(['sweep', spec, '--store', store]);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /sweep\.trials: expected a budget for the random sampler/);
  const r = hone(['sweep', spec, '--store', store, '--trials', '2', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const view = JSON.parse(r.stdout);
  assert.deepEqual(view.trials.map((t: { state: string }) => t.state), ['completed', 'completed']);
  assert.match(view.message, /budget of 2 trials used/);
});

test('a coordinator lock names the process by pid and start time: a pid reused by another process (after a reboot) holds nothing', () => {
  const { dir: sweepDir } = newSweepDir(join(dir, 'locks'));
  const lock = (holder: object) => writeFileSync(join(sweepDir, COORDINATOR_LOCK), JSON.stringify(holder));
  lock(thisProcess());
  assert.equal(coordinatorOf(sweepDir)?.pid, process.pid, 'this very process holds it');
  lock({ ...thisProcess(), pidStart: '1' });
  assert.equal(coordinatorOf(sweepDir), undefined, 'same pid, another start: the holder is gone');
  lock({ pid: process.pid, host: hostname() });
  assert.equal(coordinatorOf(sweepDir)?.pid, process.pid, 'a lock written before start times were recorded: the pid alone');
});

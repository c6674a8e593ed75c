// `hone sweep` under real processes: a grid run to its end, ASHA pruning real trials, a sweep killed
// with SIGKILL and resumed, bad input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { digitsSpec, hone, honeAsync, readJson, waitFor, writeSpec } from '../helpers/cli';

let dir: string;
before(() => (dir = makeTmpDir()));
after(() => removeTmpDir(dir));

const sweepSpec = (name: string, train: Record<string, unknown>, sweep: Record<string, unknown>) => ({
  ...digitsSpec(name, train),
  sweep: { objectives: [{ metric: 'val_accuracy', direction: 'maximize' }], parallel: 2, ...sweep },
});

const onlySweep = (store: string): string | undefined => {
  const root = join(store, 'sweeps');
  const ids = existsSync(root) ? readdirSync(root) : [];
  // The folder is made before its sweep.json is written: wait for the file itself.
  const file = ids.length === 1 ? join(root, ids[0], 'sweep.json') : undefined;
  return file && existsSync(file) ? file : undefined;
};

const runsOf = (store: string) => readdirSync(join(store, 'runs')).map((id) => readJson(join(store, 'runs', id, 'run.json')));

test('hone sweep runs a grid to its end: one tagged run per combination, best and history in show --json', () => {
  const store = join(dir, 'grid');
  const spec = writeSpec(dir, 'grid', sweepSpec('grid', { epochs: 2 }, {
    parameters: { 'train.lr': { type: 'categorical', values: [0.001, 0.03] }, 'model.layers': { type: 'categorical', values: [[8], [32]] } },
    sampler: { type: 'grid' },
  }));
  const r = hone(['sweep', spec, '--store', store]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /every combination tried \(4\)/);
  const rec = readJson(onlySweep(store)!);
  assert.deepEqual(rec.trials.map((t: any) => t.state), ['completed', 'completed', 'completed', 'completed']);
  assert.deepEqual(rec.trials.map((t: any) => [t.params['train.lr'], t.params['model.layers']]), [[0.001, [8]], [0.001, [32]], [0.03, [8]], [0.03, [32]]]);
  const runs = runsOf(store);
  assert.equal(runs.length, 4);
  for (const t of rec.trials) {
    const run = runs.find((x) => x.id === t.runId);
    assert.deepEqual(run.sweep, { id: rec.id, trial: t.number });
    assert.equal(run.spec.train.lr, t.params['train.lr']);
    assert.equal(run.final.val_accuracy, t.values[0], 'the objective is the run\'s final metric');
  }
  const view = JSON.parse(hone(['sweep', 'show', rec.id.slice(0, 17), '--store', store, '--json']).stdout);
  const bestValue = Math.max(...rec.trials.map((t: any) => t.values[0]));
  assert.equal(view.trials[view.best].values[0], bestValue);
  assert.equal(view.history[view.history.length - 1].cumulativeEpochs, 8);
  assert.equal(view.history[view.history.length - 1].bestSoFar[0], bestValue);
  assert.equal(view.importance.byObjective.length, 1);
});

test('a sweep without a sampler records what auto picked, and why, in sweep.json', () => {
  const store = join(dir, 'auto');
  const spec = writeSpec(dir, 'auto', sweepSpec('auto', { epochs: 1 }, {
    parameters: { 'train.lr': { type: 'float', min: 1e-3, max: 0.05, log: true } }, trials: 2,
  }));
  const r = hone(['sweep', spec, '--store', store]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const rec = readJson(onlySweep(store)!);
  assert.deepEqual(rec.sweep.sampler, { type: 'random' });
  assert.match(rec.samplerChoice, /^auto: random, for 2 trials: no more than a model-based sampler's 10 random startup trials$/);
  assert.equal(rec.trials.length, 2);
});

test('ASHA prunes real trials at its rungs; a pruned run says so', () => {
  const store = join(dir, 'asha');
  const spec = writeSpec(dir, 'asha', sweepSpec('asha', { epochs: 4 }, {
    parameters: { 'train.lr': { type: 'float', min: 1e-4, max: 0.3, log: true } },
    sampler: { type: 'random' }, stopper: { type: 'asha', minEpochs: 1, eta: 2 }, trials: 8,
  }));
  const r = hone(['sweep', spec, '--store', store]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const rec = readJson(onlySweep(store)!);
  const pruned = rec.trials.filter((t: any) => t.state === 'pruned');
  assert.ok(pruned.length >= 1, r.stdout);
  assert.equal(rec.trials.filter((t: any) => t.state === 'completed').length + pruned.length, 8);
  for (const t of pruned) {
    assert.ok([1, 2].includes(t.pruned.epoch), `rungs at epochs 1 and 2, got ${t.pruned.epoch}`);
    assert.equal(t.pruned.rung, t.pruned.epoch - 1);
    assert.equal(t.epochs, t.pruned.epoch);
    const run = readJson(join(store, 'runs', t.runId, 'run.json'));
    assert.equal(run.status, 'stopped');
    assert.match(run.message, new RegExp(`^pruned by sweep ${rec.id} \\(trial ${t.number}\\) at rung`));
  }
});

test('a sweep killed with SIGKILL resumes: completed trials kept, interrupted ones re-run, none lost or duplicated', async () => {
  const store = join(dir, 'killed');
  const spec = writeSpec(dir, 'killed', sweepSpec('killed', { epochs: 15, batchSize: 32 }, {
    parameters: { 'train.lr': { type: 'float', min: 1e-3, max: 0.05, log: true } }, sampler: { type: 'random' }, trials: 5,
  }));
  const p = honeAsync(['sweep', spec, '--store', store]);
  const file = await waitFor(() => onlySweep(store), 30_000, 'sweep.json');
  const running = await waitFor(() => {
    const rec = readJson(file);
    const live = rec.trials.find((t: any) => t.state === 'running' && t.runId && Object.keys(t.intermediate).length >= 1);
    return rec.trials.filter((t: any) => t.state === 'completed').length >= 2 && live ? live : undefined;
  }, 120_000, 'two completed trials and one training');
  p.child.kill('SIGKILL');
  await p.result;
  const before = readJson(file);
  const done = before.trials.filter((t: any) => t.state === 'completed');
  // The coordinator is gone but its workers train on (detached); kill one as well, so that it must re-run.
  const victim = readJson(join(store, 'runs', running.runId, 'run.json'));
  process.kill(victim.pid, 'SIGKILL');

  const r = hone(['sweep', 'resume', before.id, '--store', store, '--trials', '7']);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const rec = readJson(file);
  assert.equal(rec.status, 'completed');
  assert.deepEqual(rec.trials.map((t: any) => t.number), [0, 1, 2, 3, 4, 5, 6]);
  assert.ok(rec.trials.every((t: any) => t.state === 'completed'), JSON.stringify(rec.trials.map((t: any) => t.state)));
  for (const t of done) {
    const now = rec.trials[t.number];
    assert.deepEqual([now.runId, now.values, now.params], [t.runId, t.values, t.params], `trial ${t.number} kept as it was`);
  }
  const rerun = rec.trials[running.number];
  assert.deepEqual(rerun.interrupted, [running.runId]);
  assert.notEqual(rerun.runId, running.runId);
  assert.deepEqual(rerun.params, running.params, 'a re-run keeps its parameters');
  const tagged = runsOf(store).filter((x) => x.sweep?.id === rec.id);
  const completedRuns = tagged.filter((x) => x.status === 'completed');
  assert.deepEqual(completedRuns.map((x) => x.sweep.trial).sort(), [0, 1, 2, 3, 4, 5, 6], 'exactly one completed run per trial');
  assert.deepEqual(completedRuns.map((x) => x.id).sort(), rec.trials.map((t: any) => t.runId).sort());
  assert.equal(readJson(join(store, 'runs', running.runId, 'run.json')).status, 'crashed');
  assert.equal(tagged.length, 8, 'seven trials and the one interrupted attempt');
  assert.ok(!existsSync(join(store, 'sweeps', rec.id, 'coordinator.lock')), 'the lock is released');
});

test('resume finds a trial\'s run that sweep.json never named (a coordinator killed between start and record): no duplicate', () => {
  const store = join(dir, 'unrecorded');
  const spec = writeSpec(dir, 'unrecorded', sweepSpec('unrecorded', { epochs: 2 }, {
    parameters: { 'train.lr': { type: 'float', min: 1e-3, max: 0.05, log: true } }, sampler: { type: 'random' }, trials: 2,
  }));
  assert.equal(hone(['sweep', spec, '--store', store]).code, 0);
  const file = onlySweep(store)!;
  const rec = readJson(file);
  const lost = rec.trials[1];
  // As sweep.json stood when the coordinator died after starting trial 1's worker but before saving its id.
  writeFileSync(file, JSON.stringify({ ...rec, status: 'running', trials: [rec.trials[0], { ...lost, state: 'running', runId: undefined, values: undefined, finished: undefined }] }));
  const r = hone(['sweep', 'resume', rec.id, '--store', store]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const after = readJson(file);
  assert.equal(after.trials[1].runId, lost.runId, 'the run it had started is found by its tag');
  assert.deepEqual(after.trials[1].values, lost.values);
  assert.equal(runsOf(store).length, 2, 'no second run for the trial');
});

test('a wall-time budget: no trial starts after timeLimit, running ones finish', () => {
  const store = join(dir, 'timed');
  const spec = writeSpec(dir, 'timed', sweepSpec('timed', { epochs: 2 }, {
    parameters: { 'train.lr': { type: 'float', min: 1e-3, max: 0.05, log: true } }, sampler: { type: 'random' }, timeLimit: 1,
  }));
  const r = hone(['sweep', spec, '--store', store, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const view = JSON.parse(r.stdout);
  assert.match(view.message, /^time limit of 1 s reached$/);
  assert.ok(view.trials.length >= 1 && view.trials.every((t: any) => t.state === 'completed'));
  // Counted from the first trial's start, which follows the coordinator's own start; `created` comes
  // before the record's first (fsync'd) writes, which take long on a loaded machine.
  const starts = view.trials.map((t: any) => Date.parse(t.started));
  assert.ok(Math.max(...starts) - Math.min(...starts) < 1000 + 500, 'the last trial started within the limit');
});

test('bad input: a spec problem names its path; unknown sweeps and missing sections exit 2', () => {
  const spec = writeSpec(dir, 'bad', sweepSpec('bad', {}, { parameters: { 'train.lr': { type: 'float', min: 0, max: 1, log: true } }, trials: 2 }));
  const r = hone(['sweep', spec, '--store', join(dir, 'bad')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /sweep\.parameters\["train\.lr"\]\.min: expected a number > 0 with log: true, found 0/);
  assert.equal(existsSync(join(dir, 'bad', 'sweeps')), false, 'nothing started');
  assert.equal(hone(['sweep', 'resume', 'nope', '--store', join(dir, 'bad')]).code, 2);
  const plain = hone(['sweep', writeSpec(dir, 'plain', digitsSpec('plain')), '--store', join(dir, 'bad')]);
  assert.equal(plain.code, 2);
  assert.match(plain.stderr, /expected a 'sweep' section/);
  // The command line's counts have the spec's own limits.
  for (const [flag, value, max] of [['--trials', '1e9', 100000], ['--parallel', '2000', 1024]] as const) {
    const over = hone(['sweep', spec, '--store', join(dir, 'bad'), flag, value]);
    assert.equal(over.code, 2);
    assert.match(over.stderr, new RegExp(`${flag}: expected an integer from 1 to ${max}, found ${value}`));
  }
  assert.equal(existsSync(join(dir, 'bad', 'sweeps')), false, 'nothing started');
});

test('a trial whose run completes with an infinite objective fails as diverged, saying so, and is no best', () => {
  // y = 2 x1 - x2, and one row of x1 = x2 = 3e38 that seed 5 deals to the validation split: training goes
  // well, but the model's prediction for that row overflows, so val_loss ends Infinity.
  const csv = join(dir, 'overflow.csv');
  const rows = Array.from({ length: 60 }, (_, i) => { const [a, b] = [(i * 7 % 60) / 60, (i * 13 % 60) / 60]; return `${a},${b},${2 * a - b}`; });
  writeFileSync(csv, ['x1,x2,y', ...rows, '3e38,3e38,1'].join('\n') + '\n');
  const store = join(dir, 'overflow');
  const spec = writeSpec(dir, 'overflow', {
    name: 'overflow', seed: 5,
    data: { source: 'csv', path: csv, target: 'y', split: { train: 0.6, val: 0.2, test: 0.2 }, normalize: 'none' },
    model: { type: 'linear' }, train: { optimizer: 'sgd', lr: 0.1, batchSize: 8, epochs: 2 },
    sweep: {
      parameters: { 'train.lr': { type: 'categorical', values: [0.1, 0.2] } }, sampler: { type: 'grid' }, parallel: 1,
      objectives: [{ metric: 'val_loss', direction: 'minimize' }],
    },
  });
  const r = hone(['sweep', spec, '--store', store]);
  const rec = readJson(onlySweep(store)!);
  for (const t of rec.trials) {
    const run = runsOf(store).find((x) => x.id === t.runId);
    assert.deepEqual([run.status, run.final.val_loss], ['completed', 'Infinity'], 'the run itself completed, its val_loss overflowed');
    assert.deepEqual([t.state, t.diverged, t.message], ['failed', true, 'run diverged: it completed with final val_loss Infinity, not a finite number']);
  }
  assert.match(r.stdout, /trial 0 failed: run diverged: it completed with final val_loss Infinity, not a finite number/);
  assert.match(r.stdout, /^ +0 +failed \(diverged\) /m);
  assert.doesNotMatch(r.stdout, /no final val_loss/);
  assert.equal(JSON.parse(hone(['sweep', 'show', rec.id, '--store', store, '--json']).stdout).best, undefined);
});

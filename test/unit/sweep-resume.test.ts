// Starting, resuming and stopping sweeps in core/sweep with scripted trial runs (no workers): what a
// resume keeps (--parallel, the stopper's earlier decisions), how runs that ended while no coordinator
// watched are settled, a run that cannot start, and `hone sweep stop` on a sweep whose coordinator died.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { requestSweepStop, resumeSweep, startSweep, sweepViewOf, type SweepRecord, type SweepRunOptions, type SweepEvent } from '../../src/core/sweep';
import { appendMetric, createRun, STOP_FILE, writeRunRecord, type RunRecord, type RunStatus, type StoredRun } from '../../src/core/store';
import { readSweepRecord, sweepDirOf, writeSweepRecord, type TrialRecord } from '../../src/core/sweep/record';
import type { LaunchTrial, TrialRun } from '../../src/core/sweep/trial-run';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { deadPid, fakeMetric, fakeRun } from '../helpers/store-fixtures';
import { digitsSpec, waitFor, writeSpec } from '../helpers/cli';

let dir: string;
before(() => (dir = makeTmpDir()));
after(() => removeTmpDir(dir));

const spec = (name: string, sweep: Record<string, unknown> = {}, epochs = 3) => writeSpec(dir, name, {
  ...digitsSpec(name, { epochs }),
  sweep: {
    parameters: { 'train.lr': { type: 'float', min: 1e-3, max: 0.1, log: true } },
    objectives: [{ metric: 'val_accuracy', direction: 'maximize' }], sampler: { type: 'random' }, trials: 2, ...sweep,
  },
});

/**
 * Trial runs that report `value(trial)` after every epoch, a tick apart, and complete (or stop when
 * asked). `busy` counts the runs in flight, `most` the most at once.
 */
function scripted(value: (trial: number) => number = () => 0.5) {
  const s = { launched: [] as number[], busy: 0, most: 0 };
  const launchTrial = (o: LaunchTrial): TrialRun => {
    const n = o.sweep.trial;
    const runId = `20200101-000000-${String(n).padStart(6, '0')}`;
    o.onQueued(runId);
    s.launched.push(n);
    s.most = Math.max(s.most, ++s.busy);
    let stop = false;
    const epochs = o.spec.train.epochs;
    const done = (async (): Promise<RunRecord> => {
      try {
        for (let e = 1; e <= epochs; e++) {
          await new Promise((r) => setTimeout(r, 5));
          if (stop) return { id: runId, status: 'stopped', epochsDone: e - 1, final: {} } as unknown as RunRecord;
          o.onLine(fakeMetric(e, { val_accuracy: value(n) }));
        }
        return { id: runId, status: 'completed', epochsDone: epochs, final: { val_accuracy: value(n) } } as unknown as RunRecord;
      } finally {
        s.busy--;
      }
    })();
    return { runId, done, stop: () => (stop = true) };
  };
  return Object.assign(s, { launchTrial });
}

const opts = (store: string, o: Partial<SweepRunOptions> = {}): SweepRunOptions => ({ storeDir: join(store), workerPath: 'unused', ...o });

test('a resumed sweep keeps the --parallel it started with; a resume may give another, kept in turn', async () => {
  const store = join(dir, 'parallel');
  const file = spec('parallel', { parallel: 3 });
  const first = scripted();
  const rec = await startSweep(file, opts(store, { trials: 2, parallel: 1, launchTrial: first.launchTrial })).done;
  assert.equal(first.most, 1);
  assert.equal(rec.sweep.parallel, 1, 'sweep.json records the --parallel given');

  const second = scripted();
  await resumeSweep(rec.id, opts(store, { trials: 8, launchTrial: second.launchTrial })).done;
  assert.equal(second.launched.length, 6);
  assert.equal(second.most, 1, 'one trial at a time, as started, not the spec\'s 3');

  const third = scripted();
  const last = await resumeSweep(rec.id, opts(store, { trials: 12, parallel: 2, launchTrial: third.launchTrial })).done;
  assert.equal(third.most, 2);
  assert.equal(last.sweep.parallel, 2);
});

/** Running, finished or failed trials, as a sweep records them (`number` set by position). */
type LeftTrial = Omit<TrialRecord, 'number'>;

/**
 * Sweep `name` as a coordinator killed mid-sweep leaves it: its first session ran `done` trials to the
 * end (scripted, each reporting `value(trial)` every epoch), then the trials `left(store, id)` made were running.
 */
async function killedSweep(name: string, o: { sweep?: Record<string, unknown>; epochs?: number; done: number; value?: (n: number) => number; left: (store: string, id: string) => LeftTrial[] }) {
  const store = join(dir, name);
  const first = await startSweep(spec(name, { ...o.sweep, parallel: 1 }, o.epochs), opts(store, { trials: o.done, launchTrial: scripted(o.value).launchTrial })).done;
  const rec: SweepRecord = {
    ...first, status: 'running', coordinator: { pid: deadPid(), host: hostname(), started: new Date().toISOString() },
    trials: [...first.trials, ...o.left(store, first.id).map((t, i) => ({ ...t, number: first.trials.length + i }))],
  };
  delete rec.finished;
  writeSweepRecord(sweepDirOf(store, rec.id), rec);
  return { store, id: rec.id, read: () => readSweepRecord(sweepDirOf(store, rec.id))! };
}

/** A run folder for trial `trial` of sweep `sweepId`, its record patched by `patch`. */
function trialRunFolder(store: string, sweepId: string, trial: number, patch: Partial<RunRecord>): StoredRun {
  const { record, dir: runDir } = createRun(store, fakeRun({ sweep: { id: sweepId, trial } }));
  const patched = { ...record, ...patch };
  writeRunRecord(runDir, patched);
  return { record: patched, dir: runDir };
}

test('an adopted trial keeps the epochs its earlier session judged: ASHA does not take back a promotion', async () => {
  // Rungs at epochs 1 and 3. Trial 2 was promoted at epoch 1, when it was alone there; today it ranks last
  // at epoch 1 (0.2 against 0.9 and 0.8), so judging that epoch again would prune it at rung 0.
  let run!: StoredRun;
  const s = await killedSweep('adopt', {
    sweep: { stopper: { type: 'asha', minEpochs: 1, eta: 3 } }, epochs: 9, done: 2, value: (n) => [0.9, 0.8][n],
    left: (store, id) => {
      // Still training elsewhere (another host, a fresh heartbeat); it has reported epochs 1 to 3 by now.
      const heartbeat = new Date().toISOString();
      run = trialRunFolder(store, id, 2, { status: 'running', host: 'another-host', pid: 1, heartbeat, started: heartbeat });
      [0.2, 0.95, 0.95].forEach((v, i) => appendMetric(run.dir, fakeMetric(i + 1, { val_accuracy: v })));
      return [{ params: { 'train.lr': 0.01 }, state: 'running', intermediate: { 1: [0.2] }, epochs: 1, runId: run.record.id }];
    },
  });

  const events: SweepEvent[] = [];
  const h = resumeSweep(s.id, opts(s.store, { launchTrial: scripted().launchTrial, onEvent: (e) => events.push(e) }));
  const seen = await waitFor(() => {
    const t = s.read().trials[2];
    return t.pruned || t.epochs >= 3 ? t : undefined;
  }, 10_000, 'the adopted run\'s epochs');
  assert.equal(seen.pruned, undefined, `not pruned at ${seen.pruned?.reason}`);
  assert.deepEqual(seen.intermediate, { 1: [0.2], 2: [0.95], 3: [0.95] }, 'the recorded epoch kept, the new ones added');
  assert.equal(existsSync(join(run.dir, STOP_FILE)), false, 'its run was not asked to stop');
  writeRunRecord(run.dir, { ...run.record, status: 'completed', epochsDone: 9, final: { val_accuracy: 0.96 }, finished: new Date().toISOString() });
  const end = await h.done;
  assert.equal(end.trials[2].state, 'completed');
  assert.deepEqual(end.trials[2].values, [0.96]);
  assert.deepEqual(events.flatMap((e) => (e.type === 'trial-epoch' ? [e.epoch] : [])), [2, 3], 'only the epochs it had not judged');
});

test('an adopted trial that was pruned stays pruned when its run stops', async () => {
  // Pruned at rung 0 against trials since deleted from the record: today's history (0.1 at epoch 1) would keep it.
  let run!: StoredRun;
  const pruned = { epoch: 1, rung: 0, reason: 'rung 0 (epoch 1): 1 of 2 trials rank above it, only the top 1 (1/2) continue' };
  const s = await killedSweep('adopt-pruned', {
    sweep: { stopper: { type: 'asha', minEpochs: 1, eta: 2 } }, epochs: 4, done: 1, value: () => 0.1,
    left: (store, id) => {
      const heartbeat = new Date().toISOString();
      run = trialRunFolder(store, id, 1, { status: 'running', host: 'another-host', pid: 1, heartbeat, started: heartbeat });
      [0.2, 0.95].forEach((v, i) => appendMetric(run.dir, fakeMetric(i + 1, { val_accuracy: v })));
      return [{ params: { 'train.lr': 0.01 }, state: 'running', intermediate: { 1: [0.2] }, epochs: 1, runId: run.record.id, pruned }];
    },
  });
  const h = resumeSweep(s.id, opts(s.store, { launchTrial: scripted().launchTrial }));
  // Adopted as resumeSweep returns; its run then stops, as the pruning asked.
  writeRunRecord(run.dir, { ...run.record, status: 'stopped', epochsDone: 2, finished: new Date().toISOString() });
  const t = (await h.done).trials[1];
  assert.equal(t.state, 'pruned');
  assert.deepEqual([t.pruned, t.epochs, t.intermediate], [pruned, 1, { 1: [0.2] }]);
});

test('resume records a run that failed or diverged while no coordinator watched; it re-runs only a stopped or crashed one', async () => {
  const ended = (status: RunStatus, message: string) => ({ status, message, epochsDone: 2, finished: '2020-01-01T00:00:00.000Z' });
  const runs: StoredRun[] = [];
  const s = await killedSweep('ended', {
    done: 1,
    left: (store, id) => [ended('diverged', 'loss is NaN at epoch 2'), ended('failed', 'out of memory'), ended('crashed', 'worker was killed by SIGKILL')].map((patch, i) => {
      runs.push(trialRunFolder(store, id, i + 1, patch));
      return { params: { 'train.lr': 0.01 * (i + 1) }, state: 'running', intermediate: { 1: [0.5] }, epochs: 1, runId: runs[i].record.id };
    }),
  });
  const again = scripted();
  const rec = await resumeSweep(s.id, opts(s.store, { launchTrial: again.launchTrial })).done;
  assert.deepEqual(again.launched, [3], 'only the crashed trial re-runs');
  assert.deepEqual(rec.trials.slice(1).map((t) => [t.state, t.message, t.runId, t.interrupted]), [
    ['failed', 'run diverged: loss is NaN at epoch 2', runs[0].record.id, undefined],
    ['failed', 'run failed: out of memory', runs[1].record.id, undefined],
    ['completed', undefined, '20200101-000000-000003', [runs[2].record.id]],
  ]);
  assert.deepEqual(rec.trials.slice(1, 3).map((t) => t.epochs), [2, 2]);
});

test('a trial whose worker cannot be spawned fails; the sweep goes on and ends completed', async () => {
  const store = join(dir, 'spawn');
  const ok = scripted();
  const rec = await startSweep(spec('spawn', { trials: 3, parallel: 1 }), opts(store, {
    launchTrial: (o) => {
      if (o.sweep.trial !== 1) return ok.launchTrial(o);
      o.onQueued('20200101-000000-000001');
      // As launchRun's `done` when spawn fails (EMFILE): the run is marked crashed, the promise rejects.
      return { runId: '20200101-000000-000001', done: Promise.reject(new Error('spawn EMFILE')), stop: () => undefined };
    },
  })).done;
  assert.equal(rec.status, 'completed');
  assert.deepEqual(rec.trials.map((t) => [t.state, t.message]), [
    ['completed', undefined], ['failed', 'could not start its run: spawn EMFILE'], ['completed', undefined],
  ]);
  assert.equal(existsSync(join(store, 'sweeps', rec.id, 'coordinator.lock')), false, 'the lock is released');
});

test('hone sweep stop on a sweep whose coordinator was killed says so and how to go on', async () => {
  let run!: StoredRun;
  const s = await killedSweep('stop-killed', {
    done: 1,
    left: (store, id) => {
      const heartbeat = new Date().toISOString();
      run = trialRunFolder(store, id, 1, { status: 'running', host: 'another-host', pid: 1, heartbeat, started: heartbeat });
      return [{ params: { 'train.lr': 0.01 }, state: 'running', intermediate: {}, epochs: 0, runId: run.record.id }];
    },
  });
  const pid = s.read().coordinator!.pid;
  assert.throws(() => requestSweepStop(s.store, s.id), {
    name: 'InputError',
    message: `sweep ${s.id} is not running: its coordinator (process ${pid} on ${hostname()}) was killed before the sweep ended. `
      + `\`hone sweep resume ${s.id} --store ${s.store}\` goes on with it (adopting the trial run still training), and \`hone sweep stop ${s.id} --store ${s.store}\` then stops it`,
  });
  assert.equal(existsSync(join(sweepDirOf(s.store, s.id), 'stop')), false, 'no stop file that no coordinator reads');
  writeRunRecord(run.dir, { ...run.record, status: 'completed', final: { val_accuracy: 0.5 } });
  const done = await resumeSweep(s.id, opts(s.store, { launchTrial: scripted().launchTrial })).done;
  assert.throws(() => requestSweepStop(s.store, s.id), { message: `sweep ${s.id} is not running (status completed)` });
  assert.equal(done.trials[1].state, 'completed');
});

test('resume dates a trial settled from its run by the run\'s end, so the history is in the order runs ended', async () => {
  const s = await killedSweep('dated', {
    done: 1,
    left: (store, id) => ['2020-01-02T00:00:00.000Z', '2020-01-01T00:00:00.000Z'].map((finished, i) => {
      const run = trialRunFolder(store, id, i + 1, { status: 'completed', epochsDone: 3, final: { val_accuracy: 0.5 }, finished });
      return { params: { 'train.lr': 0.01 * (i + 1) }, state: 'running', intermediate: {}, epochs: 0, runId: run.record.id };
    }),
  });
  const rec = await resumeSweep(s.id, opts(s.store, { launchTrial: scripted().launchTrial })).done;
  assert.deepEqual(rec.trials.slice(1).map((t) => t.finished), ['2020-01-02T00:00:00.000Z', '2020-01-01T00:00:00.000Z']);
  assert.deepEqual(sweepViewOf(rec, false).history.map((p) => p.number), [2, 1, 0]);
});

test('a sweep that stops tells of each trial it interrupts', async () => {
  const events: SweepEvent[] = [];
  const h = startSweep(spec('interrupted', { trials: 4, parallel: 2 }, 50), opts(join(dir, 'interrupted'), {
    launchTrial: scripted().launchTrial,
    onEvent: (e) => {
      events.push(e);
      if (e.type === 'trial-epoch' && e.epoch === 2) h.stop();
    },
  }));
  const rec = await h.done;
  assert.equal(rec.status, 'stopped');
  assert.deepEqual(events.flatMap((e) => (e.type === 'trial-interrupted' ? [e.trial.number] : [])).sort(), [0, 1]);
  assert.deepEqual(rec.trials.map((t) => t.state), ['running', 'running']);
});

test('resume records the epochs of a run that ended while no coordinator watched: its curve is whole', async () => {
  // Killed after the trial's first epoch; its worker trained on to the end, writing epochs 2 and 3 to metrics.jsonl.
  const s = await killedSweep('unwatched', {
    done: 1,
    left: (store, id) => {
      const run = trialRunFolder(store, id, 1, { status: 'completed', epochsDone: 3, final: { val_accuracy: 0.7 }, finished: new Date().toISOString() });
      [0.5, 0.6, 0.7].forEach((v, i) => appendMetric(run.dir, fakeMetric(i + 1, { val_accuracy: v })));
      return [{ params: { 'train.lr': 0.01 }, state: 'running', intermediate: { 1: [0.5] }, epochs: 1, runId: run.record.id }];
    },
  });
  const t = (await resumeSweep(s.id, opts(s.store, { launchTrial: scripted().launchTrial })).done).trials[1];
  assert.deepEqual([t.state, t.values, t.epochs], ['completed', [0.7], 3]);
  assert.deepEqual(t.intermediate, { 1: [0.5], 2: [0.6], 3: [0.7] });
});

test('a trial pruned after its run had finished is completed with every epoch its run trained', async () => {
  // ASHA's rung at epoch 1 prunes trial 1 (0.5 against trial 0's 0.9), but its run had already trained on
  // to the end before the stop arrived: it completes, and its epochs 2 and 3 (sent after the pruning) count.
  const store = join(dir, 'late-stop');
  const launchTrial = (o: LaunchTrial): TrialRun => {
    const run = trialRunFolder(o.storeDir, o.sweep.id, o.sweep.trial, { status: 'running' });
    o.onQueued(run.record.id);
    const values = o.sweep.trial === 0 ? [0.9, 0.9, 0.9] : [0.5, 0.6, 0.7];
    const done = (async (): Promise<RunRecord> => {
      for (const [i, v] of values.entries()) {
        await new Promise((r) => setTimeout(r, 5));
        const line = fakeMetric(i + 1, { val_accuracy: v });
        appendMetric(run.dir, line);
        o.onLine(line);
      }
      const end = { ...run.record, status: 'completed' as const, epochsDone: 3, final: { val_accuracy: values[2] }, finished: new Date().toISOString() };
      writeRunRecord(run.dir, end);
      return end;
    })();
    return { runId: run.record.id, done, stop: () => undefined };
  };
  const rec = await startSweep(spec('late-stop', { stopper: { type: 'asha', minEpochs: 1, eta: 2 }, parallel: 1 }), opts(store, { launchTrial })).done;
  const t = rec.trials[1];
  assert.deepEqual([t.state, t.values, t.epochs, t.pruned], ['completed', [0.7], 3, undefined]);
  assert.deepEqual(t.intermediate, { 1: [0.5], 2: [0.6], 3: [0.7] }, 'the curve holds every epoch of its run');
});

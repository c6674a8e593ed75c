// Starting, resuming and stopping sweeps in core/sweep with scripted trial runs (no workers): what a
// resume keeps (--parallel, the stopper's earlier decisions), how runs that ended while no coordinator
// watched are settled, a run that cannot start, and `hone sweep stop` on a sweep whose coordinator died.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { requestSweepStop, resumeSweep, startSweep, type SweepRecord, type SweepRunOptions, type SweepEvent } from '../../src/core/sweep';
import { appendMetric, createRun, readRunRecord, STOP_FILE, writeRunRecord, type RunRecord, type RunStatus } from '../../src/core/store';
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

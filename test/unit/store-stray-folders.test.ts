// A folder in runs/ or sweeps/ whose name cannot be an id (a copy a file manager made: "backup copy",
// "X - Copy") is not a run or a sweep: listings skip it, so the dashboard, `hone ls` and `hone sweep ls`
// still work. Before, runDirOf/sweepDirOf threw on it and every listing failed.
import { strict as assert } from 'node:assert';
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DashboardFeed } from '../../src/core/dashboard';
import { createRun, listRunIds, resolveRun, syncIndex } from '../../src/core/store';
import { listSweeps, newSweepDir, writeSweepRecord, type SweepRecord } from '../../src/core/sweep/record';
import { hone } from '../helpers/cli';
import { fakeRun } from '../helpers/store-fixtures';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';

const sweep = (id: string): SweepRecord => ({
  id, name: 'demo', created: '2024-01-01T00:00:00Z', baseDir: '/', raw: {}, epochs: 2, status: 'completed', elapsedMs: 10, trials: [],
  sweep: {
    parameters: { 'train.lr': { type: 'float', min: 0.001, max: 0.1, log: true } }, objectives: [{ metric: 'val_accuracy', direction: 'maximize' }],
    sampler: { type: 'random' }, stopper: { type: 'none' }, parallel: 1, seed: 1,
  },
});

describe('store: folders that are not runs or sweeps', () => {
  let store: string;
  let runId: string;
  let sweepId: string;
  before(() => {
    store = makeTmpDir();
    const run = createRun(store, fakeRun({ name: 'kept' }));
    runId = run.record.id;
    cpSync(run.dir, join(store, 'runs', 'backup copy'), { recursive: true });
    mkdirSync(join(store, 'runs', `${runId} - Copy`));
    const s = newSweepDir(store);
    sweepId = s.id;
    writeSweepRecord(s.dir, sweep(s.id));
    cpSync(s.dir, join(store, 'sweeps', 'backup copy'), { recursive: true });
  });
  after(() => removeTmpDir(store));

  it('listRunIds and listSweeps skip them', async () => {
    assert.deepEqual(listRunIds(store), [runId]);
    assert.deepEqual(listSweeps(store).map((s) => s.record.id), [sweepId]);
    assert.deepEqual((await syncIndex(store)).map((s) => s.id), [runId]);
    assert.equal(resolveRun(store, 'kept').id, runId);
  });

  it('the dashboard feed loads, from the index and read-only', async () => {
    for (const readOnly of [false, true]) {
      const init = await new DashboardFeed(store, { readOnly }).init();
      assert.deepEqual(init.runs.map((r) => r.id), [runId], `readOnly ${readOnly}`);
      assert.deepEqual(init.sweeps?.map((s) => s.id), [sweepId], `readOnly ${readOnly}`);
    }
  });

  it('hone ls and hone sweep ls list what is there', () => {
    const ls = hone(['ls', '--store', store]);
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(ls.stdout, /kept/);
    const sweeps = hone(['sweep', 'ls', '--store', store]);
    assert.equal(sweeps.code, 0, sweeps.stderr);
    assert.ok(sweeps.stdout.includes(sweepId), sweeps.stdout);
  });
});

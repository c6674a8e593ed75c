// A federated sweep in the Sweep view: its trials train in rounds, so the trials table's step column and
// the best-so-far charts' x axis say rounds, not epochs (a plain sweep keeps epochs: dashboard-sweep.test.ts).
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createRun, writeRunRecord } from '../../src/core/store';
import { newSweepDir, writeSweepRecord, type SweepRecord, type TrialRecord } from '../../src/core/sweep/record';
import { openFeedPanel, openTab, type Browser } from '../helpers/browser';
import { fakeRun } from '../helpers/store-fixtures';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';

describe('dashboard sweep view: a federated sweep', () => {
  let dir: string;
  let b: Browser;
  const view = () => b.page.locator('section.view[data-view="sweep"]');

  before(async () => {
    dir = makeTmpDir();
    const store = join(dir, 'store');
    const { id, dir: sweepDir } = newSweepDir(store);
    const trials = [0.01, 0.1].map((lr, n): TrialRecord => {
      const run = createRun(store, fakeRun({ name: `fed ${n}`, kind: 'federated', epochsPlanned: 3, sweep: { id, trial: n } }));
      writeRunRecord(run.dir, { ...run.record, status: 'completed', epochsDone: 3, final: { test_accuracy: 0.8 + n / 10 } });
      return { number: n, params: { 'train.lr': lr }, state: 'completed', values: [0.8 + n / 10], intermediate: { 1: [0.6], 3: [0.8 + n / 10] }, epochs: 3, runId: run.record.id };
    });
    const rec: SweepRecord = {
      id, name: 'fed-sweep', created: '2024-01-01T12:00:00Z', baseDir: store, raw: {}, epochs: 3, status: 'completed', elapsedMs: 1000, trials,
      sweep: {
        parameters: { 'train.lr': { type: 'float', min: 0.001, max: 0.3, log: true } }, objectives: [{ metric: 'test_accuracy', direction: 'maximize' }],
        sampler: { type: 'random' }, stopper: { type: 'none' }, trials: 2, parallel: 1, seed: 1,
      },
    };
    writeSweepRecord(sweepDir, rec);
    b = await openFeedPanel(dir, store);
    await openTab(b.page, 'sweep');
  });
  after(async () => {
    await b?.close();
    removeTmpDir(dir);
  });

  it('counts rounds in the trials table and on the best-so-far axis', async () => {
    const heads = await view().locator('table.trials thead th').allTextContents();
    assert.equal(heads.at(-1), 'rounds', heads.join(' | '));
    assert.equal(await view().locator('.chart-card canvas').getAttribute('aria-label'), 'best test_accuracy so far against cumulative rounds');
  });

  it('threw nothing and broke no CSP rule', () => {
    assert.deepEqual(b.problems, []);
  });
});

// Two sweeps of one objective each, on different metrics: the Sweep view's best-so-far chart is titled
// with the objective of the sweep shown, also after switching from the other one.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { newSweepDir, writeSweepRecord, type SweepRecord } from '../../src/core/sweep/record';
import { openFeedPanel, openTab, paintCount, waitPainted, type Browser } from '../helpers/browser';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';

function writeSweep(store: string, name: string, objective: SweepRecord['sweep']['objectives'][number], created: string): string {
  const { id, dir } = newSweepDir(store);
  writeSweepRecord(dir, {
    id, name, created, baseDir: store, raw: {}, epochs: 2, status: 'completed', elapsedMs: 1000,
    trials: [0.01, 0.1].map((lr, n) => ({ number: n, params: { 'train.lr': lr }, state: 'completed', values: [0.5 + n / 10], intermediate: { 2: [0.5 + n / 10] }, epochs: 2 })),
    sweep: {
      parameters: { 'train.lr': { type: 'float', min: 0.001, max: 0.3, log: true } }, objectives: [objective],
      sampler: { type: 'random' }, stopper: { type: 'none' }, trials: 2, parallel: 1, seed: 1,
    },
  });
  return id;
}

describe('dashboard sweep view: switching between sweeps', () => {
  let dir: string;
  let b: Browser;
  const ids: Record<string, string> = {};
  const view = () => b.page.locator('section.view[data-view="sweep"]');
  const titles = () => view().locator('.chart-card[data-objective]').evaluateAll((els) => els.map((e) => `${(e as HTMLElement).dataset.objective}: ${e.querySelector('h3')?.textContent}: ${e.querySelector('canvas')?.getAttribute('aria-label')}`));

  before(async () => {
    dir = makeTmpDir();
    const store = join(dir, 'store');
    ids.val_accuracy = writeSweep(store, 'by val_accuracy', { metric: 'val_accuracy', direction: 'maximize' }, '2024-01-01T12:00:00Z');
    ids.val_loss = writeSweep(store, 'by val_loss', { metric: 'val_loss', direction: 'minimize' }, '2024-01-02T12:00:00Z');
    b = await openFeedPanel(dir, store);
    await openTab(b.page, 'sweep');
  });
  after(async () => {
    await b?.close();
    removeTmpDir(dir);
  });

  it('titles the best-so-far chart with the objective of the sweep shown', async () => {
    const first = (await view().locator('h2').textContent())?.match(/by (\w+)/)?.[1] ?? '';
    const other = first === 'val_loss' ? 'val_accuracy' : 'val_loss';
    assert.deepEqual(await titles(), [`${first}: ${first}: best ${first} so far against cumulative epochs`]);
    const n = await paintCount(b.page);
    await view().locator('vscode-dropdown').click();
    await b.page.locator('vscode-option', { hasText: ids[other] }).click();
    await waitPainted(b.page, 'sweep', n);
    await view().locator('h2', { hasText: `by ${other}` }).waitFor();
    assert.deepEqual(await titles(), [`${other}: ${other}: best ${other} so far against cumulative epochs`]);
  });

  it('threw nothing and broke no CSP rule', () => {
    assert.deepEqual(b.problems, []);
  });
});

// A star marks a value the eye can tell from the rest (headless Chromium, the page hosted on a real feed):
// two runs whose val_accuracy differ past the 4th significant digit (0.938712 and 0.938741) print alike at
// the usual precision, so the Runs table's column, Compare's Metrics row and Run detail's row beside the
// parent show as many more digits as tell the starred value from the others. A row whose values differ
// early keeps the usual precision (Run detail's val_loss). A run on other data ranks with none of them.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunKind } from '../../src/core/store/types';
import { openFeedPanel, openTab, paintCount, waitPainted, type Browser } from '../helpers/browser';
import { digitsSpec } from '../helpers/cli';
import { finishedRun } from '../helpers/store-fixtures';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';

const addRun = (store: string, name: string, kind: RunKind, final: Record<string, number>, parent?: string, spec: object = digitsSpec('close')) =>
  finishedRun(store, { name, experiment: 'close', kind, final, spec, parent });

describe('dashboard: values that print alike at 4 digits', () => {
  let dir: string;
  let b: Browser;
  const ids: Record<string, string> = {};

  before(async () => {
    dir = makeTmpDir();
    const store = join(dir, 'store');
    ids.a = addRun(store, 'a', 'train', { val_accuracy: 0.938712, val_loss: 0.31 });
    ids.b = addRun(store, 'b', 'train', { val_accuracy: 0.5, val_loss: 0.52 });
    ids.c = addRun(store, 'c', 'compress', { val_accuracy: 0.938741, val_loss: 0.29 }, ids.a);
    // Another data set altogether: its loss does not rank against the digits runs'.
    ids.r = addRun(store, 'r', 'train', { val_loss: 0.1, tfjs_bytes: 900 }, undefined, { ...digitsSpec('close'), data: { source: 'regression', samples: 200, features: 2, split: { train: 0.6, val: 0.2, test: 0.2 }, normalize: 'standard' } });
    b = await openFeedPanel(dir, store, { view: 'runs' });
  });
  after(async () => {
    await b?.close();
    removeTmpDir(dir);
  });

  /** The Runs table's cells of column `key`, by run name: [text, starred]. */
  async function column(key: string): Promise<Record<string, [string, boolean]>> {
    return b.page.evaluate((key) => {
      const keys = Array.from(document.querySelectorAll<HTMLElement>('section[data-view="runs"] .vt-labels .vt-label')).map((e) => e.dataset.key);
      const [at, name] = [keys.indexOf(key) + 1, keys.indexOf('name') + 1];
      const rows = Array.from(document.querySelectorAll<HTMLElement>('section[data-view="runs"] .vt-row[data-id]'));
      return Object.fromEntries(rows.map((r) => [r.children[name].textContent!.trim(), [r.children[at].textContent!, r.children[at].classList.contains('best')]]));
    }, key);
  }

  it('Runs table: a column whose best prints like another gets a digit more, in every cell', async () => {
    await waitPainted(b.page, 'runs');
    assert.deepEqual(await column('final:val_accuracy'), { a: ['0.93871', false], b: ['0.50000', false], c: ['0.93874', true], r: ['', false] });
  });

  it('Compare: the Metrics row shows the digits that tell the starred run from the other', async () => {
    for (const id of [ids.a, ids.c]) await b.page.locator(`.vt-row[data-id="${id}"]`).click();
    const n = await paintCount(b.page);
    await b.page.locator('vscode-button', { hasText: 'Compare 2' }).click();
    await waitPainted(b.page, 'compare', n);
    const cells = await b.page.locator('section[data-view="compare"] table.metrics tr[data-metric="val_accuracy"] td')
      .evaluateAll((els) => els.map((e) => [e.textContent, e.classList.contains('best')]));
    assert.deepEqual(cells, [['0.93871', false], ['0.93874 \u2605', true]]);
  });

  it('Run detail: beside its parent, the compressed run\'s accuracy is starred with the digits that show why', async () => {
    await openTab(b.page, 'runs');
    const n = await paintCount(b.page);
    await b.page.locator(`.vt-row[data-id="${ids.c}"]`).dblclick();
    await waitPainted(b.page, 'detail', n);
    const row = (metric: string) => b.page.locator(`section[data-view="detail"] table.beside tr[data-metric="${metric}"] td`)
      .evaluateAll((els) => els.map((e) => [e.textContent, e.classList.contains('best')]));
    assert.deepEqual(await row('val_accuracy'), [['93.874% \u2605', true], ['93.871%', false]], '93.9% and 93.9% at the usual one decimal');
    assert.deepEqual(await row('val_loss'), [['0.29 \u2605', true], ['0.31', false]]);
  });

  it('Compare: a loss measured on other data is not starred, and a note says why', async () => {
    await openTab(b.page, 'runs');
    for (const id of await b.page.locator('.vt-row.selected').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.id!))) await b.page.locator(`.vt-row[data-id="${id}"]`).click();
    for (const id of [ids.a, ids.r]) await b.page.locator(`.vt-row[data-id="${id}"]`).click();
    const n = await paintCount(b.page);
    await b.page.locator('vscode-button', { hasText: 'Compare 2' }).click();
    await waitPainted(b.page, 'compare', n);
    const row = (table: string, metric: string) => b.page.locator(`section[data-view="compare"] table.${table} tr[data-metric="${metric}"]`);
    assert.equal(await row('metrics', 'val_loss').locator('th').textContent(), 'val_loss \u2020');
    assert.deepEqual(await row('metrics', 'val_loss').locator('td').evaluateAll((els) => els.map((e) => [e.textContent, e.classList.contains('best')])), [['0.3100', false], ['0.1000', false]]);
    assert.match(await b.page.locator('section[data-view="compare"] .apart-note').first().textContent() ?? '', /not starred: the runs measured it on different data/);
  });
});

// Run detail's annotations in the page hosted on a real feed: a note being typed is kept while the user
// stars the run, adds a tag and looks at another run; it reaches meta.json only when saved.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { appendMetric, createRun } from '../../src/core/store';
import { openFeedPanel, paintCount, waitPainted, type Browser } from '../helpers/browser';
import { waitFor } from '../helpers/cli';
import { fakeMetric, fakeRun } from '../helpers/store-fixtures';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';

describe('dashboard webview: run detail annotations', () => {
  let dir: string;
  let b: Browser;
  const runs: { id: string; dir: string }[] = [];
  const fromPage: unknown[] = [];

  before(async () => {
    dir = makeTmpDir();
    const store = join(dir, 'store');
    for (const name of ['noted', 'other']) {
      const r = createRun(store, fakeRun({ name }));
      for (let e = 1; e <= 3; e++) appendMetric(r.dir, fakeMetric(e, { loss: 1 / e }));
      runs.push({ id: r.record.id, dir: r.dir });
    }
    b = await openFeedPanel(dir, store, { log: fromPage, view: 'runs' });
  });
  after(async () => {
    await b?.close();
    removeTmpDir(dir);
  });

  const detail = () => b.page.locator('section[data-view="detail"]');
  const note = () => detail().locator('textarea.note');
  const meta = (i: number) => JSON.parse(readFileSync(join(runs[i].dir, 'meta.json'), 'utf8')) as { starred?: boolean; tags?: string[]; note?: string };
  async function openDetail(i: number): Promise<void> {
    await b.page.locator('.tab[data-view="runs"]').click();
    const n = await paintCount(b.page);
    await b.page.locator(`.vt-row[data-id="${runs[i].id}"]`).dblclick();
    await waitPainted(b.page, 'detail', n);
    await detail().locator('h2', { hasText: i ? 'other' : 'noted' }).waitFor();
  }

  it('keeps a note being typed when Star is clicked and when a tag is added', async () => {
    await openDetail(0);
    await note().fill('half a thought');
    await detail().locator('vscode-button.star-button').click();
    await detail().locator('vscode-button.star-button', { hasText: 'Starred' }).waitFor({ timeout: 10_000 });
    assert.equal(meta(0).starred, true);
    assert.equal(await note().inputValue(), 'half a thought');
    await detail().locator('input.tag-input').fill('keep');
    await detail().locator('input.tag-input').press('Enter');
    await detail().locator('.tag[data-tag="keep"]').waitFor({ timeout: 10_000 });
    assert.equal(await note().inputValue(), 'half a thought');
    assert.equal(meta(0).note, undefined, 'not saved before Save Note');
  });

  it('keeps the unsaved note of a run while another run is shown', async () => {
    await openDetail(1);
    assert.equal(await note().inputValue(), '');
    await openDetail(0);
    assert.equal(await note().inputValue(), 'half a thought');
  });

  it('saves the note, which then stays in the field', async () => {
    await note().fill('half a thought, finished  ');
    await detail().locator('vscode-button', { hasText: 'Save Note' }).click();
    await waitFor(() => meta(0).note === 'half a thought, finished' || undefined, 10_000, 'the note in meta.json');
    await detail().locator('vscode-button.star-button').click();
    await waitFor(() => !meta(0).starred || undefined, 10_000, 'the star gone from meta.json');
    await b.page.waitForFunction(() => document.querySelector('section[data-view="detail"] .star-button')?.textContent === '☆ Star');
    assert.equal((await note().inputValue()).trim(), 'half a thought, finished');
    assert.deepEqual(meta(0).tags, ['keep']);
  });

  it('threw nothing and sent only valid messages', () => {
    assert.deepEqual(b.problems, []);
    assert.deepEqual(fromPage.filter((m) => (m as { error?: string }).error), []);
  });
});

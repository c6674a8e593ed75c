// The Curves view in the page hosted on a real feed: a run watched again after a while draws its points
// of now, not the ones a hidden view cached before; a long run's smoothed curve is drawn from the means
// of the host's buckets, one point per bucket; a federated run's step axis counts rounds; a theme switch
// recolours the charts.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { appendMetric, createRun } from '../../src/core/store';
import { openFeedPanel, paintCount, waitPainted, type Browser } from '../helpers/browser';
import { waitFor } from '../helpers/cli';
import { fakeMetric, fakeRun } from '../helpers/store-fixtures';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';

describe('dashboard webview: curves', () => {
  let dir: string;
  let b: Browser;
  const runs: { id: string; dir: string }[] = [];
  const fromPage: unknown[] = [];
  const lastWatch = () => (fromPage.filter((m) => (m as { type: string }).type === 'watch').at(-1) as { runIds: string[] } | undefined)?.runIds;

  before(async () => {
    dir = makeTmpDir();
    const store = join(dir, 'store');
    for (const name of ['first', 'second']) {
      const r = createRun(store, fakeRun({ name }));
      for (let e = 1; e <= 3; e++) appendMetric(r.dir, fakeMetric(e, { loss: 1 / e }));
      runs.push({ id: r.record.id, dir: r.dir });
    }
    const long = createRun(store, fakeRun({ name: 'long', epochsPlanned: 4000 }));
    for (let e = 1; e <= 4000; e++) appendMetric(long.dir, fakeMetric(e, { loss: 1 / e }));
    runs.push({ id: long.record.id, dir: long.dir });
    const fed = createRun(store, fakeRun({ name: 'federated', kind: 'federated' }));
    for (let e = 1; e <= 3; e++) appendMetric(fed.dir, { ...fakeMetric(e, { loss: 1 / e }), step: e });
    runs.push({ id: fed.record.id, dir: fed.dir });
    b = await openFeedPanel(dir, store, { log: fromPage, view: 'runs' });
  });
  after(async () => {
    await b?.close();
    removeTmpDir(dir);
  });

  async function tab(view: string): Promise<void> {
    const n = await paintCount(b.page);
    await b.page.locator(`.tab[data-view="${view}"]`).click();
    await waitPainted(b.page, view, n, 15_000, true);
  }
  const card = (metric: string) => b.page.locator(`section[data-view="curves"] .chart-card[data-metric="${metric}"]`);

  it('draws the new points of a run that was unwatched and is watched again', async () => {
    const row = (i: number) => b.page.locator(`.vt-row[data-id="${runs[i].id}"]`);
    await row(0).click();
    await tab('curves');
    assert.equal(await card('loss').getAttribute('data-points'), '3');
    // Only the second run stays watched (the detail shows the clicked row): the first one's series is dropped.
    await tab('runs');
    await row(1).click();
    await b.page.locator('vscode-button', { hasText: 'Clear selection' }).click();
    await waitFor(() => lastWatch()?.join() === runs[1].id || undefined, 10_000, 'the first run unwatched');
    for (let e = 4; e <= 7; e++) appendMetric(runs[0].dir, fakeMetric(e, { loss: 1 / e }));
    await row(0).click();
    await tab('curves');
    assert.equal(await card('loss').getAttribute('data-points'), '7');
  });

  it('smooths a downsampled run from its buckets: one point for each', async () => {
    await tab('runs');
    await b.page.locator('vscode-button', { hasText: 'Clear selection' }).click();
    await b.page.locator(`.vt-row[data-id="${runs[2].id}"]`).click();
    await tab('curves');
    // 4,000 lines in buckets of 8 (at most 1,500 points, 3 a bucket): 500 buckets, each drawn with its
    // first point (the maximum of a falling loss) and its last (the minimum).
    assert.equal(await card('loss').getAttribute('data-points'), '1000');
    const n = await paintCount(b.page);
    await b.page.locator('section[data-view="curves"] input[aria-label="smoothing"]').evaluate((el) => {
      (el as HTMLInputElement).value = '0.9';
      el.dispatchEvent(new Event('input'));
    });
    await waitPainted(b.page, 'curves', n);
    assert.equal(await card('loss').getAttribute('data-points'), '500');
  });

  it('titles the step axis round for a federated run, step / round beside a trained one', async () => {
    const axisOf = async () => [await card('loss').getAttribute('data-x'), (await b.page.locator('section[data-view="curves"] vscode-option[value="step"]').textContent())?.trim()];
    await tab('runs');
    await b.page.locator('vscode-button', { hasText: 'Clear selection' }).click();
    await b.page.locator(`.vt-row[data-id="${runs[3].id}"]`).click();
    await tab('curves');
    const n = await paintCount(b.page);
    await b.page.locator('section[data-view="curves"] vscode-dropdown').click();
    await b.page.locator('section[data-view="curves"] vscode-option[value="step"]').click();
    await waitPainted(b.page, 'curves', n);
    assert.deepEqual(await axisOf(), ['round', 'x: round']);
    await tab('runs');
    await b.page.locator(`.vt-row[data-id="${runs[0].id}"]`).click();
    await tab('curves');
    assert.deepEqual(await axisOf(), ['step / round', 'x: step / round']);
  });

  it('recolours its charts when VS Code switches theme (body class and CSS variables), the hidden view\'s too', async () => {
    const grid = () => card('loss').locator('canvas').getAttribute('data-grid');
    const before = await grid();
    assert.ok(before, 'the chart says its grid colour');
    await tab('runs');
    // As VS Code does on a theme switch: new variables, then new body classes.
    await b.page.evaluate(() => {
      document.body.style.setProperty('--vscode-editorWidget-border', '#c8c8c8');
      document.body.className = `${document.body.className} hone-test-theme`.trim();
    });
    await b.page.waitForFunction(() => document.querySelector('section[data-view="curves"] .chart-card[data-metric="loss"] canvas')?.getAttribute('data-grid') === '#c8c8c8', null, { timeout: 5_000 });
    assert.notEqual(before, '#c8c8c8');
  });

  it('threw nothing', () => {
    assert.deepEqual(b.problems, []);
  });
});

// The exported dashboard (`hone dashboard --out`) in headless Chromium, on a store made by two real
// `hone run`s plus 40 runs written with the store API: every run is listed and sorts; selecting the two
// real runs opens Compare with the changed hyperparameter highlighted; curves are drawn; the UI state
// survives a reload; nothing breaks the CSP or leaves the machine. A screenshot of each view is written.
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { appendMetric, createRun, listRunIds, writeRunRecord } from '../../src/core/store';
import { ROW_HEIGHT } from '../../webview/lib/virtual-table';
import { openBrowser, paintCount, pixelsOfColour, SCREENSHOTS, waitPainted, type Browser } from '../helpers/browser';
import { digitsSpec, hone, writeSpec } from '../helpers/cli';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';

/** 40 finished runs of another experiment, varying lr, with 30 epochs of metrics each. */
function syntheticRuns(store: string): void {
  for (let i = 0; i < 40; i++) {
    const lr = [0.1, 0.03, 0.01, 0.003][i % 4];
    const spec = { ...digitsSpec('synthetic'), train: { ...digitsSpec('x').train, lr, epochs: 30 } };
    const { record, dir } = createRun(store, { name: `synthetic ${i}`, experiment: 'synthetic', spec: spec as never, overrides: [`train.lr=${lr}`], seed: i, versions: {}, epochsPlanned: 30 });
    for (let e = 1; e <= 30; e++) appendMetric(dir, { epoch: e, step: e * 17, time: e * 0.2, lr, tensors: 10, metrics: { loss: 2 / (e * lr * 10 + 1), val_accuracy: 1 - 0.5 / (e * lr * 10 + 1) + i * 1e-4 } });
    const finalAcc = 1 - 0.5 / (300 * lr + 1) + i * 1e-4;
    writeRunRecord(dir, { ...record, status: 'completed', epochsDone: 30, finished: new Date().toISOString(), final: { val_accuracy: finalAcc }, best: { val_accuracy: finalAcc } });
  }
}

describe('dashboard export in Chromium', () => {
  let dir: string;
  let store: string;
  let b: Browser;
  let url: string;
  const rows = () => b.page.locator('.vt-body .vt-row');
  /** Waits for a redraw of the table that shows `count` (its "n of 42 runs" line is set with its rows). */
  const counted = (count: RegExp) => b.page.locator('section[data-view="runs"] .count', { hasText: count }).waitFor({ timeout: 30_000 });
  /** Waits for column `key`'s label to be drawn (`attached`) or removed (`detached`) by a redraw. */
  const column = (key: string, state: 'attached' | 'detached') => b.page.locator(`.vt-label[data-key="${key}"]`).waitFor({ state, timeout: 30_000 });
  /** Waits for a redraw sorted by `key` in that direction (the label's arrow is drawn with the rows). */
  const sorted = (key: string, dir: 'ascending' | 'descending') => b.page.locator(`.vt-label[data-key="${key}"][aria-sort="${dir}"]`).waitFor({ timeout: 30_000 });
  /**
   * Waits until the table has drawn every row within its scrolled viewport: it draws them in the frame
   * after a scroll, which a loaded machine may give later than any fixed sleep.
   */
  const rowsInView = () => b.page.waitForFunction((rowHeight) => {
    const vt = document.querySelector<HTMLElement>('.vt')!;
    const body = vt.querySelector<HTMLElement>('.vt-body')!;
    const offset = vt.getBoundingClientRect().top - body.getBoundingClientRect().top;
    const first = Math.max(0, Math.floor(offset / rowHeight));
    const last = Math.min(body.offsetHeight / rowHeight, Math.ceil((offset + vt.clientHeight) / rowHeight));
    const drawn = new Set(Array.from(body.querySelectorAll<HTMLElement>('.vt-row'), (r) => r.style.top));
    for (let i = first; i < last; i++) if (!drawn.has(`${i * rowHeight}px`)) return false;
    return true;
  }, ROW_HEIGHT, { timeout: 30_000 });

  before(async () => {
    dir = makeTmpDir();
    store = join(dir, 'store');
    const specs = [writeSpec(dir, 'dash-plain', digitsSpec('dash-plain')), writeSpec(dir, 'dash-l2', digitsSpec('dash-l2', { l2: 0.001 }))];
    const run = hone(['run', ...specs, '--parallel', '2', '--store', store]);
    assert.equal(run.code, 0, run.stderr);
    syntheticRuns(store);
    const out = join(dir, 'dashboard.html');
    const exported = hone(['dashboard', '--store', store, '--out', out]);
    assert.equal(exported.code, 0, exported.stderr);
    assert.match(exported.stdout, /42 runs/);
    url = `file://${out}`;
    b = await openBrowser();
    await b.page.goto(url);
    await waitPainted(b.page, 'runs');
  });
  after(async () => {
    await b?.close();
    removeTmpDir(dir);
  });

  it('lists every run of the store', async () => {
    const seen = new Set<string>();
    // The table is virtualized: scroll through it and collect the rows.
    for (let top = 0; ; top += 300) {
      await b.page.locator('.vt').evaluate((el, t) => (el.scrollTop = t), top);
      await rowsInView();
      for (const id of await rows().evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.id!))) seen.add(id);
      if (await b.page.locator('.vt').evaluate((el) => el.scrollTop + el.clientHeight >= el.scrollHeight - 1)) break;
    }
    assert.deepEqual([...seen].sort(), listRunIds(store).sort());
    assert.match(await b.page.locator('.count').textContent() ?? '', /^42 of 42 runs/);
    await b.page.locator('.vt').evaluate((el) => (el.scrollTop = 0));
    await b.page.screenshot({ path: join(SCREENSHOTS, 'dashboard-runs.png') });
  });

  it('sorts by name and by a metric, both ways', async () => {
    const names = async () => rows().evaluateAll((els) => els.map((e) => e.querySelectorAll('.vt-cell')[1].textContent!));
    await b.page.locator('.vt-label[data-key="name"]').click();
    await sorted('name', 'ascending');
    const asc = await names();
    assert.deepEqual(asc, [...asc].sort((x, y) => x.localeCompare(y, undefined, { numeric: true })));
    assert.deepEqual(asc.slice(0, 3), ['dash-l2', 'dash-plain', 'synthetic 0']);
    await b.page.locator('.vt-label[data-key="name"]').click();
    await sorted('name', 'descending');
    assert.deepEqual((await names()).slice(0, 2), ['synthetic 39', 'synthetic 38']);
    await b.page.locator('.vt-label[data-key="final:val_accuracy"]').click();
    await sorted('final:val_accuracy', 'ascending');
    const col = await b.page.locator('.vt-label').evaluateAll((els) => els.findIndex((e) => (e as HTMLElement).dataset.key === 'final:val_accuracy'));
    const accs = await rows().evaluateAll((els, c) => els.map((e) => Number(e.querySelectorAll('.vt-cell')[c + 1].textContent)), col);
    assert.ok(accs.length >= 20);
    assert.deepEqual(accs, [...accs].sort((x, y) => x - y), 'ascending numerically');
  });

  it('filters by a column, and hides and shows a column from the chooser', async () => {
    const lr = b.page.locator('.vt-filter[data-key="param:train.lr"]');
    await lr.fill('>=0.03');
    await counted(/^20 of 42 runs/);
    assert.match(await b.page.locator('.count').textContent() ?? '', /^20 of 42 runs/);
    const lrs = await rows().evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
    assert.equal(lrs.length, 20);
    await lr.fill('');
    // The first screen: name, status, what was tried, the headline metric; the backend is one click away.
    assert.equal(await b.page.locator('.vt-label[data-key="backend"]').count(), 0, 'backend not shown by default');
    await b.page.locator('vscode-button', { hasText: 'Columns' }).click();
    await b.page.locator('.popover vscode-checkbox[data-key="backend"]').click();
    await column('backend', 'attached');
    assert.equal(await b.page.locator('.vt-label[data-key="backend"]').count(), 1, 'backend shown');
    await b.page.locator('.popover vscode-checkbox[data-key="backend"]').click();
    await column('backend', 'detached');
    assert.equal(await b.page.locator('.vt-label[data-key="backend"]').count(), 0, 'backend hidden again');
    await b.page.locator('.popover vscode-checkbox[data-key="status"]').click();
    await column('status', 'detached');
    assert.equal(await b.page.locator('.vt-label[data-key="status"]').count(), 0, 'a default column can be hidden');
    await b.page.locator('.popover vscode-checkbox[data-key="status"]').click();
    await column('status', 'attached');
    await b.page.locator('vscode-button', { hasText: 'Columns' }).click();
    assert.equal(await b.page.locator('.popover').count(), 0);
    assert.match(await b.page.locator('.count').textContent() ?? '', /^42 of 42 runs/);
  });

  it('compares two selected runs, highlighting the changed hyperparameter and the best metrics', async () => {
    await b.page.locator('vscode-text-field input').fill('dash-');
    await counted(/^2 of 42 runs/);
    assert.equal(await rows().count(), 2);
    await rows().nth(0).click();
    await rows().nth(1).click();
    const before = await paintCount(b.page);
    await b.page.locator('vscode-button', { hasText: 'Compare 2' }).click();
    await waitPainted(b.page, 'compare', before);
    const view = b.page.locator('section[data-view="compare"]');
    const changed = await view.locator('table.diff tbody tr.changed').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.path));
    assert.deepEqual(changed.filter((p) => p !== 'name'), ['train.l2'], 'only the field that differs (and the spec name)');
    const l2 = view.locator('table.diff tr[data-path="train.l2"] td');
    assert.deepEqual((await l2.evaluateAll((els) => els.map((e) => e.className))).sort(), ['', 'diff']);
    assert.deepEqual((await l2.allTextContents()).sort(), ['0', '0.001']);
    // Rows where both runs have a value, and not the same one, get one best (a metric of one run only has none,
    // and of two runs that tie neither is the better: the same model size); those must include the shared ones.
    const compared: string[] = [];
    for (const row of await view.locator('table.metrics tbody tr').all()) {
      const cells = (await row.locator('td').allTextContents()).map((c) => c.replace(' \u2605', '').trim()).filter(Boolean);
      const metric = (await row.getAttribute('data-metric'))!;
      assert.equal(await row.locator('td.best').count(), cells.length === 2 && cells[0] !== cells[1] ? 1 : 0, `best marks in ${metric}: ${cells}`);
      if (cells.length === 2) compared.push(metric);
    }
    for (const m of ['loss', 'val_loss', 'val_accuracy', 'best val_accuracy']) assert.ok(compared.includes(m), `${m} compared: ${compared}`);
    const card = view.locator('.chart-card[data-metric="val_accuracy"]');
    assert.equal(await card.getAttribute('data-runs'), '2');
    assert.equal(await card.getAttribute('data-points'), '6', '3 epochs x 2 runs');
    assert.ok(await pixelsOfColour(b.page, 'section[data-view="compare"] .chart-card[data-metric="val_accuracy"] canvas', '#4269d0') > 30, 'the first run is drawn in its colour');
    await b.page.setViewportSize({ width: 1400, height: 1300 });
    await b.page.screenshot({ path: join(SCREENSHOTS, 'dashboard-compare.png') });
    await b.page.setViewportSize({ width: 1400, height: 900 });
  });

  it('draws the selected runs in Curves, and keeps the view and selection over a reload', async () => {
    let n = await paintCount(b.page);
    await b.page.locator('.tab[data-view="curves"]').click();
    await waitPainted(b.page, 'curves', n);
    const cards = b.page.locator('section[data-view="curves"] .chart-card');
    assert.deepEqual(await cards.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.metric)), ['loss', 'val_loss', 'accuracy', 'val_accuracy', 'penalty', 'lr']);
    assert.ok(await pixelsOfColour(b.page, 'section[data-view="curves"] .chart-card[data-metric="loss"] canvas', '#efb118') > 30, 'the second run is drawn in its colour');
    await b.page.screenshot({ path: join(SCREENSHOTS, 'dashboard-curves.png') });
    await b.page.reload();
    await waitPainted(b.page, 'curves');
    assert.equal(await b.page.locator('.tab.active').getAttribute('data-view'), 'curves');
    assert.equal(await b.page.locator('section[data-view="curves"] .legend-item').count(), 2);
    n = await paintCount(b.page);
    await b.page.locator('.tab[data-view="runs"]').click();
    await waitPainted(b.page, 'runs', n);
    assert.equal(await b.page.locator('vscode-text-field input').inputValue(), 'dash-', 'the filter survived');
    assert.equal(await b.page.locator('.vt-body .vt-row.selected').count(), 2, 'the selection survived');
  });

  it('shows a run in detail: model summary, files, log tail, spec', async () => {
    const n = await paintCount(b.page);
    await rows().filter({ hasText: 'dash-l2' }).dblclick();
    await waitPainted(b.page, 'detail', n);
    const view = b.page.locator('section[data-view="detail"]');
    await view.locator('table.files').waitFor();
    assert.match(await view.locator('h2').first().textContent() ?? '', /dash-l2/);
    assert.deepEqual(await view.locator('table.layers tbody td:first-child').allTextContents(), ['InputLayer', 'Flatten', 'Dense', 'Dense', 'Activation']);
    const paths = await view.locator('table.files td.path').allTextContents();
    assert.ok(paths.some((p) => p.startsWith(join(store, 'runs')) && p.endsWith('model')), paths.join('\n'));
    assert.match(await view.locator('pre.log').textContent() ?? '', /completed/);
    assert.match(await view.locator('pre.code').first().textContent() ?? '', /"l2": 0.001/);
    await b.page.setViewportSize({ width: 1400, height: 1800 });
    await b.page.screenshot({ path: join(SCREENSHOTS, 'dashboard-detail.png') });
    await b.page.setViewportSize({ width: 1400, height: 900 });
  });

  it('writes <store>/dashboard.html by default, and says so when there is no store', () => {
    const r = hone(['dashboard', '--store', store]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.startsWith(`${join(store, 'dashboard.html')}  (42 runs, `), r.stdout);
    assert.ok(existsSync(join(store, 'dashboard.html')));
    const missing = hone(['dashboard', '--store', join(dir, 'nowhere')]);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, `hone: no store at ${join(dir, 'nowhere')}\n`);
  });

  it('broke no CSP rule, threw nothing and requested nothing remote', () => {
    assert.deepEqual(b.problems, []);
  });
});

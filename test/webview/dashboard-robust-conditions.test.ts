// Robust accuracies measured under different evaluations in the dashboard (headless Chromium, the page hosted
// on a real feed): a trained model attacked with headline eps 0.05 (twice) and 0.1. Compare stars no run
// across the two evaluations (the row marked †, each cell naming its eps, a note), and stars as before across
// runs evaluated alike (the row naming the shared eps); the Trade-offs view lists the two evaluations and
// draws no front while robust_accuracy is an objective, as `hone compare` refuses to rank them; the Runs table
// marks the column † and stars none of its cells unless the rows shown were evaluated alike.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { formatMetric } from '../../src/core/dashboard/present';
import type { RunKind } from '../../src/core/store/types';
import { openFeedPanel, openTab, paintCount, waitPainted, type Browser } from '../helpers/browser';
import { digitsSpec } from '../helpers/cli';
import { finishedRun } from '../helpers/store-fixtures';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';

const evaluation = (eps: number[]) => ({ evaluate: { eps, norm: 'linf', attacks: [{ attack: 'apgd-ce', steps: 10, restarts: 1 }], points: 100, batch: 100, checks: true } });

const addRun = (store: string, name: string, kind: RunKind, final: Record<string, number>, spec: object, parent?: string) =>
  finishedRun(store, { name, experiment: 'net', kind, final, spec, parent });

describe('dashboard: robust accuracy under different evaluations', () => {
  let dir: string;
  let b: Browser;
  const ids: Record<string, string> = {};

  before(async () => {
    dir = makeTmpDir();
    const store = join(dir, 'store');
    ids.net = addRun(store, 'net', 'train', { test_accuracy: 0.95, tfjs_bytes: 40_000 }, digitsSpec('net'));
    const attack = (name: string, eps: number[], robust: number) =>
      (ids[name] = addRun(store, name, 'evaluate', { robust_accuracy: robust, clean_accuracy: 0.95, red_flags: 0, tfjs_bytes: 40_000 }, { ...digitsSpec('net'), robustness: evaluation(eps) }, ids.net));
    attack('at 0.05', [0.05, 0.1], 0.6);
    attack('at 0.05 again', [0.05, 0.1], 0.55);
    attack('at 0.1', [0.1], 0.4);
    b = await openFeedPanel(dir, store, { view: 'runs' });
  });
  after(async () => {
    await b?.close();
    removeTmpDir(dir);
  });

  const compareView = () => b.page.locator('section[data-view="compare"]');
  async function compare(names: string[]): Promise<void> {
    await openTab(b.page, 'runs');
    for (const id of await b.page.locator('.vt-row.selected').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.id!))) await b.page.locator(`.vt-row[data-id="${id}"]`).click();
    for (const n of names) await b.page.locator(`.vt-row[data-id="${ids[n]}"]`).click();
    const n = await paintCount(b.page);
    await b.page.locator('vscode-button', { hasText: `Compare ${names.length}` }).click();
    await waitPainted(b.page, 'compare', n);
  }
  const row = (table: string, metric: string) => compareView().locator(`table.${table} tr[data-metric="${metric}"]`);

  /** The runs table's robust_accuracy column: its label and each shown row's [name, cell text, starred]. */
  async function robustColumn(): Promise<{ label: string; cells: [string, string, boolean][] }> {
    return b.page.evaluate(() => {
      const keys = Array.from(document.querySelectorAll<HTMLElement>('section[data-view="runs"] .vt-labels .vt-label')).map((e) => e.dataset.key);
      const at = keys.indexOf('final:robust_accuracy') + 1;
      const label = document.querySelector('section[data-view="runs"] .vt-label[data-key="final:robust_accuracy"] span')!.textContent!;
      const name = keys.indexOf('name') + 1;
      const rows = Array.from(document.querySelectorAll<HTMLElement>('section[data-view="runs"] .vt-row[data-id]'));
      const cells = rows.map((r): [string, string, boolean] => [r.children[name].textContent!, r.children[at].textContent!, r.children[at].classList.contains('best')]);
      return { label, cells };
    });
  }

  it('Runs table: robust_accuracy over two evaluations is marked \u2020 and starred nowhere; the rows of one evaluation are starred', async () => {
    await waitPainted(b.page, 'runs');
    const mixed = await robustColumn();
    assert.equal(mixed.label, 'robust_accuracy \u2020');
    assert.deepEqual(mixed.cells.filter(([, text]) => text !== '').map(([, , best]) => best), [false, false, false], 'no star across eps 0.05 and 0.1');
    const n = await paintCount(b.page);
    const filter = b.page.locator('section[data-view="runs"] vscode-text-field input');
    await filter.fill('0.05');
    await waitPainted(b.page, 'runs', n);
    const alike = await robustColumn();
    assert.deepEqual(Object.fromEntries(alike.cells.map(([name, , best]) => [name, best])), { 'at 0.05': true, 'at 0.05 again': false }, 'starred among runs evaluated alike');
    const m = await paintCount(b.page);
    await filter.fill('');
    await waitPainted(b.page, 'runs', m);
  });

  it('Compare: headline eps 0.05 against 0.1 is marked \u2020, starred nowhere, each cell naming its eps', async () => {
    await compare(['at 0.05', 'at 0.1']);
    for (const table of ['metrics', 'tradeoffs']) {
      const r = row(table, 'robust_accuracy');
      assert.equal(await r.locator('th').textContent(), 'robust_accuracy \u2020', table);
      assert.equal(await r.locator('td.best').count(), 0, `${table}: no best across evaluations`);
      const shown = (v: number) => (table === 'metrics' ? v.toFixed(4) : formatMetric('robust_accuracy', v));
      assert.deepEqual(await r.locator('td').allTextContents(), [`${shown(0.6)} (eps 0.05)`, `${shown(0.4)} (eps 0.1)`], table);
    }
    assert.equal(await row('metrics', 'best robust_accuracy').locator('th').textContent(), 'best robust_accuracy \u2020');
    assert.equal(await row('metrics', 'best robust_accuracy').locator('td.best').count(), 0);
    assert.equal(await row('metrics', 'red_flags').locator('td.best').count(), 0, 'red flags over different eps do not rank either');
    assert.match(await compareView().locator('.apart-note').first().textContent() ?? '', /not starred: the runs measured it on different data \(the data section of their specs, or the seed that generated or split it: data.seed, else the run.s seed\) or under different robustness evaluations/);
    // Clean accuracy is measured alike (the same points) and ranks; both evaluated the same model, so it ties
    // and neither run is starred above the other.
    assert.equal(await row('metrics', 'clean_accuracy').locator('th').textContent(), 'clean_accuracy');
    assert.equal(await row('metrics', 'clean_accuracy').locator('td.best').count(), 0);
  });

  it('Compare: runs evaluated alike are starred, the shared headline eps in the row label', async () => {
    await compare(['at 0.05', 'at 0.05 again']);
    const r = row('metrics', 'robust_accuracy');
    assert.equal(await r.locator('th').textContent(), 'robust_accuracy (eps 0.05)');
    assert.deepEqual(await r.locator('td').evaluateAll((els) => els.map((e) => [e.textContent, e.classList.contains('best')])), [['0.6000 \u2605', true], ['0.5500', false]]);
    assert.equal(await compareView().locator('.apart-note').count(), 0);
  });

  it('Run detail: the robust accuracy row names its eps, and the model size it shares with its parent is not starred', async () => {
    await openTab(b.page, 'runs');
    const n = await paintCount(b.page);
    await b.page.locator(`.vt-row[data-id="${ids['at 0.1']}"]`).dblclick();
    await waitPainted(b.page, 'detail', n);
    const row = (metric: string) => b.page.locator(`section[data-view="detail"] table.beside tr[data-metric="${metric}"]`);
    assert.equal(await row('robust_accuracy').locator('th').textContent(), 'robust_accuracy (eps 0.1)');
    const size = await row('tfjs_bytes').locator('td').evaluateAll((els) => els.map((e) => [e.textContent, e.classList.contains('best')]));
    assert.deepEqual(size, [['40000', false], ['40000', false]], 'a tie is the better of neither');
  });

  it('Trade-offs: lists the two evaluations and draws no front while robust_accuracy is an objective', async () => {
    await b.page.locator('.tab[data-view="tradeoff"]').click();
    await waitPainted(b.page, 'tradeoff');
    const view = b.page.locator('section[data-view="tradeoff"]');
    const note = view.locator('.mixed-evaluations [data-metric="robust_accuracy"]');
    assert.match(await note.locator('p').textContent() ?? '', /^robust_accuracy was measured under 2 different robustness evaluations, so its values do not rank against each other: no front is drawn/);
    assert.deepEqual((await note.locator('li').allTextContents()).sort(), [
      'eps 0.05 (headline), 0.1; linf; 100 points; apgd-ce (2 runs)',
      'eps 0.1 (headline); linf; 100 points; apgd-ce (1 run)',
    ]);
    assert.equal(await view.locator('svg.tradeoff circle.point.front').count(), 0, 'no run ringed');
    assert.equal(await view.locator('table.front-table').count(), 0);
    assert.equal(await view.locator('.no-front').count(), 1);
    // Without robust_accuracy as an objective the front is drawn; the colour still mixes evaluations, and says so.
    const n = await paintCount(b.page);
    await view.locator('[data-objective="robust_accuracy"]').click();
    await waitPainted(b.page, 'tradeoff', n);
    assert.ok(await view.locator('table.front-table tbody tr').count() > 0, 'a front over the other objectives');
    assert.equal(await view.locator('.no-front').count(), 0);
    assert.doesNotMatch(await note.locator('p').textContent() ?? '', /no front/);
  });
});

// Issue 16's end-to-end check: a three-objective trade-off sweep run by the real CLI and workers
// (test/helpers/tradeoff-sweep.ts: digits MLP, train -> prune at a swept sparsity and quantize -> PGD
// evaluation; val_accuracy, packed_bytes, eps_0.05/robust_accuracy) is reported with `hone report <sweep>`,
// and the Trade-offs view that page opens on, in headless Chromium, draws and lists exactly the front
// computed here from the store's run.json files (a plain pairwise check, apart from core's sorting).
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openBrowser, SCREENSHOTS, waitPainted, type Browser } from '../helpers/browser';
import { hone } from '../helpers/cli';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { frontOfRuns, tradeoffSweep, TRADEOFF_TRIALS, type TradeoffSweep } from '../helpers/tradeoff-sweep';

describe('a trade-off sweep in the Trade-offs view', () => {
  let dir: string;
  let sweep: TradeoffSweep;
  let b: Browser;
  before(async () => {
    dir = makeTmpDir();
    sweep = tradeoffSweep();
    b = await openBrowser({ width: 1300, height: 1300 });
  });
  after(async () => {
    await b?.close();
    removeTmpDir(dir);
  });

  it('shows the front of the three objectives that the store\'s run.json files give', async () => {
    const trials = sweep.record.trials.filter((t) => t.state === 'completed');
    assert.equal(trials.length, TRADEOFF_TRIALS);
    const expected = frontOfRuns(trials.map((t) => sweep.runs.get(t.runId!)!), sweep.record.sweep.objectives);
    assert.ok(expected.length >= 1 && expected.length <= TRADEOFF_TRIALS);

    const out = join(dir, 'report.html');
    const r = hone(['report', sweep.view.id, '--store', sweep.store, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    await b.page.goto(`file://${out}`);
    await waitPainted(b.page, 'tradeoff');
    const view = b.page.locator('section.view[data-view="tradeoff"]');
    const ids = (selector: string) => view.locator(selector).evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.run!).sort());
    assert.deepEqual(await ids('svg.tradeoff circle.point'), trials.map((t) => t.runId!).sort(), 'every completed trial is plotted');
    assert.deepEqual(await ids('svg.tradeoff circle.point.front'), expected);
    assert.deepEqual(await ids('table.front-table tbody tr'), expected);
    const objectives = await view.locator('vscode-checkbox[data-objective]').evaluateAll((els) =>
      els.filter((e) => (e as HTMLInputElement).checked).map((e) => (e as HTMLElement).dataset.objective!).sort());
    assert.deepEqual(objectives, sweep.record.sweep.objectives.map((o: { metric: string }) => o.metric).sort(), 'the front is over the sweep\'s three objectives');
    await b.page.screenshot({ path: join(SCREENSHOTS, 'dashboard-tradeoff-real-sweep.png'), fullPage: true });
  });
});

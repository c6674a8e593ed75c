// The Trade-offs view of the exported dashboard in headless Chromium, on a store written with the store API
// (test/helpers/tradeoff-store.ts: trained, compressed and attacked runs, and a three-objective sweep). The
// front the view draws and lists equals the front core/tradeoff computes from the same store (and, for the
// sweep, the sweep's own Pareto front); lineage arrows are exactly the shown runs' parent links; a dragged
// rectangle selects exactly the points inside it and Compare then shows exactly those; a point opens its run.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { DashboardFeed, type RunInfo } from '../../src/core/dashboard';
import { listSweepViews } from '../../src/core/sweep/view';
import { defaultChoice, scopePoints, tradeoffPlot, type Scope, type TradeoffChoice } from '../../src/core/tradeoff';
import { openBrowser, openTab, paintCount, SCREENSHOTS, until, waitPainted, type Browser } from '../helpers/browser';
import { hone } from '../helpers/cli';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { writeTradeoffStore, type TradeoffStore } from '../helpers/tradeoff-store';

describe('dashboard trade-offs view in Chromium', () => {
  let dir: string;
  let store: string;
  let fx: TradeoffStore;
  let runs: RunInfo[];
  let b: Browser;
  const view = () => b.page.locator('section.view[data-view="tradeoff"]');
  const ids = (selector: string) => view().locator(selector).evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.run!).sort());
  /** The front core computes from the store for a scope and a choice over its defaults. */
  const coreFront = (scope: Scope, over: Partial<TradeoffChoice> = {}) => {
    const s = scopePoints(runs, listSweepViews(store), scope);
    return tradeoffPlot(s.points, { ...defaultChoice(s.points, s.sweepObjectives), ...over }, (id) => runs.find((x) => x.id === id)?.spec, s.declared);
  };
  /** Waits for a redraw after which `probe` (what the test then asserts on) reads `expected`; returns what it reads last. */
  const redrawn = <T>(probe: () => Promise<T>, expected: T) => until(probe, (v) => isDeepStrictEqual(v, expected));
  const selectedCount = () => view().locator('svg.tradeoff circle.point.selected').count();
  const pointCount = () => view().locator('svg.tradeoff circle.point').count();
  const arrowsShown = () => view().locator('svg.tradeoff line.lineage').evaluateAll((els) => els.map((e) => `${(e as SVGElement).dataset.from}>${(e as SVGElement).dataset.to}`).sort());
  const countText = async () => await view().locator('.count').textContent() ?? '';
  const scopeTitle = async () => await view().locator('h2.scope').textContent() ?? '';
  /** Drags a rectangle over the whole plot, and waits for the redraw with every point in it selected. */
  const brushAll = async () => {
    const area = (await view().locator('svg.tradeoff rect.brush-area').boundingBox())!;
    await b.page.mouse.move(area.x + 2, area.y + 2);
    await b.page.mouse.down();
    await b.page.mouse.move(area.x + area.width / 2, area.y + area.height / 2, { steps: 4 });
    await b.page.mouse.move(area.x + area.width - 2, area.y + area.height - 2, { steps: 4 });
    await b.page.mouse.up();
    await until(async () => [await selectedCount(), await pointCount()], ([selected, all]) => selected === all);
  };

  before(async () => {
    dir = makeTmpDir();
    store = join(dir, 'store');
    fx = writeTradeoffStore(store);
    runs = (await new DashboardFeed(store).init()).runs;
    const out = join(dir, 'dashboard.html');
    const exported = hone(['dashboard', '--store', store, '--out', out]);
    assert.equal(exported.code, 0, exported.stderr);
    b = await openBrowser({ width: 1300, height: 1400 });
    await b.page.goto(`file://${out}`);
    await openTab(b.page, 'tradeoff');
  });
  after(async () => {
    await b?.close();
    removeTmpDir(dir);
  });

  it('draws and lists the front core computes from the store, over all three default objectives and then two', async () => {
    const plot = coreFront({});
    assert.deepEqual(plot.objectives.map((o) => o.metric), ['packed_bytes', 'test_accuracy', 'robust_accuracy']);
    // Only the attacked models have all three (their size and accuracy are the model they evaluated).
    assert.deepEqual(plot.front.front.sort(), [fx.ids['wide int4 attacked'], fx.ids['narrow pruned attacked']].sort());
    assert.deepEqual(await ids('svg.tradeoff circle.point.front'), [...plot.front.front].sort());
    assert.deepEqual(await ids('table.front-table tbody tr'), [...plot.front.front].sort());
    assert.deepEqual(await ids('svg.tradeoff circle.point'), plot.plotted.map((p) => p.id).sort());
    assert.equal(plot.plotted.length, 7);
    // Runs without a size are listed as not plotted, never drawn at 0.
    assert.deepEqual(await ids('.left-out li.not-plotted'), plot.notPlotted.map((p) => p.id).sort());
    assert.ok((await ids('.left-out li.not-plotted')).includes(fx.ids.wide));
    assert.ok(plot.notPlotted.some((p) => p.id === fx.ids['no accuracy'] && p.reason === 'no test_accuracy'));
    await b.page.screenshot({ path: join(SCREENSHOTS, 'dashboard-tradeoff.png'), fullPage: true });

    await view().locator('vscode-checkbox[data-objective="robust_accuracy"]').click();
    const two = coreFront({}, { objectives: ['packed_bytes', 'test_accuracy'] });
    await redrawn(() => ids('svg.tradeoff circle.point.front'), [...two.front.front].sort());
    const names = (xs: string[]) => xs.map((id) => runs.find((r) => r.id === id)!.name).sort();
    assert.deepEqual(names(two.front.front), ['narrow int2', 'narrow pruned', 'narrow pruned attacked', 'wide int4', 'wide int4 attacked', 'wide pruned']);
    assert.deepEqual(await ids('svg.tradeoff circle.point.front'), [...two.front.front].sort());
    assert.deepEqual(await ids('table.front-table tbody tr'), [...two.front.front].sort());
    assert.equal(await view().locator('svg.tradeoff path.front-line').count(), 1, 'a front over the two axes is joined by a line');
    // Each front run's provenance: the chain it was made from and the command its run.json records.
    const block = view().locator(`.front-provenance[data-run="${fx.ids['wide int4 attacked']}"]`);
    await block.locator('code.command').waitFor();
    assert.match(await block.textContent() ?? '', /wide int4 attacked · evaluate ← wide int4 ← wide/);
    assert.match(await block.locator('code.command').textContent() ?? '', new RegExp(`hone attack ${fx.ids['wide int4']}`));
    // Adding the objective back (the dropdown lists the metrics with a direction not chosen) restores the three-way front.
    await view().locator('vscode-dropdown[data-pick="objective"]').click();
    await b.page.locator('vscode-dropdown[data-pick="objective"] vscode-option[value="robust_accuracy"]').click();
    await redrawn(() => ids('svg.tradeoff circle.point.front'), [...plot.front.front].sort());
    assert.deepEqual(await ids('svg.tradeoff circle.point.front'), [...plot.front.front].sort());
    assert.equal(await view().locator('vscode-checkbox[data-objective]').count(), 3);
  });

  it('draws one lineage arrow per shown run whose parent is shown, and no other', async () => {
    const plot = coreFront({});
    const shown = new Set(plot.plotted.map((p) => p.id));
    const expected = runs.filter((r) => shown.has(r.id) && r.parent && shown.has(r.parent)).map((r) => `${r.parent}>${r.id}`).sort();
    assert.equal(expected.length, 2);
    assert.deepEqual(await arrowsShown(), expected);
    // With accuracy on both axes the trained runs are shown too: their arrows to their compressed children appear.
    await view().locator('vscode-dropdown[data-pick="x"]').click();
    await b.page.locator('vscode-dropdown[data-pick="x"] vscode-option[value="test_accuracy"]').click();
    const all = new Set(coreFront({}, { x: 'test_accuracy', logX: false }).plotted.map((p) => p.id));
    const expectedAll = runs.filter((r) => all.has(r.id) && r.parent && all.has(r.parent)).map((r) => `${r.parent}>${r.id}`).sort();
    assert.ok(expectedAll.length >= 6, `${expectedAll.length} arrows`);
    assert.deepEqual(await redrawn(arrowsShown, expectedAll), expectedAll);
    await view().locator('vscode-dropdown[data-pick="x"]').click();
    await b.page.locator('vscode-dropdown[data-pick="x"] vscode-option[value="packed_bytes"]').click();
    // Back on the default axes: the next test's rectangle is drawn over their points.
    const plotted = plot.plotted.map((p) => p.id).sort();
    assert.deepEqual(await redrawn(() => ids('svg.tradeoff circle.point'), plotted), plotted);
  });

  it('a dragged rectangle selects exactly the points inside it, and Compare shows exactly those', async () => {
    const svgBox = (await view().locator('svg.tradeoff').boundingBox())!;
    const centres = await view().locator('svg.tradeoff circle.point').evaluateAll((els) => els.map((e) => ({ id: (e as HTMLElement).dataset.run!, x: Number(e.getAttribute('cx')), y: Number(e.getAttribute('cy')) })));
    // A rectangle around the points between the second-smallest and the fourth-smallest x, in pixels.
    const xs = [...new Set(centres.map((c) => c.x))].sort((p, q) => p - q);
    const [x0, x1] = [(xs[0] + xs[1]) / 2, (xs[3] + xs[4]) / 2];
    const [y0, y1] = [Math.min(...centres.map((c) => c.y)) - 8, Math.max(...centres.map((c) => c.y)) + 8];
    const inside = centres.filter((c) => c.x >= x0 && c.x <= x1 && c.y >= y0 && c.y <= y1).map((c) => c.id).sort();
    assert.ok(inside.length >= 2 && inside.length < centres.length, `${inside.length} of ${centres.length} inside`);
    await b.page.mouse.move(svgBox.x + x0, svgBox.y + y0);
    await b.page.mouse.down();
    await b.page.mouse.move(svgBox.x + (x0 + x1) / 2, svgBox.y + (y0 + y1) / 2, { steps: 4 });
    await b.page.mouse.move(svgBox.x + x1, svgBox.y + y1, { steps: 4 });
    await b.page.mouse.up();
    assert.deepEqual(await redrawn(() => ids('svg.tradeoff circle.point.selected'), inside), inside);
    assert.equal(await view().locator('svg.tradeoff rect.scatter-brush').count(), 1);
    await b.page.screenshot({ path: join(SCREENSHOTS, 'dashboard-tradeoff-brush.png') });
    await view().locator('vscode-button', { hasText: `Compare ${inside.length}` }).click();
    await waitPainted(b.page, 'compare');
    const compared = await b.page.locator('section[data-view="compare"] table.metrics thead th[data-run]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.run!).sort());
    assert.deepEqual(compared, inside);
    // Its Trade-offs table: each run's packed size (an attacked model's is its model's), the smallest starred:
    // every run at it (a model and its attacked run are one model), none when all tie.
    const bytes = await b.page.locator('section[data-view="compare"] table.tradeoffs tr[data-metric="packed_bytes"] td').evaluateAll((els) => els.map((e) => [e.textContent, e.classList.contains('best')] as const));
    const heads = await b.page.locator('section[data-view="compare"] table.tradeoffs thead th[data-run]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.run!));
    const sizes = heads.map((id) => coreFront({}).plotted.find((p) => p.id === id)!.values.packed_bytes);
    assert.deepEqual(bytes.map(([t]) => t?.replace(' ★', '')), sizes.map(String));
    const all = new Set(sizes).size === 1;
    assert.deepEqual(bytes.map(([, best]) => best), sizes.map((v) => !all && v === Math.min(...sizes)), 'every smallest starred');
  });

  it('the runs table shows the compression and robustness columns, the best of each starred by its direction', async () => {
    await openTab(b.page, 'runs');
    const labels = await b.page.locator('section[data-view="runs"] .vt-label').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.key));
    for (const k of ['final:compression_ratio', 'final:packed_bytes', 'final:sparsity', 'final:robust_accuracy', 'final:eps_0.1/robust_accuracy', 'final:eps_0.3/robust_accuracy', 'final:latency_b1_ms']) assert.ok(labels.includes(k), `${k} in ${labels}`);
    const starred = async (key: string) => {
      const col = labels.indexOf(key) + 1;
      return b.page.locator('section[data-view="runs"] .vt-body .vt-row').evaluateAll((rows, c) => rows.filter((r) => r.children[c as number].classList.contains('best')).map((r) => (r as HTMLElement).dataset.id!), col);
    };
    assert.deepEqual(await starred('final:packed_bytes'), [fx.ids['narrow int2']], 'smallest packed size');
    assert.deepEqual(await starred('final:compression_ratio'), [fx.ids['wide int4']], 'largest ratio');
    assert.deepEqual(await starred('final:robust_accuracy'), [fx.ids['wide int4 attacked']], 'highest robust accuracy');
    assert.deepEqual((await starred('final:latency_b1_ms')).sort(), [fx.ids['narrow pruned'], fx.ids['narrow int2']].sort(), 'lowest latency: a tie, both starred');
  });

  it('a click on a point opens its run', async () => {
    await openTab(b.page, 'tradeoff');
    const id = fx.ids['wide pruned'];
    await view().locator(`svg.tradeoff circle.point[data-run="${id}"]`).click();
    await waitPainted(b.page, 'detail');
    assert.equal(await b.page.locator('.tab.active').getAttribute('data-view'), 'detail');
    assert.match(await b.page.locator('section[data-view="detail"] h2').textContent() ?? '', /wide pruned/);
  });

  it('on a three-objective sweep, the front drawn and listed is the sweep\'s Pareto front', async () => {
    const sweep = listSweepViews(store).find((s) => s.id === fx.sweepId)!;
    const expected = sweep.trials.filter((t) => t.pareto).map((t) => t.runId!).sort();
    assert.equal(expected.length, 5);
    assert.deepEqual([...coreFront({ sweepId: sweep.id }).front.front].sort(), expected);
    await openTab(b.page, 'sweep');
    const n = await paintCount(b.page);
    await b.page.locator('section[data-view="sweep"] vscode-button', { hasText: 'Open in Trade-offs' }).click();
    await waitPainted(b.page, 'tradeoff', n);
    assert.match(await scopeTitle(), /sweep three-way/);
    assert.deepEqual(await ids('svg.tradeoff circle.point.front'), expected);
    assert.deepEqual(await ids('table.front-table tbody tr'), expected);
    await b.page.screenshot({ path: join(SCREENSHOTS, 'dashboard-tradeoff-sweep.png'), fullPage: true });
    assert.equal(await view().locator('svg.tradeoff circle.point.selected').count(), 0, 'the brush made on all runs went, and its selection with it');
    // A brush over the whole plot selects every trial; a double-click clears the brush and the selection.
    await brushAll();
    assert.equal(await view().locator('svg.tradeoff circle.point.selected').count(), await view().locator('svg.tradeoff circle.point').count());
    const area = (await view().locator('svg.tradeoff rect.brush-area').boundingBox())!;
    await b.page.mouse.dblclick(area.x + 5, area.y + area.height - 5);
    assert.equal(await until(selectedCount, (k) => k === 0), 0);
    // Brushed again, then the scope picker goes back to every run, on the defaults for them: the brush and its selection go.
    await brushAll();
    assert.match(await countText(), / selected$/);
    await view().locator('vscode-dropdown').first().click();
    await b.page.locator('vscode-option[value="all"]').click();
    assert.match(await until(scopeTitle, (t) => /all runs/.test(t)), /all runs/);
    assert.deepEqual(await ids('svg.tradeoff circle.point.front'), [...coreFront({}).front.front].sort());
    assert.equal(await view().locator('svg.tradeoff circle.point.selected').count(), 0, 'no selection left from the sweep\'s brush');
    assert.doesNotMatch(await countText(), /selected/);
    assert.deepEqual(b.problems, []);
  });

  it('Compare counts only selected runs that still exist', async () => {
    const [a, c] = [fx.ids['wide pruned'], fx.ids['narrow int2']];
    // The state a page keeps across reloads, with a run since deleted among the selected ones.
    await b.page.evaluate(([keep, gone]) => {
      const key = Object.keys(sessionStorage).find((k) => k.startsWith('hone-dashboard:'))!;
      sessionStorage.setItem(key, JSON.stringify({ ...JSON.parse(sessionStorage.getItem(key)!), view: 'tradeoff', selected: [...keep, gone] }));
    }, [[a, c], '20200101-000000-deleted'] as const);
    await b.page.reload();
    await waitPainted(b.page, 'tradeoff');
    assert.equal(await view().locator('vscode-button', { hasText: 'Compare' }).first().textContent(), 'Compare 2');
    assert.match(await view().locator('.count').textContent() ?? '', / · 2 selected$/);
    assert.deepEqual(b.problems, []);
  });
});

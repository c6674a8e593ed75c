// The Sweep view of the exported dashboard in headless Chromium, on two real `hone sweep`s (digits, 6
// random trials each: one pruned by ASHA, one with two objectives): one polyline per trial, the best
// trial marked, pruned ones dashed; dragging along the lr axis keeps exactly the trials whose lr lies in
// the brushed range (checked against the sweep record), a double-click clears it; the two-objective
// sweep shows its Pareto front; a trial row opens its run. The brushed view is the screenshot.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listSweepViews, type SweepView } from '../../src/core/sweep/view';
import { openBrowser, SCREENSHOTS, waitPainted, type Browser } from '../helpers/browser';
import { digitsSpec, hone, writeSpec } from '../helpers/cli';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';

const LR = { min: 1e-3, max: 0.3 };
const sweepSpec = (name: string, sweep: Record<string, unknown>) => ({
  ...digitsSpec(name, { epochs: 2 }),
  sweep: {
    parallel: 2, trials: 6, sampler: { type: 'random' },
    parameters: { 'train.lr': { type: 'float', ...LR, log: true }, 'model.layers': { type: 'categorical', values: [[8], [32]] } },
    ...sweep,
  },
});
/** Height of an lr value on its (log) axis, 0 at the bottom. */
const lrHeight = (lr: number) => Math.log(lr / LR.min) / Math.log(LR.max / LR.min);

describe('dashboard sweep view in Chromium', () => {
  let dir: string;
  let sweeps: SweepView[];
  let b: Browser;
  const view = () => b.page.locator('section.view[data-view="sweep"]');
  const shownTrials = async () => (await view().locator('svg.parcoords path.trial:not(.out)').evaluateAll((els) => els.map((e) => Number((e as SVGElement).dataset.trial)))).sort((x, y) => x - y);

  before(async () => {
    dir = makeTmpDir();
    const store = join(dir, 'store');
    const multi = writeSpec(dir, 'dash-pareto', sweepSpec('dash-pareto', { objectives: [{ metric: 'val_accuracy', direction: 'maximize' }, { metric: 'val_loss', direction: 'minimize' }] }));
    const asha = writeSpec(dir, 'dash-asha', sweepSpec('dash-asha', { objectives: [{ metric: 'val_accuracy', direction: 'maximize' }], stopper: { type: 'asha', minEpochs: 1, eta: 2 } }));
    for (const spec of [multi, asha]) {
      const r = hone(['sweep', spec, '--store', store]);
      assert.equal(r.code, 0, r.stderr + r.stdout);
    }
    sweeps = listSweepViews(store);
    assert.deepEqual(sweeps.map((s) => s.name), ['dash-pareto', 'dash-asha']);
    const out = join(dir, 'dashboard.html');
    const exported = hone(['dashboard', '--store', store, '--out', out]);
    assert.equal(exported.code, 0, exported.stderr);
    b = await openBrowser({ width: 1400, height: 1500 });
    await b.page.goto(`file://${out}`);
    await waitPainted(b.page, 'runs');
    await b.page.locator('.tab[data-view="sweep"]').click();
    await waitPainted(b.page, 'sweep');
  });
  after(async () => {
    await b?.close();
    removeTmpDir(dir);
  });

  it('draws one polyline per trial of the newest sweep, the best trial marked and pruned trials dashed', async () => {
    const asha = sweeps[1];
    assert.match(await view().locator('h2').textContent() ?? '', /dash-asha/);
    const paths = view().locator('svg.parcoords path.trial');
    assert.deepEqual((await paths.evaluateAll((els) => els.map((e) => Number((e as SVGElement).dataset.trial)))).sort((x, y) => x - y), asha.trials.map((t) => t.number));
    assert.deepEqual(await view().locator('svg.parcoords path.trial.best').evaluateAll((els) => els.map((e) => Number((e as SVGElement).dataset.trial))), [asha.best]);
    const pruned = asha.trials.filter((t) => t.state === 'pruned').map((t) => t.number);
    assert.deepEqual((await view().locator('path.trial.t-pruned').evaluateAll((els) => els.map((e) => Number((e as SVGElement).dataset.trial)))).sort((x, y) => x - y), pruned);
    if (pruned.length) assert.notEqual(await view().locator('path.trial.t-pruned').first().evaluate((e) => getComputedStyle(e).strokeDasharray), 'none');
    assert.deepEqual(await view().locator('svg.parcoords g.pc-axis').evaluateAll((els) => els.map((e) => (e as SVGElement).dataset.key)), ['train.lr', 'model.layers', 'objective:val_accuracy']);
    assert.equal(await view().locator('.count').textContent(), `6 of 6 trials`);
    assert.equal(await view().locator('.chart-card canvas').count(), 1);
    // Importance needs 4 completed trials: ASHA may have pruned more than 2.
    if (asha.importance) assert.deepEqual(await view().locator('.importance .imp-row').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.param).sort()), ['model.layers', 'train.lr']);
    else assert.match(await view().textContent() ?? '', /Importance needs at least 4 completed trials/);
  });

  it('brushing the lr axis keeps exactly the trials whose lr lies in the range; a double-click clears it', async () => {
    const multi = sweeps[0];
    await view().locator('vscode-dropdown').click();
    await b.page.locator('vscode-option', { hasText: multi.id }).click();
    await b.page.waitForFunction(() => /dash-pareto/.test(document.querySelector('section[data-view="sweep"] h2')?.textContent ?? ''));
    await b.page.waitForTimeout(250);
    const axis = view().locator('g.pc-axis[data-key="train.lr"]');
    const [top, bottom, x] = await axis.evaluate((g) => ['top', 'bottom', 'x'].map((k) => Number((g as SVGElement).dataset[k])));
    const svgBox = (await view().locator('svg.parcoords').boundingBox())!;
    // Brush from the middle of the widest gap between the trials' lr heights to the axis top: some trials in, some out.
    const hs = multi.trials.map((t) => lrHeight(t.params['train.lr'] as number)).sort((p, q) => p - q);
    const gap = hs.slice(1).map((h, i) => [h - hs[i], (h + hs[i]) / 2]).sort((p, q) => q[0] - p[0])[0];
    const yAt = (h: number) => svgBox.y + top + (1 - h) * (bottom - top);
    await b.page.mouse.move(svgBox.x + x, yAt(gap[1]));
    await b.page.mouse.down();
    await b.page.mouse.move(svgBox.x + x, yAt(0.5 * (gap[1] + 1)), { steps: 4 });
    await b.page.mouse.move(svgBox.x + x, yAt(1) - 5, { steps: 4 });
    await b.page.mouse.up();
    await b.page.waitForFunction(() => document.querySelector('g.pc-axis[data-key="train.lr"].brushed'));
    await b.page.waitForTimeout(250);
    const [lo, hi] = await axis.evaluate((g) => [Number((g as SVGElement).dataset.lo), Number((g as SVGElement).dataset.hi)]);
    const px = 1.5 / (bottom - top);
    assert.ok(Math.abs(lrHeight(lo) - gap[1]) < px, `brush starts where the drag did: ${lrHeight(lo)} vs ${gap[1]}`);
    assert.ok(Math.abs(lrHeight(hi) - 1) < px, `brush ends at the axis top: ${lrHeight(hi)}`);
    const expected = multi.trials.filter((t) => (t.params['train.lr'] as number) >= lo && (t.params['train.lr'] as number) <= hi).map((t) => t.number);
    assert.ok(expected.length > 0 && expected.length < multi.trials.length, `${expected.length} trials in the brush`);
    assert.deepEqual(await shownTrials(), expected);
    assert.equal(await view().locator('.count').textContent(), `${expected.length} of 6 trials`);
    assert.deepEqual(await view().locator('table.trials tbody tr').evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.trial))), expected);
    await b.page.screenshot({ path: join(SCREENSHOTS, 'dashboard-sweep.png') });

    await b.page.mouse.dblclick(svgBox.x + x, yAt(0.5));
    await b.page.waitForFunction(() => !document.querySelector('g.pc-axis[data-key="train.lr"].brushed'));
    await b.page.waitForTimeout(250);
    assert.deepEqual(await shownTrials(), multi.trials.map((t) => t.number));
    assert.equal(await view().locator('.count').textContent(), '6 of 6 trials');
  });

  it('shows the Pareto front of the two-objective sweep, and a trial row opens its run', async () => {
    const multi = sweeps[0];
    const front = (await view().locator('svg.pareto circle.front').evaluateAll((els) => els.map((e) => Number((e as SVGElement).dataset.trial)))).sort((x, y) => x - y);
    assert.deepEqual(front, [...multi.pareto].sort((x, y) => x - y));
    assert.equal(await view().locator('svg.pareto circle').count(), multi.trials.filter((t) => t.values).length);
    assert.deepEqual(await view().locator('.importance').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.objective)), ['val_accuracy', 'val_loss']);
    assert.match(await view().textContent() ?? '', new RegExp(multi.importance!.method.replace(/[()]/g, '\\$&')));
    const t = multi.trials[0];
    await view().locator(`table.trials tr[data-trial="${t.number}"]`).click();
    await waitPainted(b.page, 'detail');
    assert.equal(await b.page.locator('.tab.active').getAttribute('data-view'), 'detail');
    assert.match(await b.page.locator('section[data-view="detail"]').textContent() ?? '', new RegExp(t.runId!));
    assert.deepEqual(b.problems, []);
  });
});

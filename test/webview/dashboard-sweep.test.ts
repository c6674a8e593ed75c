// The Sweep view of the exported dashboard in headless Chromium. One sweep is a real `hone sweep` (digits, 6
// random trials, two objectives); the other is an ASHA sweep written straight into the store with the sweep
// record functions, so its two pruned trials and its importance (4 completed trials) are there by
// construction, not by how training and timing happened to go. Checked: one polyline per trial, the best
// trial marked, pruned ones dashed and only those; importance bars with the shares of the record; dragging
// along the lr axis keeps exactly the trials whose lr lies in the brushed range (checked against the sweep
// record), a double-click clears it; the two-objective sweep shows its Pareto front; a trial row opens its
// run. The brushed view is the screenshot.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { newSweepDir, writeSweepRecord, type SweepRecord, type TrialRecord } from '../../src/core/sweep/record';
import { listSweepViews, type SweepView } from '../../src/core/sweep/view';
import { openBrowser, openTab, paintCount, SCREENSHOTS, waitPainted, type Browser } from '../helpers/browser';
import { digitsSpec, hone, writeSpec } from '../helpers/cli';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';

const LR = { min: 1e-3, max: 0.3 };
const PARAMETERS = { 'train.lr': { type: 'float', ...LR, log: true }, 'model.layers': { type: 'categorical', values: [[8], [32]] } } as const;
const sweepSpec = (name: string, sweep: Record<string, unknown>) => ({
  ...digitsSpec(name, { epochs: 2 }),
  sweep: { parallel: 2, trials: 6, sampler: { type: 'random' }, parameters: PARAMETERS, ...sweep },
});
/** Height of an lr value on its (log) axis, 0 at the bottom. */
const lrHeight = (lr: number) => Math.log(lr / LR.min) / Math.log(LR.max / LR.min);

/** ASHA (min 1 epoch, eta 2) over 2-epoch trials as the coordinator records it: trials 2 and 4 pruned at rung 0. */
const ASHA_PRUNED = [2, 4];
const ASHA_BEST = 3;
function writeAshaSweep(store: string): void {
  const at = (s: number) => new Date(Date.UTC(2024, 0, 1, 12, 0, s)).toISOString();
  const epoch1 = [0.62, 0.71, 0.35, 0.78, 0.41, 0.66];
  const final = [0.84, 0.88, undefined, 0.93, undefined, 0.86];
  const lrs = [0.004, 0.02, 0.0015, 0.05, 0.25, 0.01];
  const trials = lrs.map((lr, n): TrialRecord => {
    const base = { number: n, params: { 'train.lr': lr, 'model.layers': [n % 2 ? 32 : 8] }, started: at(2 * n), finished: at(2 * n + 1) };
    const v = final[n];
    return v === undefined
      ? { ...base, state: 'pruned', intermediate: { 1: [epoch1[n]] }, epochs: 1, pruned: { epoch: 1, rung: 0, reason: `rung 0 (epoch 1): ${n} of ${n + 1} trials rank above it, only the top ${Math.max(1, Math.floor((n + 1) / 2))} (1/2) continue` } }
      : { ...base, state: 'completed', values: [v], intermediate: { 1: [epoch1[n]], 2: [v] }, epochs: 2 };
  });
  const { id, dir } = newSweepDir(store);
  const rec: SweepRecord = {
    id, name: 'dash-asha', created: at(0), baseDir: store, raw: sweepSpec('dash-asha', {}), epochs: 2, status: 'completed', elapsedMs: 12_000, finished: at(12), trials,
    sweep: {
      parameters: PARAMETERS as unknown as SweepRecord['sweep']['parameters'], objectives: [{ metric: 'val_accuracy', direction: 'maximize' }],
      sampler: { type: 'random' }, stopper: { type: 'asha', minEpochs: 1, eta: 2 }, trials: 6, parallel: 2, seed: 7,
    },
  };
  writeSweepRecord(dir, rec);
}

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
    const r = hone(['sweep', multi, '--store', store]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    writeAshaSweep(store); // after the real one, so it is the newest: the view opens on it
    sweeps = listSweepViews(store);
    assert.deepEqual(sweeps.map((s) => s.name), ['dash-pareto', 'dash-asha']);
    const out = join(dir, 'dashboard.html');
    const exported = hone(['dashboard', '--store', store, '--out', out]);
    assert.equal(exported.code, 0, exported.stderr);
    b = await openBrowser({ width: 1400, height: 1500 });
    await b.page.goto(`file://${out}`);
    await openTab(b.page, 'sweep');
  });
  after(async () => {
    await b?.close();
    removeTmpDir(dir);
  });

  it('draws one polyline per trial of the newest sweep, the best trial marked, pruned trials and only those dashed, importance bars', async () => {
    const asha = sweeps[1];
    assert.deepEqual(asha.trials.filter((t) => t.state === 'pruned').map((t) => t.number), ASHA_PRUNED, 'the fixture as the view model reads it');
    assert.equal(asha.best, ASHA_BEST);
    assert.ok(asha.importance, 'importance with 4 completed trials');
    assert.match(await view().locator('h2').textContent() ?? '', /dash-asha/);
    const trialsOf = (selector: string) => view().locator(selector).evaluateAll((els) => els.map((e) => Number((e as SVGElement).dataset.trial)).sort((x, y) => x - y));
    assert.deepEqual(await trialsOf('svg.parcoords path.trial'), [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(await trialsOf('svg.parcoords path.trial.best'), [ASHA_BEST]);
    assert.deepEqual(await trialsOf('svg.parcoords path.trial.t-pruned'), ASHA_PRUNED);
    const dashes = await view().locator('svg.parcoords path.trial').evaluateAll((els) => els.map((e) => [Number((e as SVGElement).dataset.trial), getComputedStyle(e).strokeDasharray] as const));
    assert.deepEqual(dashes.filter(([, d]) => d !== 'none').map(([n]) => n).sort((x, y) => x - y), ASHA_PRUNED, `dashed: ${JSON.stringify(dashes)}`);
    assert.deepEqual(await view().locator('svg.parcoords g.pc-axis').evaluateAll((els) => els.map((e) => (e as SVGElement).dataset.key)), ['train.lr', 'model.layers', 'objective:val_accuracy']);
    assert.equal(await view().locator('.count').textContent(), '6 of 6 trials');
    assert.match(await view().locator('p.muted').first().textContent() ?? '', /stopper asha · 4 completed, 2 pruned/);
    assert.equal(await view().locator('.chart-card canvas').count(), 1);
    const shares = asha.importance.byObjective[0];
    const bars = await view().locator('.importance .imp-row').evaluateAll((els) => els.map((e) => [(e as HTMLElement).dataset.param, e.querySelector('.num')!.textContent] as const));
    assert.deepEqual(bars, Object.entries(shares).sort((x, y) => y[1] - x[1]).map(([p, v]) => [p, `${(v * 100).toFixed(0)}%`]));
    assert.deepEqual(bars.map(([p]) => p).sort(), ['model.layers', 'train.lr']);
    assert.doesNotMatch(await view().textContent() ?? '', /Importance needs at least 4 completed trials/);
  });

  it('brushing the lr axis keeps exactly the trials whose lr lies in the range; a double-click clears it', async () => {
    const multi = sweeps[0];
    // Each action's redraw: its DOM (one synchronous update) and then its paint, which the screenshot shows.
    let n = await paintCount(b.page);
    await view().locator('vscode-dropdown').click();
    await b.page.locator('vscode-option', { hasText: multi.id }).click();
    await b.page.waitForFunction(() => /dash-pareto/.test(document.querySelector('section[data-view="sweep"] h2')?.textContent ?? ''));
    await waitPainted(b.page, 'sweep', n);
    const axis = view().locator('g.pc-axis[data-key="train.lr"]');
    const [top, bottom, x] = await axis.evaluate((g) => ['top', 'bottom', 'x'].map((k) => Number((g as SVGElement).dataset[k])));
    const svgBox = (await view().locator('svg.parcoords').boundingBox())!;
    // Brush from the middle of the widest gap between the trials' lr heights to the axis top: some trials in, some out.
    const hs = multi.trials.map((t) => lrHeight(t.params['train.lr'] as number)).sort((p, q) => p - q);
    const gap = hs.slice(1).map((h, i) => [h - hs[i], (h + hs[i]) / 2]).sort((p, q) => q[0] - p[0])[0];
    const yAt = (h: number) => svgBox.y + top + (1 - h) * (bottom - top);
    n = await paintCount(b.page);
    await b.page.mouse.move(svgBox.x + x, yAt(gap[1]));
    await b.page.mouse.down();
    await b.page.mouse.move(svgBox.x + x, yAt(0.5 * (gap[1] + 1)), { steps: 4 });
    await b.page.mouse.move(svgBox.x + x, yAt(1) - 5, { steps: 4 });
    await b.page.mouse.up();
    await b.page.waitForFunction(() => document.querySelector('g.pc-axis[data-key="train.lr"].brushed'));
    await waitPainted(b.page, 'sweep', n);
    const [lo, hi] = await axis.evaluate((g) => [Number((g as SVGElement).dataset.lo), Number((g as SVGElement).dataset.hi)]);
    const px = 1.5 / (bottom - top);
    assert.ok(Math.abs(lrHeight(lo) - gap[1]) < px, `brush starts where the drag did: ${lrHeight(lo)} vs ${gap[1]}`);
    assert.ok(Math.abs(lrHeight(hi) - 1) < px, `brush ends at the axis top: ${lrHeight(hi)}`);
    const expected = multi.trials.filter((t) => (t.params['train.lr'] as number) >= lo && (t.params['train.lr'] as number) <= hi).map((t) => t.number);
    assert.ok(expected.length > 0 && expected.length < multi.trials.length, `${expected.length} trials in the brush`);
    assert.deepEqual(await shownTrials(), expected);
    assert.equal(await view().locator('.count').textContent(), `${expected.length} of 6 trials`);
    assert.deepEqual(await view().locator('table.trials tbody tr').evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.trial))), expected);
    // Objective values in their unit, as the Runs tree shows them: val_accuracy in %, val_loss as a loss.
    const cells = (m: string) => view().locator(`table.trials tbody td[data-metric="${m}"]`).allTextContents();
    assert.ok((await cells('val_accuracy')).every((c) => /^\d{1,3}\.\d%$/.test(c)), (await cells('val_accuracy')).join(' '));
    assert.ok((await cells('val_loss')).every((c) => /^\d/.test(c) && !c.endsWith('%')), (await cells('val_loss')).join(' '));
    await b.page.screenshot({ path: join(SCREENSHOTS, 'dashboard-sweep.png') });

    n = await paintCount(b.page);
    await b.page.mouse.dblclick(svgBox.x + x, yAt(0.5));
    await b.page.waitForFunction(() => !document.querySelector('g.pc-axis[data-key="train.lr"].brushed'));
    await waitPainted(b.page, 'sweep', n);
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

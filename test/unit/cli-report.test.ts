// `hone report` on a store written with the store API (test/helpers/tradeoff-store.ts): the page is one
// self-contained file (no http(s) resource, nothing requested from the network when opened), carries the
// runs named and those they were made from, and in headless Chromium opens on the Trade-offs view with the
// plot, the front core computes and each front run's provenance. A sweep reports its trials; a reference
// that names nothing is bad input.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DashboardFeed, type RunInfo } from '../../src/core/dashboard';
import { createRun, writeRunRecord } from '../../src/core/store';
import type { RunKind } from '../../src/core/store/types';
import { listSweepViews } from '../../src/core/sweep/view';
import { defaultChoice, scopePoints, tradeoffPlot } from '../../src/core/tradeoff';
import { openBrowser, SCREENSHOTS, waitPainted } from '../helpers/browser';
import { digitsSpec, hone } from '../helpers/cli';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { writeTradeoffStore, type TradeoffStore } from '../helpers/tradeoff-store';

describe('hone report', () => {
  let dir: string;
  let store: string;
  let fx: TradeoffStore;
  let runs: RunInfo[];
  before(async () => {
    dir = makeTmpDir();
    store = join(dir, 'store');
    fx = writeTradeoffStore(store);
    runs = (await new DashboardFeed(store).init()).runs;
  });
  after(() => removeTmpDir(dir));

  it('writes one self-contained page of the runs named; in Chromium it shows the plot, the front and its provenance', async () => {
    const named = ['wide int4', 'wide int4 attacked', 'narrow pruned', 'narrow pruned attacked', 'narrow int2'].map((k) => fx.ids[k]);
    const out = join(dir, 'report.html');
    const r = hone(['report', ...named, '--store', store, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const scoped = scopePoints(runs, [], { runIds: named });
    const plot = tradeoffPlot(scoped.points, defaultChoice(scoped.points), (id) => runs.find((x) => x.id === id)?.spec, scoped.declared);
    const frontNames = plot.front.front.map((id) => runs.find((x) => x.id === id)!.name);
    assert.deepEqual(frontNames.sort(), ['narrow pruned attacked', 'wide int4 attacked']);
    assert.match(r.stdout, /5 runs; front over packed_bytes, test_accuracy, robust_accuracy: /);
    for (const n of frontNames) assert.ok(r.stdout.includes(n), r.stdout);

    const html = readFileSync(out, 'utf8');
    // Nothing the page could load from elsewhere: no src/href to a URL, no url() or @import in the styles.
    assert.doesNotMatch(html, /\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    assert.doesNotMatch(html, /url\(\s*["']?(https?:)?\/\//i);
    assert.doesNotMatch(html, /@import/);
    // The runs named and those they were made from (for the provenance chains), and no others.
    const init = JSON.parse(/<script type="application\/json" id="hone-init">(.*?)<\/script>/s.exec(html)![1]) as { runs: RunInfo[] };
    assert.deepEqual(init.runs.map((x) => x.name).sort(), ['narrow', 'narrow int2', 'narrow pruned', 'narrow pruned attacked', 'wide', 'wide int4', 'wide int4 attacked']);

    const b = await openBrowser({ width: 1300, height: 1300 });
    try {
      await b.page.goto(`file://${out}`);
      await waitPainted(b.page, 'tradeoff');
      const view = b.page.locator('section.view[data-view="tradeoff"]');
      assert.equal(await b.page.locator('.tab.active').getAttribute('data-view'), 'tradeoff');
      assert.equal(await view.locator('svg.tradeoff circle.point').count(), plot.plotted.length);
      assert.ok(plot.plotted.length >= 5);
      const listed = await view.locator('table.front-table tbody tr').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.run!).sort());
      assert.deepEqual(listed, [...plot.front.front].sort());
      for (const id of plot.front.front) {
        const block = view.locator(`.front-provenance[data-run="${id}"]`);
        await block.locator('code.command').waitFor();
        const rec = JSON.parse(readFileSync(join(store, 'runs', id, 'run.json'), 'utf8'));
        assert.equal(await block.locator('code.command').textContent(), rec.provenance.command.join(' '));
        const text = await block.textContent() ?? '';
        assert.ok(text.includes(rec.provenance.git.commit.slice(0, 12)), 'the git commit');
        assert.ok(text.includes(rec.provenance.machine.host), 'the machine');
        assert.deepEqual(JSON.parse(await block.locator('details pre').textContent() ?? ''), rec.spec, 'the spec, as run.json records it');
        const parent = runs.find((x) => x.id === rec.parent)!;
        assert.ok(text.includes(`← ${parent.name} ← ${runs.find((x) => x.id === parent.parent)!.name}`), `the parent chain: ${text}`);
      }
      await b.page.screenshot({ path: join(SCREENSHOTS, 'report.png'), fullPage: true });
      assert.deepEqual(b.problems, [], 'no request left the file, no CSP violation, no error');
    } finally {
      await b.close();
    }
  });

  it('robust accuracies measured under different evaluations: the summary says there is no front, and why', () => {
    const mixed = join(dir, 'mixed');
    const add = (name: string, kind: RunKind, final: Record<string, number>, spec: object, parent?: string) => {
      const { record, dir: runDir } = createRun(mixed, { name, experiment: 'net', kind, spec: spec as never, overrides: [], seed: 1, versions: {}, epochsPlanned: 1, ...(parent ? { parent } : {}) });
      writeRunRecord(runDir, { ...record, status: 'completed', epochsDone: 1, final, best: final });
      return record.id;
    };
    const net = add('net', 'train', { test_accuracy: 0.95, tfjs_bytes: 40_000 }, digitsSpec('net'));
    const attack = (name: string, eps: number[], robust: number) => add(name, 'evaluate', { robust_accuracy: robust, clean_accuracy: 0.95 },
      { ...digitsSpec('net'), robustness: { evaluate: { eps, norm: 'linf', attacks: [{ attack: 'apgd-ce', steps: 10, restarts: 1 }], points: 100, batch: 100, checks: true } } }, net);
    const named = [attack('at 0.05', [0.05, 0.1], 0.6), attack('at 0.1', [0.1], 0.4)];
    const r = hone(['report', ...named, '--store', mixed, '--out', join(dir, 'mixed.html')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\(2 runs; no front: robust_accuracy was measured under 2 different robustness evaluations, so its values do not rank against each other\)\n$/);
  });

  it('a sweep reports its trials with the sweep\'s objectives; a reference that names nothing is bad input', () => {
    const out = join(dir, 'sweep.html');
    const r = hone(['report', fx.sweepId, '--store', store, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const sweep = listSweepViews(store)[0];
    assert.match(r.stdout, /sweep three-way; front over test_accuracy, packed_bytes, robust_accuracy: /);
    const front = sweep.trials.filter((t) => t.pareto).map((t) => runs.find((x) => x.id === t.runId)!.name);
    for (const n of front) assert.ok(r.stdout.includes(n), r.stdout);
    assert.ok(!r.stdout.includes('trial 2'), 'trial 2 is dominated');
    const bad = hone(['report', 'no-such-thing', '--store', store, '--out', out]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /'no-such-thing' names no run and no sweep/);
    assert.equal(hone(['report', '--store', store]).code, 2);
  });
});

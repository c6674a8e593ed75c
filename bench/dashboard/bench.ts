/**
 * Dashboard benchmark (bench/dashboard/run.sh): generates a store, then measures in headless Chromium
 * (1) the standalone export (`hone dashboard`) and (2) the webview as the extension hosts it (the page of
 * `dashboardHtml`, its messages answered by a DashboardFeed on the store): time from navigation to the
 * runs table painted, and from pressing Compare on 20 selected runs to the Compare view painted with all
 * their curves. Three fresh pages each; medians reported. Writes bench/RESULTS.md, section "Dashboard".
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { DashboardFeed, pointsPerSeries, type HostMessage } from '../../src/core/dashboard';
import { METRICS_CACHE_FILE, runDirOf, syncIndex } from '../../src/core/store';
import { hostOnFeed, openBrowser, paintCount, paints, waitPainted, writePanel } from '../../test/helpers/browser';
import { ROOT } from '../../test/helpers/cli';
import { makeTmpDir, removeTmpDir } from '../../test/helpers/tmp';
import { commandLine, writeSection } from '../results-md';
import { generateStore } from './store';

const [RUNS, POINTS] = process.argv.slice(2).map(Number);
const ITERATIONS = 5;
interface Figures { table: number; compare: number }
/** A cold Compare: ms from the host's `open` to the tables and to the curves painted, the last render's share, the feed's watch. */
interface Cold { open: number; cold: number; render: number; feed: number }
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const ms = (x: number) => `${Math.round(x)} ms`;

/** A paint the page reported: `at` when its render began, `t` when it had painted. */
type Paint = { view: string; complete: boolean; pending: number; at: number; t: number };
const firstPaint = async (page: Page, since: number, ok: (p: Paint) => boolean) => (await paints(page)).slice(since).find(ok)!;

/** Loads `url`: ms from navigation to the runs table painted. */
async function openTable(page: Page, url: string): Promise<number> {
  await page.goto(url, { timeout: 120_000 });
  await waitPainted(page, 'runs', 0, 120_000);
  return (await firstPaint(page, 0, (p) => p.view === 'runs' && p.complete)).t;
}

/**
 * Ticks the 20 runs of group g00 in the table and waits until their series have streamed in (the table
 * watches ticked runs), then presses Compare: ms from the click to the Compare view painted with them.
 */
async function compareSelected(page: Page): Promise<number> {
  await page.locator('vscode-text-field input').fill('g00');
  await page.waitForFunction(() => document.querySelectorAll('.vt-body .vt-row').length === 20);
  // A Compare the host opened selected its runs: start from none (a disabled button ignores the click).
  await page.evaluate(() => Array.from(document.querySelectorAll<HTMLElement>('vscode-button')).find((b) => b.textContent === 'Clear selection')!.click());
  await page.waitForFunction(() => !document.querySelector('.toolbar .count')!.textContent!.includes('selected'));
  const before = await paintCount(page);
  await page.locator('.vt-check input[aria-label="select all"]').check();
  await page.waitForFunction(() => document.querySelector('.toolbar .count')!.textContent!.endsWith(' 20 selected'));
  await waitPainted(page, 'runs', before, 120_000, true);
  const n = await paintCount(page);
  const t0 = await page.evaluate(() => {
    const t = performance.now();
    Array.from(document.querySelectorAll<HTMLElement>('vscode-button')).find((b) => b.textContent === 'Compare 20')!.click();
    return t;
  });
  await waitPainted(page, 'compare', n, 120_000);
  await checkCharts(page);
  return (await firstPaint(page, n, (p) => p.view === 'compare' && p.complete)).t - t0;
}

/**
 * Compare opened by the host (the tree's "Compare Selected Runs") for 20 runs never shown: ms to the view
 * painted with its tables (`open`), and with every curve (`cold`).
 */
async function compareOpened(page: Page, send: (m: HostMessage[]) => Promise<void>, ids: string[]): Promise<{ open: number; cold: number; render: number }> {
  const n = await paintCount(page);
  const t0 = await page.evaluate(() => performance.now());
  await send([{ type: 'open', view: 'compare', runIds: ids }]);
  await waitPainted(page, 'compare', n, 120_000);
  await checkCharts(page);
  const complete = await firstPaint(page, n, (p) => p.view === 'compare' && p.complete);
  return { open: (await firstPaint(page, n, (p) => p.view === 'compare')).t - t0, cold: complete.t - t0, render: complete.t - complete.at };
}

/** A feed on `store` whose `watch` calls add up their time in `spent.ms` (the host's share of a cold Compare). */
function timedFeed(store: string): { feed: DashboardFeed; spent: { ms: number } } {
  const feed = new DashboardFeed(store);
  const spent = { ms: 0 };
  const watch = feed.watch.bind(feed);
  feed.watch = (ids) => {
    const t = performance.now();
    const out = watch(ids);
    spent.ms += performance.now() - t;
    return out;
  };
  return { feed, spent };
}

/** Every metric (5 and the learning rate) has a chart with points. */
async function checkCharts(page: Page): Promise<void> {
  const charts = await page.locator('section[data-view="compare"] .chart-card').evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.points)));
  if (charts.length !== 6 || charts.some((p) => !(p > 0))) throw new Error(`compare drew ${charts.join(', ')} points per chart`);
}

async function main(): Promise<void> {
  const dir = makeTmpDir('hone-bench-dashboard-');
  const store = join(dir, 'store');
  const browser = await openBrowser();
  try {
    let t = performance.now();
    generateStore(store, RUNS, POINTS);
    const genMs = performance.now() - t;
    console.log(`generated ${RUNS} runs x ${POINTS} epochs in ${secs(genMs)}`);

    const panel = writePanel(dir);
    const summaries = await syncIndex(store);
    const group = (g: number) => summaries.filter((r) => r.name.endsWith(` g${String(g).padStart(2, '0')}`)).map((r) => r.id);
    /** A fresh page on a new feed: the runs table, then the host opens a Compare of `ids`. */
    const coldCompare = async (ids: string[]): Promise<Cold> => {
      const page = await browser.context.newPage();
      const { feed, spent } = timedFeed(store);
      const send = await hostOnFeed(page, feed);
      await openTable(page, panel);
      const c = await compareOpened(page, send, ids);
      await page.close();
      return { ...c, feed: spent.ms };
    };
    const hosted: Figures[] = [];
    const cold: Record<'first' | 'reopened' | 'uncached', Cold[]> = { first: [], reopened: [], uncached: [] };
    for (let i = 0; i < ITERATIONS; i++) {
      const page = await browser.context.newPage();
      await hostOnFeed(page, new DashboardFeed(store));
      hosted.push({ table: await openTable(page, panel), compare: await compareSelected(page) });
      await page.close();
      // A group never opened, its caches as the worker left them; then the same group again on a new feed.
      cold.first.push(await coldCompare(group(1 + i)));
      cold.reopened.push(await coldCompare(group(1 + i)));
      // Another group never opened, its caches deleted: the feed parses metrics.jsonl and writes them.
      const fresh = group(1 + ITERATIONS + i);
      for (const id of fresh) rmSync(join(runDirOf(store, id), METRICS_CACHE_FILE));
      cold.uncached.push(await coldCompare(fresh));
      console.log('hosted', hosted.at(-1), cold.first.at(-1), cold.reopened.at(-1), cold.uncached.at(-1));
    }
    // The export after the hosted pages: it reads (and stamps) every run's cache, which would make the first opens reopens.
    const html = join(dir, 'dashboard.html');
    t = performance.now();
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/hone.js'), 'dashboard', '--store', store, '--out', html], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    const exportMs = performance.now() - t;
    const mb = statSync(html).size / 1e6;
    console.log(`exported in ${secs(exportMs)}: ${mb.toFixed(1)} MB`);

    const exported: Figures[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      const page = await browser.context.newPage();
      exported.push({ table: await openTable(page, `file://${html}`), compare: await compareSelected(page) });
      await page.close();
      console.log('export', exported.at(-1));
    }

    if (browser.problems.length) throw new Error(browser.problems.join('\n'));

    const chromium = spawnSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).stdout.trim();
    const row = (what: string, xs: Figures[]) => `| ${what} | ${ms(median(xs.map((x) => x.table)))} | ${ms(median(xs.map((x) => x.compare)))} |`;
    const of = (xs: Cold[], k: keyof Cold) => ms(median(xs.map((x) => x[k])));
    const coldRow = (what: string, xs: Cold[]) =>
      `| ${what} | **${of(xs, 'cold')}** | ${xs.map((x) => ms(x.cold)).join(', ')} | ${of(xs, 'open')} | ${of(xs, 'feed')} | ${of(xs, 'render')} |`;
    const goal = (xs: Cold[]) => `${of(xs, 'cold')} (${median(xs.map((x) => x.cold)) < 500 ? 'met' : '**not met**'})`;
    const load = loadavg()[0];
    writeSection(join(ROOT, 'bench/RESULTS.md'), 'Dashboard', `
Command: \`${commandLine('bench/dashboard/run.sh', ['RUNS', 'POINTS'])}\` (\`make bench\` runs it with the defaults, RUNS=1000 POINTS=10000; \`RUNS=220 POINTS=1000\` for a quick one); ${new Date().toISOString().slice(0, 16)}Z.
A generated store of ${RUNS.toLocaleString('en')} runs x 5 metrics x ${POINTS.toLocaleString('en')} epochs (${(RUNS * 5 * POINTS / 1e6).toFixed(0)} million points,
${secs(genMs)} to generate), measured in headless ${chromium} (software rendering) on ${cpus().length} cores
(${cpus()[0]?.model ?? 'unknown CPU'}; load average ${load.toFixed(1)} when measured), median of ${ITERATIONS} fresh pages.

| page | runs table painted (from navigation) | Compare of 20 ticked runs painted (from the click) |
| --- | --- | --- |
${row(`export: \`hone dashboard\`, ${mb.toFixed(1)} MB self-contained HTML`, exported)}
${row('webview on a live DashboardFeed (as the extension hosts it)', hosted)}

Compare of 20 runs never shown, opened by the host (the tree's "Compare Selected Runs") on a new feed, times from the host's \`open\`:

| the runs' metrics cache | curves painted | each page | tables painted | the feed's watch | the last render and paint |
| --- | --- | --- | --- | --- | --- |
${coldRow('as the worker wrote it: first open after training', cold.first)}
${coldRow('reopened (stamped by the first open)', cold.reopened)}
${coldRow(`none (deleted first): ${(20 * POINTS).toLocaleString('en')} JSON lines parsed`, cold.uncached)}

Goals: runs table < 1 s, Compare < 500 ms. Cold Compare: first open after training ${goal(cold.first)}; reopened ${goal(cold.reopened)}; without a cache ${goal(cold.uncached)}.

- The export took ${secs(exportMs)} (it reads every run's series once, from its metrics cache, checking and stamping it). It inlines each run's series downsampled to
  ${pointsPerSeries(RUNS * 6)} min/max/last points (a budget of 2 million points shared by ${(RUNS * 6).toLocaleString('en')} series: 5 metrics and the
  learning rate per run), values to 6 significant digits, each run deflated and base64-encoded in its own element,
  decoded only when the page first shows the run.
- Hosted, the feed sends the runs first (\`init\`: run.json of every run, no metrics). Runs ticked in the table
  are watched at once, so their series (${POINTS.toLocaleString('en')} metric lines each, downsampled to 1,500 points per series)
  are there before Compare is pressed.
- The cold case (second table): after the host's \`open\` message the view paints its spec diff and metrics
  table at once, and its curves once a feed that has read nothing yet (a new DashboardFeed per page) has read
  the 20 runs' series. "The feed's watch" is the time DashboardFeed.watch took for them (reading, downsampling
  to 1,500 points per series); "the last render and paint" is the page drawing the curves once they were in;
  the rest is messaging: the webview's \`watch\` to the host, and the reply (20 runs x 6 series x 1,500
  points) crossing a Playwright binding as JSON text, as VS Code's postMessage carries them.
- The series come from each run's metrics cache (\`runs/<id>/metrics.cache\`, Float64 columns, see
  src/core/store/metrics-cache.ts), which the training worker writes when a run ends; the generator writes it
  the same way, right after metrics.jsonl. First open after training: each page opens a group of runs never
  opened before; their caches are not stamped yet (metrics.jsonl was modified less than 2 s before they were
  written), so the feed reads each metrics.jsonl once to check the CRC-32 of the bytes the cache covers (no
  JSON is parsed) and rewrites the cache stamped. Reopened: the same runs on the next page, the stamps trusted
  (a stat per run). No cache: another group never opened, its caches deleted first (as for runs made before
  the cache existed, or kinds whose process does not write it: exec, import, evaluate): the feed parses the
  ${(20 * POINTS).toLocaleString('en')} JSON lines and writes the caches. In every case the files were in the OS page cache (written
  minutes before; it is not dropped on a shared machine).
- Each Compare draws the spec diff, the metrics table and 6 charts of 20 runs; a chart draws at most 4,000 points
  (200 per run here), downsampled again in the webview.
- Times are wall-clock on a shared machine: the load average above says how busy it was.
`);
    console.log(readFileSync(join(ROOT, 'bench/RESULTS.md'), 'utf8'));
  } finally {
    await browser.close();
    removeTmpDir(dir);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

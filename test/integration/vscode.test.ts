// Hone in a real VS Code: code-server + headless Chromium, the packaged .vsix installed. One workbench
// window runs the checks in order (a window costs 10-16 s to open); a second server checks an
// untrusted workspace. Screenshots go to test-output/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ROOT, digitsSpec, waitFor } from '../helpers/cli';
import { inputBox, installCodeServer, openFile, openWorkbench, palette, quickPick, readJson, startServer, toast, type Server } from './code-server';

const SHOTS = join(ROOT, 'test-output/screenshots');
let vsix: string;
let ws: string;
let server: Server;
let browser: Browser;
let page: Page;

const store = () => join(ws, '.hone');
/** Every readable run.json of the workspace store (a folder being created has none yet). */
const runs = () =>
  (existsSync(join(store(), 'runs')) ? readdirSync(join(store(), 'runs')) : []).flatMap((id) => {
    try {
      return [readJson(join(store(), 'runs', id, 'run.json'))];
    } catch {
      return [];
    }
  });
const runWhere = (pred: (r: any) => boolean, ms = 120_000, what = 'a run') => waitFor(() => runs().find(pred), ms, what);
const shot = (name: string) => page.screenshot({ path: join(SHOTS, name) });

function workspace(): string {
  const dir = mkdtempSync('/tmp/hone-ws-');
  const seed = readJson(join(ROOT, 'examples/linear-regression-l2.hone.json'));
  delete seed.$schema;
  writeFileSync(join(dir, 'linear-regression-l2.hone.json'), JSON.stringify({ ...seed, train: { ...seed.train, epochs: 20 } }, null, 2));
  writeFileSync(join(dir, 'long.hone.json'), JSON.stringify(digitsSpec('long', { epochs: 400, batchSize: 16 }), null, 2));
  writeFileSync(join(dir, 'broken.hone.json'), JSON.stringify({ name: 'broken', data: { source: 'mnist', path: 'no-such-mnist-folder' }, model: { type: 'cnn' } }, null, 2));
  return dir;
}

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  installCodeServer(ROOT);
  vsix = join(mkdtempSync('/tmp/hone-vsix-'), 'hone.vsix');
  const pack = spawnSync('npx', ['vsce', 'package', '--no-dependencies', '-o', vsix], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(pack.status, 0, pack.stdout + pack.stderr);
  ws = workspace();
  server = await startServer(vsix, { 'hone.maxParallelRuns': 2 }, true);
  ({ browser, page } = await openWorkbench(server, ws));
});

after(async () => {
  await browser?.close();
  server?.stop();
});

/** A subtest that leaves a screenshot behind when it fails. */
const step = (t: { test: (name: string, fn: () => Promise<void>) => Promise<void> }, name: string, fn: () => Promise<void>) =>
  t.test(name, async () => {
    try {
      await fn();
    } catch (e) {
      await shot(`failed-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`).catch(() => undefined);
      throw e;
    }
  });

const tree = () => page.locator('.pane-body .monaco-list-row');
const treeRow = (text: string | RegExp) => tree().filter({ hasText: text }).first();

test('the Runs view, the command palette and a completed run', async (t) => {
  await step(t, 'the Hone view opens from the activity bar and shows its welcome content', async () => {
    await page.locator('.activitybar [aria-label^="Hone"]').first().click({ timeout: 90_000 });
    await page.getByText('No runs yet').first().waitFor({ timeout: 60_000 });
  });

  await step(t, 'Hone: Run Experiment from the palette trains the picked spec; the tree shows it completed', async () => {
    await palette(page, 'Hone: Run Experiment');
    await quickPick(page, 'linear-regression-l2.hone.json');
    const run = await runWhere((r) => r.status === 'completed' && r.name === 'linear-regression-l2', 120_000, 'the seed run to complete');
    await treeRow(/linear-regression-l2/).waitFor({ timeout: 30_000 });
    await treeRow(/completed/).waitFor({ timeout: 30_000 });
    assert.ok(run.final.test_mse > 0);
    await shot('runs-tree-completed.png');
  });

  await step(t, 'a spec problem the schema cannot express shows in the Problems panel with the CLI wording', async () => {
    await openFile(page, 'broken.hone.json');
    await palette(page, 'View: Toggle Problems');
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'data.path: expected' }).first().waitFor({ timeout: 30_000 });
    await shot('problems-panel.png');
  });

  await step(t, 'Hone: Show Output logs activation time and every worker process', async () => {
    await palette(page, 'Hone: Show Output');
    // Monaco renders spaces as no-break spaces: \s matches both.
    await page.locator('.view-line', { hasText: /activated\sin\s[\d.]+\sms/ }).first().waitFor({ timeout: 20_000 });
    const text = (await page.locator('.view-lines', { hasText: /started\sworker/ }).first().innerText()).replace(/\s+/g, ' ');
    const ms = Number(/activated in ([\d.]+) ms/.exec(text)![1]);
    console.log(`# ${/activated in .*?activate\(\) [\d.]+ ms\)/.exec(text)![0]}`);
    assert.match(text, /started worker pid \d+: .*worker\.js/);
    writeFileSync(join(ROOT, 'test-output/activation-ms.txt'), `${ms}\n`);
  });

  await step(t, 'Hone: New Experiment scaffolds a spec from a template', async () => {
    await palette(page, 'Hone: New Experiment');
    await quickPick(page, 'MLP on digits');
    await inputBox(page, 'e2e new');
    await waitFor(() => (existsSync(join(ws, 'e2e-new.hone.json')) ? true : undefined), 20_000, 'the new spec');
    assert.equal(readJson(join(ws, 'e2e-new.hone.json')).name, 'e2e new');
  });

  await step(t, 'Hone: Run Experiment With Overrides runs the active spec with path=value overrides', async () => {
    await page.locator('.tab', { hasText: 'e2e-new.hone.json' }).first().click();
    await palette(page, 'Hone: Run Experiment With Overrides');
    await inputBox(page, 'train.epochs=2 model.layers=[16]');
    const run = await runWhere((r) => r.experiment === 'e2e new' && r.status === 'completed', 120_000, 'the override run');
    assert.deepEqual(run.overrides, ['train.epochs=2', 'model.layers=[16]']);
    assert.equal(run.epochsDone, 2);
  });

  await step(t, 'the Run CodeLens starts a spec; Hone: Stop Run stops it, and it records stopped', async () => {
    await openFile(page, 'long.hone.json');
    await page.locator('.codelens-decoration a', { hasText: /^\s*Run\s*$/ }).first().click({ timeout: 30_000 });
    await runWhere((r) => r.name === 'long' && r.status === 'running' && r.epochsDone >= 1, 120_000, 'the long run to train');
    await treeRow(/epoch \d+\/400/).waitFor({ timeout: 30_000 });
    await shot('runs-tree-running.png');

    // While it trains: the dashboard shows its curves growing, live.
    await palette(page, 'Hone: Open Dashboard');
    const wv = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await wv.locator('.vt-body .vt-row', { hasText: 'long' }).first().click({ timeout: 60_000 });
    await wv.locator('vscode-button', { hasText: 'Curves' }).click();
    const card = wv.locator('section[data-view="curves"] .chart-card[data-metric="loss"]');
    const points = async () => Number((await card.getAttribute('data-points', { timeout: 30_000 })) ?? 0);
    const first = await points();
    for (const end = Date.now() + 60_000; (await points()) <= first && Date.now() < end; ) await page.waitForTimeout(500);
    assert.ok((await points()) > first, `the loss curve grew from ${first} points while the run trained`);
    await shot('vscode-dashboard-live-curves.png');

    await palette(page, 'Hone: Stop Run');
    await quickPick(page, /long/);
    await page.keyboard.press('Enter');
    await runWhere((r) => r.name === 'long' && r.status === 'stopped', 60_000, 'the long run to stop');
  });

  await step(t, 'Hone: Show Run Log opens the run log; Reveal Run Folder shows it in the Explorer', async () => {
    await palette(page, 'Hone: Show Run Log');
    await quickPick(page, /long/);
    await page.locator('.tab', { hasText: 'log.txt' }).first().waitFor({ timeout: 20_000 });
    const long = runs().find((r) => r.name === 'long');
    await palette(page, 'Hone: Reveal Run Folder');
    await quickPick(page, /long/);
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: long.id }).first().waitFor({ timeout: 20_000 });
  });

  await step(t, 'Compare Selected Runs on a multi-selection in the Runs tree opens the dashboard compare view', async () => {
    await page.locator('.activitybar [aria-label^="Hone"]').first().click();
    const first = treeRow(/linear-regression-l2\s*completed/);
    const second = treeRow(/train\.epochs=2/);
    await first.click();
    await second.click({ modifiers: ['Control'] });
    await second.click({ button: 'right' });
    const item = page.getByRole('menuitem', { name: 'Compare Selected Runs' }).first();
    await item.waitFor({ timeout: 20_000 });
    await item.hover();
    await item.click();
    const wv = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await wv.locator('section[data-view="compare"] table.diff tr.changed').first().waitFor({ timeout: 30_000 });
    await shot('vscode-dashboard-compare.png');
  });

  await step(t, 'Hone: Rerun starts the same spec again', async () => {
    const before = runs().filter((r) => r.experiment === 'linear-regression-l2').length;
    await palette(page, 'Hone: Rerun');
    await quickPick(page, 'linear-regression-l2');
    await waitFor(() => (runs().filter((r) => r.experiment === 'linear-regression-l2' && r.status === 'completed').length > before ? true : undefined), 120_000, 'the rerun');
  });

  await step(t, 'Hone: Delete Run asks, then removes the run and its files', async () => {
    const long = runs().find((r) => r.name === 'long');
    await palette(page, 'Hone: Delete Run');
    await quickPick(page, /long/);
    await page.keyboard.press('Enter');
    await page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Delete' }).first().click({ timeout: 20_000 });
    await waitFor(() => (existsSync(join(store(), 'runs', long.id)) ? undefined : true), 20_000, 'the run folder to go');
    await palette(page, 'Hone: Refresh Runs');
  });

  await step(t, 'Hone: Run the Seed Example writes and runs the seed spec', async () => {
    const before = runs().length;
    await palette(page, 'Hone: Run the Seed Example');
    await waitFor(() => (runs().length > before ? true : undefined), 30_000, 'a new run');
  });
});

test('an untrusted workspace runs nothing and says why', async () => {
  const untrusted = await startServer(vsix, {}, false);
  const dir = workspace();
  const w = await openWorkbench(untrusted, dir);
  try {
    await w.page.locator('.activitybar [aria-label^="Hone"]').first().click({ timeout: 90_000 });
    await w.page.getByText('does not start training in an untrusted workspace').first().waitFor({ timeout: 60_000 });
    await w.page.screenshot({ path: join(SHOTS, 'untrusted-view.png') });
    await palette(w.page, 'Hone: Run Experiment');
    await toast(w.page, 'does not run training in an untrusted workspace');
    assert.ok(!existsSync(join(dir, '.hone', 'runs')), 'no run was started');
  } finally {
    await w.browser.close();
    untrusted.stop();
  }
});

// The page hosted the way the extension hosts it, through a PageLink: when the store cannot be read the
// page says why instead of "Loading runs..." forever, and it loads once a refresh can read the store.
import { strict as assert } from 'node:assert';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DashboardFeed, PageLink, toWire } from '../../src/core/dashboard';
import { createRun } from '../../src/core/store';
import { openBrowser, waitPainted, writePanel, type Browser } from '../helpers/browser';
import { fakeRun } from '../helpers/store-fixtures';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';

describe('dashboard webview: a store that cannot be read', () => {
  let dir: string;
  let store: string;
  let b: Browser;
  let link: PageLink;

  before(async () => {
    dir = makeTmpDir();
    store = join(dir, 'store');
    mkdirSync(store);
    writeFileSync(join(store, 'runs'), 'not a folder');
    const url = writePanel(dir);
    b = await openBrowser();
    const page = b.page;
    link = new PageLink(new DashboardFeed(store), (m) => void page.evaluate((json) => window.postMessage(JSON.parse(json), '*'), JSON.stringify(toWire(m))));
    await page.exposeFunction('__honeToHost', async (m: unknown) => void (await link.receive(m)));
    await page.addInitScript(`window.acquireVsCodeApi = () => ({
      postMessage: (m) => window.__honeToHost(m),
      getState: () => null,
      setState: () => {},
    });`);
    await page.goto(url);
  });
  after(async () => {
    await b?.close();
    removeTmpDir(dir);
  });

  it('shows why instead of "Loading runs..."', async () => {
    const problem = b.page.locator('p.problem[role="alert"]');
    await problem.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match(await problem.textContent() ?? '', /^Could not read the store .*: ENOTDIR/);
    assert.equal(await b.page.locator('p.empty', { hasText: 'Loading runs...' }).isVisible(), false);
  });

  it('loads at the next refresh once the store can be read, and the message goes', async () => {
    rmSync(join(store, 'runs'));
    createRun(store, fakeRun({ name: 'back again' }));
    await link.refresh();
    await waitPainted(b.page, 'runs');
    await b.page.locator('.vt-body .vt-row', { hasText: 'back again' }).waitFor({ timeout: 15_000 });
    assert.equal(await b.page.locator('p.problem').isVisible(), false);
  });

  it('threw nothing and broke no CSP rule', () => {
    assert.deepEqual(b.problems, []);
  });
});

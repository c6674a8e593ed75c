// The dashboard page: its Content Security Policy, and inlined data that cannot break out of its element.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { inflateSync } from 'node:zlib';
import { dashboardHtml, newNonce, standaloneHtml, type Snapshot } from '../../src/core/dashboard';

const snapshot = (name: string): Snapshot => ({
  init: { type: 'init', protocol: 1, store: '/s', standalone: true, runs: [] },
  runs: [{ series: { type: 'series', runId: 'r1', lines: 1, metrics: { loss: { from: 0, step: [1], epoch: [1], time: [0], y: [null] } } }, detail: { type: 'detail', runId: 'r1', detail: { runDir: '/s/runs/r1', files: [], logTail: name, skipped: {}, versions: {}, host: 'h', seed: 1 } } }],
});

/** The text of each <script>/<style> element, as an HTML parser would cut it (up to the first `</tag`). */
const elements = (html: string, tag: string) => [...html.matchAll(new RegExp(`<${tag}([^>]*)>([\\s\\S]*?)</${tag}`, 'gi'))].map((m) => ({ attrs: m[1], text: m[2] }));

describe('dashboard: page HTML', () => {
  it('allows nothing by default, scripts only with the nonce, styles and images only from the webview', () => {
    const nonce = newNonce();
    assert.notEqual(nonce, newNonce(), 'a new nonce per load');
    const html = dashboardHtml({ scriptUri: 'vscode-webview://x/dist/webview.js', styleUri: 'vscode-webview://x/dist/webview.css', cspSource: 'vscode-webview://x', nonce });
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1];
    assert.deepEqual(csp.split('; '), [
      "default-src 'none'", 'img-src vscode-webview://x data:', 'font-src vscode-webview://x data:',
      `style-src vscode-webview://x 'nonce-${nonce}'`, `script-src 'nonce-${nonce}'`,
    ]);
    const scripts = elements(html, 'script');
    assert.equal(scripts.length, 1);
    assert.match(scripts[0].attrs, new RegExp(`nonce="${nonce.replace(/[+/]/g, '\\$&')}" src="vscode-webview://x/dist/webview.js"`));
    assert.doesNotMatch(html, /https?:/, 'no remote resource');
  });

  it('inlines data that cannot close its element, and reads back exactly', () => {
    const evil = '</script><script>alert(1)</script><!-- </style>';
    const html = standaloneHtml({ script: 'console.log("</script>")', style: 'a::after{content:"</style>"}', snapshot: snapshot(evil), nonce: 'n0' });
    const scripts = elements(html, 'script');
    assert.equal(scripts.length, 3, 'init, one run, the bundle: nothing else');
    const init = scripts.find((s) => s.attrs.includes('id="hone-init"'))!;
    assert.deepEqual(JSON.parse(init.text), snapshot(evil).init);
    const run = scripts.find((s) => s.attrs.includes('data-run="r1"'))!;
    assert.match(run.attrs, /data-encoding="deflate\+base64"/);
    assert.match(run.text, /^[A-Za-z0-9+/=]+$/);
    assert.deepEqual(JSON.parse(inflateSync(Buffer.from(run.text, 'base64')).toString()), snapshot(evil).runs[0]);
    assert.equal(scripts[1].text, 'console.log("<\\/script>")');
    assert.match(scripts[1].attrs, /nonce="n0"/);
    assert.equal(elements(html, 'style')[0].text, 'a::after{content:"<\\/style>"}');
    assert.match(html, /script-src 'nonce-n0'/);
  });

  it('carries the view to open after init (hone report), as data that cannot close its element either', () => {
    const open = { type: 'open' as const, view: 'tradeoff', runIds: ['</script><script>x'] };
    const scripts = elements(standaloneHtml({ script: '', style: '', snapshot: { ...snapshot('x'), open }, nonce: 'n0' }), 'script');
    assert.equal(scripts.length, 4, 'init, open, the bundle, one run');
    assert.deepEqual(JSON.parse(scripts.find((s) => s.attrs.includes('id="hone-open"'))!.text), open);
    assert.equal(elements(standaloneHtml({ script: '', style: '', snapshot: snapshot('x') }), 'script').filter((s) => s.attrs.includes('hone-open')).length, 0);
  });

  it('refuses a bundle whose comment opener would swallow the closing tag', () => {
    const args = { style: '', snapshot: snapshot('x') };
    assert.throws(() => standaloneHtml({ ...args, script: 'var s = "<!-- <script>";' }), /'<!--' then '<script'/);
    assert.doesNotThrow(() => standaloneHtml({ ...args, script: 'var s = `<!--${a}-->`; var t = "<script>";' }));
  });
});

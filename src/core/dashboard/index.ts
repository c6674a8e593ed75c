/**
 * The dashboard's host side, free of vscode: the message protocol and its validators, the incremental
 * store feed, downsampling, and the page HTML (webview and standalone). The webview imports only the pure
 * files (protocol, downsample, metrics), never this index, which pulls in Node modules.
 *
 * Hosting it in a webview panel (the extension):
 *   localResourceRoots: [dist/]; the page loads dist/webview.js and dist/webview.css only.
 *   webview.html = dashboardHtml({ scriptUri, styleUri, cspSource: webview.cspSource, nonce: newNonce() })
 *     with scriptUri/styleUri = webview.asWebviewUri(dist/webview.js | dist/webview.css).
 *   const feed = new DashboardFeed(storeDir); const link = new PageLink(feed, (m) => webview.postMessage(toWire(m)))
 *   webview.onDidReceiveMessage(async (m) => { const r = await link.receive(m) (it posts r.messages);
 *     r.reveal: reveal that path; r.error: log it (the message was malformed and ignored) })
 *   every ~1 s while visible (or on a store watcher event): link.refresh(); when the panel hides: link.hidden()
 *   "Compare Selected Runs": link.post({ type: 'open', view: 'compare', runIds }); it waits for the page's
 *     `ready` (the page drops messages that arrive before its listener, e.g. while a hidden panel reloads)
 */
export * from './protocol';
export { parseWebviewMessage, isRunId, type Parsed } from './validate';
export { DashboardFeed, type FeedOptions, type FeedReply } from './feed';
export { PageLink } from './link';
export { applyPatch, downsample, newSampler, pushPoint, samplerColumns, samplerPoints, takePatch, MAX_POINTS, type RawPoint, type Sampler } from './downsample';
export { runDetail, runFile, runInfo } from './run-info';
export { contentSecurityPolicy, dashboardHtml, newNonce, standaloneHtml, type Snapshot, type StandalonePage, type WebviewPage } from './html';
export { dashboardSnapshot, pointsPerSeries, type SnapshotOptions } from './export';
export { bestValue, higherIsBetter, sortMetrics } from './metrics';

import * as vscode from 'vscode';
import { resolve } from 'node:path';
import { DashboardFeed, dashboardHtml, newNonce, PageLink, toWire, type HostMessage } from '../core/dashboard';
import type { DashboardOpener } from './commands';

type View = Parameters<DashboardOpener['open']>[0];

/**
 * Hosts the dashboard webview (webview/, bundled in dist/): one panel, fed by a DashboardFeed over the
 * store. The panel is a pure function of what the feed posts; every message it sends back is validated
 * by the feed before anything is read or revealed. UI state lives in the webview (setState), so it
 * survives hide/show and reloads; `retainContextWhenHidden` is not needed. What reaches the page, and
 * when (reloads, a store that cannot be read), is the PageLink's business (core/dashboard/link.ts).
 */
export class DashboardPanel implements DashboardOpener {
  private panel?: vscode.WebviewPanel;
  private feed?: DashboardFeed;
  private link?: PageLink;
  private feedReadOnly = false;

  constructor(private readonly context: vscode.ExtensionContext, private readonly storeDir: () => string, private readonly readOnly: () => boolean) {}

  open(view: View = { view: 'runs' }): void {
    const open: HostMessage = view.view === 'compare' ? { type: 'open', view: 'compare', runIds: view.ids }
      : view.view === 'run' ? { type: 'open', view: 'detail', runIds: [view.id] }
        : view.view === 'sweep' ? { type: 'open', view: 'sweep', ...(view.id ? { sweepId: view.id } : {}) }
          : view.view === 'tradeoff' ? { type: 'open', view: 'tradeoff', ...(view.sweepId ? { sweepId: view.sweepId } : {}) }
            : { type: 'open', view: 'runs' };
    // Another store, or trust granted since: a new panel with a new feed.
    if (this.panel && (this.feed?.storeDir !== resolve(this.storeDir()) || this.feedReadOnly !== this.readOnly())) this.panel.dispose();
    if (!this.panel) this.create();
    else this.panel.reveal(undefined, true);
    this.link?.post(open);
  }

  /** Called on store changes: posts what changed (new runs, statuses, new points of watched runs). */
  refresh(): void {
    void this.link?.refresh();
  }

  private create(): void {
    const dist = vscode.Uri.joinPath(this.context.extensionUri, 'dist');
    const panel = vscode.window.createWebviewPanel('hone.dashboard', 'Hone Dashboard', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [dist],
    });
    panel.iconPath = vscode.Uri.joinPath(this.context.extensionUri, 'media', 'hone.svg');
    const w = panel.webview;
    w.html = dashboardHtml({
      scriptUri: w.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: w.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
      cspSource: w.cspSource,
      nonce: newNonce(),
    });
    this.feedReadOnly = this.readOnly();
    const feed = new DashboardFeed(this.storeDir(), { readOnly: this.feedReadOnly });
    const link = new PageLink(feed, (m: HostMessage) => void w.postMessage(toWire(m)));
    // Live updates even when nothing else refreshes (a run started from the CLI): poll while visible.
    const timer = setInterval(() => panel.visible && this.refresh(), 1000);
    w.onDidReceiveMessage(async (raw) => {
      const reply = await link.receive(raw);
      if (reply.error) {
        console.warn(`Hone dashboard: ${reply.error}`);
        // An edit the user made in the page that the store refused (a tag it cannot take) is theirs to know.
        if ((raw as { type?: string })?.type === 'annotate') void vscode.window.showErrorMessage(`Hone: ${reply.error}`);
      }
      if (reply.reveal) {
        const uri = vscode.Uri.file(reply.reveal);
        void vscode.commands.executeCommand(vscode.workspace.getWorkspaceFolder(uri) ? 'revealInExplorer' : 'revealFileInOS', uri);
      }
      if (reply.open) void vscode.window.showTextDocument(vscode.Uri.file(reply.open), { preview: true, viewColumn: vscode.ViewColumn.Beside });
    });
    // A hidden webview is unloaded (no retainContextWhenHidden) and reloads when shown again.
    panel.onDidChangeViewState(() => {
      if (!panel.visible) link.hidden();
    });
    panel.onDidDispose(() => {
      clearInterval(timer);
      this.panel = undefined;
      this.feed = undefined;
      this.link = undefined;
    });
    this.panel = panel;
    this.feed = feed;
    this.link = link;
  }

  dispose(): void {
    this.panel?.dispose();
  }
}

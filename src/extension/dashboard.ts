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
    if (!this.panel) this.create();
    else {
      this.reconnectIfStale();
      this.panel.reveal(undefined, true);
    }
    this.link?.post(open);
  }

  /**
   * Called on store changes, and when the settings or the workspace trust change: posts what changed (new
   * runs, statuses, new points of watched runs), or shows another store (or the same one, now writable) afresh.
   */
  refresh(): void {
    if (!this.reconnectIfStale()) void this.link?.refresh();
  }

  /**
   * Another store in the settings, or trust granted since the feed was made: the open page is reloaded on
   * a new feed, where it kept showing the old store until opened again. Returns whether it was.
   */
  private reconnectIfStale(): boolean {
    if (!this.panel || (this.feed?.storeDir === resolve(this.storeDir()) && this.feedReadOnly === this.readOnly())) return false;
    // What the old feed still has coming (an init, a poll) is for the page that is about to go.
    this.link?.hidden();
    this.connect(this.panel.webview);
    this.panel.webview.html = this.page(this.panel.webview);
    return true;
  }

  /** The page's HTML; a new nonce each time, so setting it again reloads the page. */
  private page(w: vscode.Webview): string {
    const dist = vscode.Uri.joinPath(this.context.extensionUri, 'dist');
    return dashboardHtml({
      scriptUri: w.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: w.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
      cspSource: w.cspSource,
      nonce: newNonce(),
    });
  }

  /** A feed over the store the settings name now, and the link that takes it to the page. */
  private connect(w: vscode.Webview): void {
    this.feedReadOnly = this.readOnly();
    this.feed = new DashboardFeed(this.storeDir(), { readOnly: this.feedReadOnly });
    this.link = new PageLink(this.feed, (m: HostMessage) => void w.postMessage(toWire(m)));
  }

  private create(): void {
    const panel = vscode.window.createWebviewPanel('hone.dashboard', 'Hone Dashboard', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.context.extensionUri, 'dist')],
    });
    panel.iconPath = vscode.Uri.joinPath(this.context.extensionUri, 'media', 'hone.svg');
    const w = panel.webview;
    this.connect(w);
    w.html = this.page(w);
    // Live updates even when nothing else refreshes (a run started from the CLI): poll while visible.
    const timer = setInterval(() => panel.visible && this.refresh(), 1000);
    w.onDidReceiveMessage(async (raw) => {
      const link = this.link;
      if (!link) return;
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
      if (!panel.visible) this.link?.hidden();
    });
    panel.onDidDispose(() => {
      clearInterval(timer);
      this.panel = undefined;
      this.feed = undefined;
      this.link = undefined;
    });
    this.panel = panel;
  }

  dispose(): void {
    this.panel?.dispose();
  }
}

import * as vscode from 'vscode';
import type { RunRecord } from '../core/store/types';
import { readRuns } from '../core/dashboard/source';
import { listSweepViews } from '../core/sweep';
import { experimentNodes, lineage, sameNode, type NodeModel } from './tree-model';
import { sweepNodes, sweepRunIds } from './sweep-model';
import { queueNode } from './queue-model';
import { serialized } from './serial';
import type { RemoteQueue } from '../core/queue';

const QUEUE_POLL_MS = 2000;

/**
 * The Runs view: sweeps with their trials, experiments with their runs, runs made from others nested
 * under them; from the store on disk (so runs started anywhere appear). In an untrusted workspace the
 * store is only read, never written (no index is made).
 */
export class RunsTree implements vscode.TreeDataProvider<NodeModel> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private nodes: NodeModel[] = [];
  private signature = '';
  records: RunRecord[] = [];
  /** Queues this window's sweeps run on now: each shows as a Queue node listing its agents. */
  readonly queues = new Set<RemoteQueue>();

  /**
   * Agents come, go and take jobs without a change to the store: while a Queue node shows, the tree
   * asks the queue again every QUEUE_POLL_MS (the agent list is cached for a second, and a redraw
   * happens only when something changed).
   */
  private readonly queuePoll = setInterval(() => void (this.queues.size && this.refresh()), QUEUE_POLL_MS);

  constructor(private readonly storeDir: () => string, private readonly readOnly: () => boolean) {}

  dispose(): void {
    clearInterval(this.queuePoll);
    this.changed.dispose();
  }

  /**
   * Re-reads the store (only run.json files that changed, through the index) and redraws. Calls while
   * one runs (the watcher, the queue poll, a run's end) are folded into one more after it.
   */
  readonly refresh = serialized(() => this.reload());

  private async reload(): Promise<void> {
    const store = this.storeDir();
    this.records = await readRuns(store, this.readOnly()).catch(() => []);
    const lin = lineage(this.records);
    const queues = await Promise.all([...this.queues].map(async (q) => queueNode(q.address.redacted, await q.agents())));
    const views = listSweepViews(store);
    const models = [...queues, ...sweepNodes(views, this.records, lin), ...experimentNodes(this.records, lin, sweepRunIds(views))];
    // Redraw only on change: a redraw drops VS Code's handles to the rendered nodes, so a selection
    // made just before it would reach commands as undefined.
    const signature = JSON.stringify(models);
    if (signature === this.signature) return;
    this.signature = signature;
    const previous = this.byId;
    this.byId = new Map();
    this.nodes = models.map((n) => sameNode(n, previous, this.byId));
    await vscode.commands.executeCommand('setContext', 'hone.hasRuns', this.records.length > 0 || models.length > 0);
    this.changed.fire();
  }

  /** The nodes last rendered, by id: the same object for the same id across refreshes (see `sameNode`). */
  private byId = new Map<string, NodeModel>();

  getChildren(node?: NodeModel): NodeModel[] {
    return node ? node.children ?? [] : this.nodes;
  }

  getTreeItem(n: NodeModel): vscode.TreeItem {
    // Sweeps other than the newest start collapsed: a long sweep's trials would push everything else down.
    const newestSweep = this.nodes.find((x) => x.sweepId)?.id;
    const state = !n.children ? vscode.TreeItemCollapsibleState.None
      : n.sweepId && n.id !== newestSweep ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded;
    const item = new vscode.TreeItem(n.label, state);
    item.id = n.id;
    item.description = n.description;
    item.tooltip = new vscode.MarkdownString(n.tooltip);
    item.iconPath = new vscode.ThemeIcon(n.icon.id, n.icon.color ? new vscode.ThemeColor(n.icon.color) : undefined);
    item.contextValue = n.contextValue;
    if (n.runId) item.command = { command: 'hone.openRun', title: 'Open in Dashboard', arguments: [n] };
    else if (n.sweepId) item.command = { command: 'hone.openSweep', title: 'Open Sweep', arguments: [n] };
    return item;
  }
}

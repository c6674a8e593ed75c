import * as vscode from 'vscode';
import { readRunRecord, runDirOf, syncIndex } from '../core/store';
import type { RunRecord } from '../core/store/types';
import { experimentNodes, type NodeModel } from './tree-model';
import { sweepNodes } from './sweep-model';
import { listSweepViews } from '../core/sweep';

/** The Runs view: experiments and their runs, from the store on disk (so runs started anywhere appear). */
export class RunsTree implements vscode.TreeDataProvider<NodeModel> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private nodes: NodeModel[] = [];
  private signature = '';
  records: RunRecord[] = [];

  constructor(private readonly storeDir: () => string) {}

  /** Re-reads the store (only run.json files that changed, through the index) and redraws. */
  async refresh(): Promise<void> {
    const store = this.storeDir();
    const summaries = await syncIndex(store).catch(() => []);
    this.records = summaries.flatMap((s) => readRunRecord(runDirOf(store, s.id)) ?? []);
    // Trials group under their sweep; every other run under its experiment.
    const sweeps = listSweepViews(store);
    const models = [...sweepNodes(sweeps, this.records), ...experimentNodes(this.records.filter((r) => !r.sweep))];
    // Redraw only on change: a redraw drops VS Code's handles to the rendered nodes, so a selection
    // made just before it would reach commands as undefined.
    const signature = JSON.stringify(models);
    if (signature === this.signature) return;
    this.signature = signature;
    const previous = this.byId;
    this.byId = new Map();
    this.nodes = models.map((n) => this.stable(n, previous));
    await vscode.commands.executeCommand('setContext', 'hone.hasRuns', this.records.length > 0);
    this.changed.fire();
  }

  /**
   * The same object for the same id across refreshes: VS Code hands commands the elements it last
   * rendered, and a selection made before a refresh must still name live nodes.
   */
  private byId = new Map<string, NodeModel>();
  private stable(n: NodeModel, previous: Map<string, NodeModel>): NodeModel {
    const node = Object.assign(previous.get(n.id) ?? {}, n, { children: n.children?.map((c) => this.stable(c, previous)) });
    this.byId.set(n.id, node);
    return node;
  }

  getChildren(node?: NodeModel): NodeModel[] {
    return node ? node.children ?? [] : this.nodes;
  }

  getTreeItem(n: NodeModel): vscode.TreeItem {
    const item = new vscode.TreeItem(n.label, n.children ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.id = n.id;
    item.description = n.description;
    item.tooltip = new vscode.MarkdownString(n.tooltip);
    item.iconPath = new vscode.ThemeIcon(n.icon.id, n.icon.color ? new vscode.ThemeColor(n.icon.color) : undefined);
    item.contextValue = n.contextValue;
    if (n.runId) item.command = { command: 'hone.openRun', title: 'Open Run', arguments: [n] };
    return item;
  }
}

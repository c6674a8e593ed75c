/**
 * Hone's VS Code entry point: wires the thin adapters (tree, commands, diagnostics, status bar,
 * dashboard) to the core. Everything heavy (training) runs in worker processes; activation only
 * registers things and reads the store (in an untrusted workspace without writing anything).
 */
import * as vscode from 'vscode';
import { join } from 'node:path';
import { dataDir, readSettings } from './settings';
import { RunsTree } from './tree';
import { RunManager } from './runs';
import { StoreWatcher } from './watcher';
import { registerCommands, type CommandDeps } from './commands';
import { registerSweepCommands } from './sweep-commands';
import { registerAnnotateCommands } from './annotate-commands';
import { registerDeriveCommands } from './derive-commands';
import { specDiagnostics } from './diagnostics';
import { SpecCodeLens } from './codelens';
import { statusBar } from './status-bar';
import { DashboardPanel } from './dashboard';

/** Set by the bundle's first line (scripts/build.mjs banner); when run unbundled, the module's end. */
const moduleLoaded = performance.now();
const loadStart = (globalThis as { __honeLoadStart?: number }).__honeLoadStart ?? moduleLoaded;

export function activate(context: vscode.ExtensionContext): void {
  const activateStart = performance.now();
  const log = vscode.window.createOutputChannel('Hone');
  const storeDir = () => readSettings().storeDir;
  const readOnly = () => !vscode.workspace.isTrusted;
  const tree = new RunsTree(storeDir, readOnly);
  const status = statusBar();
  const dashboard = new DashboardPanel(context, storeDir, readOnly);
  const refresh = async () => {
    await tree.refresh();
    status.update(tree.records);
    dashboard.refresh();
  };
  const runs = new RunManager({
    storeDir,
    limit: () => readSettings().maxParallelRuns,
    workerPath: join(context.extensionPath, 'dist', 'worker.js'),
    log,
    onChange: () => void refresh(),
  });
  const watcher = new StoreWatcher(storeDir, () => void refresh());
  const view = vscode.window.createTreeView('hone.runs', { treeDataProvider: tree, canSelectMany: true, showCollapseAll: true });
  const deps: CommandDeps = { runs, tree, selection: () => view.selection, dashboard, log, refresh, memory: context.workspaceState };
  context.subscriptions.push(
    log,
    view,
    tree,
    status.item,
    dashboard,
    { dispose: () => runs.dispose() },
    { dispose: () => watcher.dispose() },
    ...registerCommands(deps),
    ...registerSweepCommands(deps, join(context.extensionPath, 'dist')),
    ...registerAnnotateCommands(deps),
    ...registerDeriveCommands(deps, join(context.extensionPath, 'dist')),
    specDiagnostics(dataDir),
    vscode.languages.registerCodeLensProvider({ scheme: 'file', pattern: '**/*.hone.json' }, new SpecCodeLens()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void refresh()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('hone.maxParallelRuns')) runs.startQueued();
      if (e.affectsConfiguration('hone')) void refresh();
    }),
  );
  const end = performance.now();
  const ms = (a: number, b: number) => (b - a).toFixed(1);
  // What Hone itself costs: loading its bundle plus activate(). (VS Code may call activate a while
  // after loading the module; that wait is the editor's, not ours, and is not counted.)
  const total = moduleLoaded - loadStart + (end - activateStart);
  log.appendLine(`Hone ${context.extension.packageJSON.version} activated in ${total.toFixed(1)} ms (bundle load ${ms(loadStart, moduleLoaded)} ms + activate() ${ms(activateStart, end)} ms); store ${storeDir()}${readOnly() ? ' (untrusted workspace: read only)' : ''}`);
}

export function deactivate(): void {}

import * as vscode from 'vscode';
import { existsSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { formatProblems, loadSpecFile } from '../core/spec';
import { withAbsolutePaths } from '../core/spec/absolute-paths';
import { LOG_FILE, removeRun, resolveRun, runDirOf } from '../core/store';
import { isTrainRecord, type RunRecord } from '../core/store/types';
import type { RunRequest } from '../core/runner';
import { overridesProblem, selectedRunIds, specFileName, splitOverrides } from './args';
import { readSettings, workspaceRoot } from './settings';
import { SEED_TEMPLATE, TEMPLATES } from './templates';
import type { RunManager } from './runs';
import type { RunsTree } from './tree';
import type { NodeModel } from './tree-model';
import { version } from '../../package.json';
import { backendDir, installGpuBackend, type InstallableBackend } from '../core/backends';

/** How commands reach the dashboard panel (hosted in dashboard.ts). */
export interface DashboardOpener {
  open(view?: { view: 'runs' } | { view: 'compare'; ids: string[] } | { view: 'run'; id: string }): void;
}

export interface CommandDeps {
  runs: RunManager;
  tree: RunsTree;
  /** The Runs view's current selection. */
  selection: () => readonly NodeModel[];
  dashboard: DashboardOpener;
  log: vscode.OutputChannel;
  refresh: () => Promise<void>;
}

/** Nothing starts a process in an untrusted workspace: specs can point the engine at any file. */
export function trusted(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showErrorMessage('Hone does not run training in an untrusted workspace. Trust this folder to run experiments.', 'Manage Workspace Trust')
    .then((pick) => pick && vscode.commands.executeCommand('workbench.trust.manage'));
  return false;
}

/** The spec a run command acts on: the given file, the active editor's spec, or one picked from the workspace. */
export async function pickSpec(uri?: vscode.Uri): Promise<vscode.Uri | undefined> {
  if (uri instanceof vscode.Uri) return uri;
  const active = vscode.window.activeTextEditor?.document;
  if (active?.fileName.endsWith('.hone.json')) return active.uri;
  const found = await vscode.workspace.findFiles('**/*.hone.json', '**/node_modules/**', 200);
  if (!found.length) {
    void vscode.window.showWarningMessage('No *.hone.json spec in this workspace. Create one with "Hone: New Experiment".');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(found.map((u) => ({ label: basename(u.fsPath), description: vscode.workspace.asRelativePath(u), uri: u })), { placeHolder: 'Spec to run' });
  return pick?.uri;
}

/** The runs a command acts on: tree selection, else a quick pick over runs matching `filter`. */
async function pickRuns(deps: CommandDeps, node: NodeModel | undefined, nodes: readonly NodeModel[] | undefined, filter: (r: RunRecord) => boolean, many = false): Promise<string[]> {
  const ids = selectedRunIds(node, nodes);
  if (ids.length) return ids;
  const items = deps.tree.records.filter(filter).map((r) => ({ label: r.name, description: `${r.status} · ${r.id}`, id: r.id }));
  if (!items.length) {
    void vscode.window.showInformationMessage('Hone: no run to choose from.');
    return [];
  }
  const picked = await vscode.window.showQuickPick(items, { canPickMany: many, placeHolder: 'Run' });
  return picked === undefined ? [] : (Array.isArray(picked) ? picked : [picked]).map((p) => p.id);
}

/** Validates and queues a spec file; shows a cancellable notification until the worker reports its backend. */
async function runSpec(deps: CommandDeps, uri: vscode.Uri | undefined, sets: string[]): Promise<void> {
  if (!trusted()) return;
  const file = await pickSpec(uri);
  if (!file) return;
  await vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file.fsPath)?.save();
  const s = readSettings();
  const backendSet = s.backend !== 'auto' && !sets.some((x) => x.startsWith('backend=')) ? [`backend=${s.backend}`] : [];
  const overrides = [...sets, ...backendSet];
  const loaded = loadSpecFile(file.fsPath, overrides, s.datasetsDir ?? dirname(file.fsPath));
  if (!loaded.spec) {
    deps.log.appendLine(formatProblems(file.fsPath, loaded.problems));
    void vscode.window.showErrorMessage(`Hone: ${basename(file.fsPath)} has ${loaded.problems.length} problem(s): ${formatProblems(basename(file.fsPath), loaded.problems.slice(0, 3))}`);
    return;
  }
  const spec = withAbsolutePaths(loaded.spec, s.datasetsDir ?? dirname(file.fsPath));
  await startWithProgress(deps, { storeDir: s.storeDir, spec, specPath: file.fsPath, overrides, versions: { hone: version } });
}

async function startWithProgress(deps: CommandDeps, req: RunRequest): Promise<void> {
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Hone: starting ${req.spec.name}`, cancellable: true }, (progress, token) =>
    new Promise<void>((resolve) => {
      const run = deps.runs.enqueue(req, (m) => {
        if (m.type === 'started') {
          progress.report({ message: `training on ${m.backend.name}` });
          resolve();
        }
        if (m.type === 'finished') resolve();
      });
      if (deps.runs.queuedCount > 0) progress.report({ message: 'queued: all run slots are busy' });
      token.onCancellationRequested(() => {
        deps.runs.stop(req.storeDir, run.record.id);
        resolve();
      });
      void deps.refresh();
    }),
  );
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const store = () => readSettings().storeDir;
  const reg = (id: string, fn: (...args: any[]) => unknown) => vscode.commands.registerCommand(id, fn);
  const isActive = (r: RunRecord) => r.status === 'running' || r.status === 'queued';
  return [
    reg('hone.newExperiment', async () => {
      const pick = await vscode.window.showQuickPick(TEMPLATES.map((t) => ({ label: t.label, detail: t.detail, t })), { placeHolder: 'Start from a template' });
      if (!pick) return;
      const name = await vscode.window.showInputBox({ prompt: 'Experiment name', value: String(pick.t.spec.name) });
      if (!name) return;
      const root = workspaceRoot();
      if (!root) return void vscode.window.showErrorMessage('Hone: open a folder first; specs live in the workspace.');
      const file = join(root, specFileName(name));
      if (existsSync(file)) return void vscode.window.showErrorMessage(`Hone: ${basename(file)} already exists.`);
      writeFileSync(file, JSON.stringify({ ...pick.t.spec, name }, null, 2) + '\n');
      await vscode.window.showTextDocument(vscode.Uri.file(file));
    }),
    reg('hone.runExperiment', (uri?: vscode.Uri) => runSpec(deps, uri, [])),
    reg('hone.runWithOverrides', async (uri?: vscode.Uri) => {
      const input = await vscode.window.showInputBox({ prompt: 'Overrides: path=value, separated by spaces', placeHolder: 'train.lr=0.01 train.l2=0.001', validateInput: overridesProblem });
      if (input !== undefined) await runSpec(deps, uri, splitOverrides(input));
    }),
    reg('hone.runSeedExample', async () => {
      const root = workspaceRoot();
      if (!root) return void vscode.window.showErrorMessage('Hone: open a folder first.');
      const file = join(root, specFileName(String(SEED_TEMPLATE.spec.name)));
      if (!existsSync(file)) writeFileSync(file, JSON.stringify(SEED_TEMPLATE.spec, null, 2) + '\n');
      await runSpec(deps, vscode.Uri.file(file), []);
    }),
    reg('hone.stopRun', async (node?: NodeModel, nodes?: NodeModel[]) => {
      for (const id of await pickRuns(deps, node, nodes, isActive, true)) {
        try {
          deps.runs.stop(store(), id);
        } catch (e) {
          void vscode.window.showWarningMessage(`Hone: ${(e as Error).message}`);
        }
      }
      await deps.refresh();
    }),
    reg('hone.rerun', async (node?: NodeModel, nodes?: NodeModel[]) => {
      if (!trusted()) return;
      for (const id of await pickRuns(deps, node, nodes, () => true)) {
        const { record } = resolveRun(store(), id);
        if (!isTrainRecord(record)) {
          void vscode.window.showWarningMessage(`Hone: ${record.name} is a ${record.kind} run; only runs Hone trained can be rerun.`);
          continue;
        }
        await startWithProgress(deps, { storeDir: store(), spec: record.spec, specPath: record.specPath, overrides: record.overrides, versions: { hone: version } });
      }
    }),
    reg('hone.deleteRun', async (node?: NodeModel, nodes?: NodeModel[]) => {
      const ids = await pickRuns(deps, node, nodes, (r) => !isActive(r), true);
      if (!ids.length) return;
      const ok = await vscode.window.showWarningMessage(`Delete ${ids.length} run(s) and their files?`, { modal: true }, 'Delete');
      if (ok !== 'Delete') return;
      for (const id of ids) await removeRun(store(), id).catch((e: Error) => vscode.window.showErrorMessage(`Hone: ${e.message}`));
      await deps.refresh();
    }),
    reg('hone.revealRunFolder', async (node?: NodeModel) => {
      const [id] = await pickRuns(deps, node, undefined, () => true);
      if (!id) return;
      const uri = vscode.Uri.file(runDirOf(store(), id));
      const inWorkspace = vscode.workspace.getWorkspaceFolder(uri) !== undefined;
      await vscode.commands.executeCommand(inWorkspace ? 'revealInExplorer' : 'revealFileInOS', uri);
    }),
    reg('hone.showRunLog', async (node?: NodeModel) => {
      const [id] = await pickRuns(deps, node, undefined, () => true);
      if (id) await vscode.window.showTextDocument(vscode.Uri.file(join(runDirOf(store(), id), LOG_FILE)), { preview: true });
    }),
    reg('hone.openDashboard', () => deps.dashboard.open({ view: 'runs' })),
    reg('hone.openRun', (node?: NodeModel) => node?.runId && deps.dashboard.open({ view: 'run', id: node.runId })),
    reg('hone.compareRuns', async (node?: NodeModel, nodes?: NodeModel[]) => {
      // The clicked nodes, else the Runs view's selection (the palette passes nothing), else a pick.
      const fromTree = [selectedRunIds(node, nodes), selectedRunIds(undefined, deps.selection())].find((ids) => ids.length >= 2);
      const ids = fromTree ?? (await pickRuns(deps, undefined, undefined, () => true, true));
      if (ids.length < 2) return void vscode.window.showInformationMessage('Hone: select two or more runs to compare (Ctrl/Cmd-click in the Runs view).');
      deps.dashboard.open({ view: 'compare', ids });
    }),
    reg('hone.installGpuBackend', async () => {
      if (!trusted()) return;
      const variants: { label: InstallableBackend; detail: string }[] = [
        { label: 'tensorflow-gpu', detail: '@tensorflow/tfjs-node-gpu: needs CUDA 11.2 + cuDNN 8.1; downloads libtensorflow' },
        { label: 'tensorflow', detail: '@tensorflow/tfjs-node: native CPU; downloads libtensorflow' },
        { label: 'webgpu', detail: 'webgpu (Dawn) + @tensorflow/tfjs-backend-webgpu: a GPU with a Vulkan driver' },
      ];
      const pick = await vscode.window.showQuickPick(variants, { placeHolder: `Install into ${backendDir()} (shared with \`hone backend install\`)` });
      if (!pick) return;
      deps.log.show(true);
      try {
        const done = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Hone: installing ${pick.label}` }, () =>
          installGpuBackend(backendDir(), pick.label, (line) => deps.log.appendLine(line)));
        void vscode.window.showInformationMessage(`Hone: installed ${done.packages.join(', ')}; runs with backend auto will try it first.`);
      } catch (e) {
        void vscode.window.showErrorMessage(`Hone: could not install ${pick.label}: ${(e as Error).message}`);
      }
    }),
    reg('hone.refresh', () => deps.refresh()),
    reg('hone.showOutput', () => deps.log.show(true)),
  ];
}

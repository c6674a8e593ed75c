import * as vscode from 'vscode';
import { existsSync, writeFileSync } from 'node:fs';
import { registerCommand } from './register';
import { basename, join } from 'node:path';
import { formatProblems, loadSpecFile } from '../core/spec';
import { withAbsolutePaths } from '../core/spec/absolute-paths';
import { LOG_FILE, resolveRun, runDirOf } from '../core/store';
import { isTrainRecord, type RunRecord } from '../core/store/types';
import type { RunRequest } from '../core/runner';
import { overridesProblem, problemCount, selectedRunIds, specFileName, splitOverrides } from './args';
import { dataDir, readSettings, workspaceRoot } from './settings';
import { SEED_TEMPLATE, SWEEP_TEMPLATE, TEMPLATES } from './templates';
import type { RunManager } from './runs';
import { startWithProgress } from './start-run';
import { deleteRuns } from './delete-runs';
import type { RunsTree } from './tree';
import { isActive, type NodeModel } from './tree-model';
import { pickRuns, pickSpec, readOnlyRefusal, trusted } from './pick';
import { version } from '../../package.json';
import { backendDir, installGpuBackend, type InstallableBackend } from '../core/backends';
import type { BackendName } from '../core/spec/types';
import { applyBackendSetting } from './backend-setting';

/** How commands reach the dashboard panel (hosted in dashboard.ts). */
export interface DashboardOpener {
  open(view?: { view: 'runs' } | { view: 'compare'; ids: string[] } | { view: 'run'; id: string } | { view: 'sweep'; id?: string } | { view: 'tradeoff'; sweepId?: string }): void;
}

export interface CommandDeps {
  runs: RunManager;
  tree: RunsTree;
  /** The Runs view's current selection. */
  selection: () => readonly NodeModel[];
  dashboard: DashboardOpener;
  log: vscode.OutputChannel;
  refresh: () => Promise<void>;
  /** Kept across sessions: the overrides last used per spec. */
  memory: vscode.Memento;
}

export { pickSpec, trusted };

/**
 * What a run's provenance says made it: the editor command, the spec, its overrides and the backend the
 * `hone.backend` setting chose for it, if any (`hone run` records its argv instead).
 */
export const editorCommand = (command: string, file?: string, sets: string[] = [], backendSetting?: BackendName): string[] =>
  [`VS Code: Hone: ${command}`, ...(file ? [vscode.workspace.asRelativePath(file)] : []), ...sets, ...(backendSetting ? [`(setting hone.backend: ${backendSetting})`] : [])];

/** Validates and queues a spec file; shows a cancellable notification until the worker reports its backend. */
async function runSpec(deps: CommandDeps, file: vscode.Uri, sets: string[], command: string): Promise<void> {
  await vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file.fsPath)?.save();
  const s = readSettings();
  const loaded = loadSpecFile(file.fsPath, sets, dataDir(file.fsPath));
  if (!loaded.spec) {
    deps.log.appendLine(formatProblems(file.fsPath, loaded.problems));
    const pick = await vscode.window.showErrorMessage(`Hone: ${basename(file.fsPath)} has ${problemCount(loaded.problems)} problem(s): ${formatProblems(basename(file.fsPath), loaded.problems.filter((p) => p.kind !== 'omitted').slice(0, 3))}`, 'Show Problems');
    if (pick) await vscode.commands.executeCommand('workbench.actions.view.problems');
    return;
  }
  const { spec, applied } = applyBackendSetting(withAbsolutePaths(loaded.spec, dataDir(file.fsPath)), s.backend);
  await startTraining(deps, { storeDir: s.storeDir, spec, specPath: file.fsPath, overrides: sets, versions: { hone: version }, command: editorCommand(command, file.fsPath, sets, applied) });
}

const startTraining = (deps: CommandDeps, req: RunRequest) => startWithProgress(deps, `starting ${req.spec.name}`, 'training', (o) => deps.runs.enqueue(req, o));

/** Writes a template as a new spec in the workspace root and opens it; undefined when the user gave up. */
async function newSpec(spec: Record<string, unknown>, name?: string): Promise<vscode.Uri | undefined> {
  const root = workspaceRoot();
  if (!root) return void vscode.window.showErrorMessage('Hone: open a folder first; specs live in the workspace.');
  const chosen = name ?? (await vscode.window.showInputBox({
    title: 'New Experiment', prompt: 'Experiment name (the spec file is named after it)', value: String(spec.name),
    validateInput: (v) => (!v.trim() ? 'a name' : existsSync(join(root, specFileName(v))) ? `${specFileName(v)} already exists` : undefined),
  }));
  if (!chosen) return undefined;
  const file = join(root, specFileName(chosen));
  if (existsSync(file)) return void vscode.window.showErrorMessage(`Hone: ${basename(file)} already exists.`);
  writeFileSync(file, JSON.stringify({ ...spec, name: chosen }, null, 2) + '\n');
  await vscode.window.showTextDocument(vscode.Uri.file(file));
  return vscode.Uri.file(file);
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const store = () => readSettings().storeDir;
  const reg = (id: string, fn: (...args: any[]) => unknown) => registerCommand(deps.log, id, fn);
  const runsOf = (p: Omit<Parameters<typeof pickRuns>[0], 'records'>) => pickRuns({ records: deps.tree.records, ...p });
  return [
    reg('hone.newExperiment', async (preset?: string) => {
      const pick = preset === 'sweep' ? { t: SWEEP_TEMPLATE } : await vscode.window.showQuickPick(TEMPLATES.map((t) => ({ label: t.label, detail: t.detail, t })), { title: 'New Experiment', placeHolder: 'Start from a template' });
      if (pick) await newSpec(pick.t.spec);
    }),
    reg('hone.runExperiment', async (uri?: vscode.Uri) => {
      if (!trusted()) return;
      const file = await pickSpec(uri, { purpose: 'Spec to run (once, without its sweep)' });
      if (file) await runSpec(deps, file, [], 'Run Experiment');
    }),
    reg('hone.runWithOverrides', async (uri?: vscode.Uri) => {
      if (!trusted()) return;
      const file = await pickSpec(uri, { purpose: 'Spec to run with overrides' });
      if (!file) return;
      const key = `overrides:${file.toString()}`;
      const input = await vscode.window.showInputBox({
        title: `Run ${vscode.workspace.asRelativePath(file)} With Overrides`,
        prompt: 'path=value pairs, separated by spaces; each replaces that field of the spec for this run only',
        placeHolder: 'train.lr=0.01 train.l2=0.001 model.layers=[64,32]',
        value: deps.memory.get<string>(key, ''),
        validateInput: overridesProblem,
      });
      if (input === undefined) return;
      await deps.memory.update(key, input);
      // validateInput let through only input that splits.
      await runSpec(deps, file, splitOverrides(input) as string[], 'Run Experiment With Overrides');
    }),
    reg('hone.runSeedExample', async () => {
      if (!trusted()) return;
      const root = workspaceRoot();
      if (!root) return void vscode.window.showErrorMessage('Hone: open a folder first.');
      // A copy of the seed example already in the workspace (examples/ of a clone) is run as it is.
      const name = String(SEED_TEMPLATE.spec.name);
      const existing = (await vscode.workspace.findFiles(`**/${specFileName(name)}`, '**/{node_modules,.hone}/**', 1))[0];
      const file = existing ?? (await newSpec(SEED_TEMPLATE.spec, name));
      if (!file) return;
      if (existing) await vscode.window.showTextDocument(existing, { preview: false });
      else deps.log.appendLine(`wrote ${file.fsPath} (the seed example)`);
      await runSpec(deps, file, [], 'Run the Seed Example');
    }),
    reg('hone.stopRun', async (node?: NodeModel, nodes?: NodeModel[]) => {
      for (const id of await runsOf({ node, nodes, filter: isActive, many: true, placeHolder: 'Runs to stop' })) {
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
      for (const id of await runsOf({ node, nodes, filter: isTrainRecord, placeHolder: 'Run to train again with the same spec' })) {
        const { record } = resolveRun(store(), id);
        if (!isTrainRecord(record)) {
          void vscode.window.showWarningMessage(`Hone: ${record.name} is a ${record.kind} run; Rerun repeats training runs only (run its spec file again instead).`);
          continue;
        }
        const { spec, applied } = applyBackendSetting(record.spec, readSettings().backend);
        await startTraining(deps, { storeDir: store(), spec, specPath: record.specPath, overrides: record.overrides, versions: { hone: version }, command: editorCommand('Rerun', record.specPath, record.overrides, applied) });
      }
    }),
    reg('hone.deleteRun', async (node?: NodeModel, nodes?: NodeModel[]) => {
      if (!trusted(readOnlyRefusal('delete runs'))) return;
      const ids = await runsOf({ node, nodes, filter: (r: RunRecord) => !isActive(r), many: true, placeHolder: 'Runs to delete' });
      if (ids.length) await deleteRuns(deps, ids);
    }),
    reg('hone.revealRunFolder', async (node?: NodeModel) => {
      const [id] = await runsOf({ node, filter: () => true, placeHolder: 'Run whose folder to reveal' });
      if (!id) return;
      const uri = vscode.Uri.file(runDirOf(store(), id));
      const inWorkspace = vscode.workspace.getWorkspaceFolder(uri) !== undefined;
      await vscode.commands.executeCommand(inWorkspace ? 'revealInExplorer' : 'revealFileInOS', uri);
    }),
    reg('hone.showRunLog', async (node?: NodeModel) => {
      const [id] = await runsOf({ node, filter: () => true, placeHolder: 'Run whose log to show' });
      if (!id) return;
      const log = join(runDirOf(store(), id), LOG_FILE);
      // A queued run has written nothing yet.
      if (!existsSync(log)) return void vscode.window.showInformationMessage(`Hone: run ${id} has no log yet (${log})`);
      await vscode.window.showTextDocument(vscode.Uri.file(log), { preview: true });
    }),
    reg('hone.openDashboard', () => deps.dashboard.open({ view: 'runs' })),
    reg('hone.openRun', async (node?: NodeModel) => {
      const [id] = node?.runId ? [node.runId] : await runsOf({ filter: () => true, placeHolder: 'Run to open in the dashboard' });
      if (id) deps.dashboard.open({ view: 'run', id });
    }),
    reg('hone.compareRuns', async (node?: NodeModel, nodes?: NodeModel[]) => {
      // The clicked nodes, else the Runs view's selection (the palette passes nothing), else a pick.
      const fromTree = [selectedRunIds(node, nodes), selectedRunIds(undefined, deps.selection())].find((ids) => ids.length >= 2);
      const ids = fromTree ?? (await runsOf({ filter: () => true, many: true, placeHolder: 'Runs to compare (two or more)' }));
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
        deps.log.appendLine(`installing ${pick.label} into ${backendDir()} (npm)`);
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

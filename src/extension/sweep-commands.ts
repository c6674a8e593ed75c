import * as vscode from 'vscode';
import { join } from 'node:path';
import { listSweepViews, requestSweepStop, resumeSweep, startSweep, type SweepHandle } from '../core/sweep';
import { readSettings } from './settings';
import { pickSpec, trusted, type CommandDeps } from './commands';
import type { NodeModel } from './tree-model';
import { version } from '../../package.json';

/**
 * Hone: Start Sweep / Resume Sweep / Stop Sweep. This window coordinates the sweeps it starts or
 * resumes (trials are worker processes like any run); a sweep coordinated elsewhere is stopped
 * through its stop file, and one whose coordinator died (a reloaded window) is resumed here.
 */
export function registerSweepCommands(deps: CommandDeps, workerDir: string): vscode.Disposable[] {
  const handles = new Map<string, SweepHandle>();
  const options = () => {
    const s = readSettings();
    return { storeDir: s.storeDir, workerPath: join(workerDir, 'worker.js'), versions: { hone: version }, parallel: s.maxParallelRuns, onEvent: () => void deps.refresh() };
  };
  const follow = (h: SweepHandle) => {
    handles.set(h.id, h);
    deps.log.appendLine(`sweep ${h.id} coordinated by this window`);
    h.done
      .then((rec) => void vscode.window.showInformationMessage(`Hone: sweep ${rec.name} ${rec.status}${rec.message ? `: ${rec.message}` : ''}`))
      .catch((e: Error) => void vscode.window.showErrorMessage(`Hone: sweep ${h.id}: ${e.message}`))
      .finally(() => {
        handles.delete(h.id);
        void deps.refresh();
      });
  };
  const pickSweep = async (node: NodeModel | undefined, states: string[]): Promise<string | undefined> => {
    if (node?.sweepId) return node.sweepId;
    const items = listSweepViews(readSettings().storeDir)
      .filter((v) => states.includes(v.status))
      .map((v) => ({ label: v.name, description: `${v.status} · ${v.id}`, id: v.id }));
    if (!items.length) return void vscode.window.showInformationMessage(`Hone: no sweep that is ${states.join(' or ')}.`);
    return (await vscode.window.showQuickPick(items, { placeHolder: 'Sweep' }))?.id;
  };
  const guard = (fn: () => void) => {
    try {
      fn();
    } catch (e) {
      void vscode.window.showErrorMessage(`Hone: ${(e as Error).message}`);
    }
  };
  return [
    vscode.commands.registerCommand('hone.startSweep', async (uri?: vscode.Uri) => {
      if (!trusted()) return;
      const file = await pickSpec(uri);
      if (file) guard(() => follow(startSweep(file.fsPath, options())));
      await deps.refresh();
    }),
    vscode.commands.registerCommand('hone.resumeSweep', async (node?: NodeModel) => {
      if (!trusted()) return;
      const id = await pickSweep(node, ['interrupted', 'stopped']);
      if (id) guard(() => follow(resumeSweep(id, options())));
    }),
    vscode.commands.registerCommand('hone.stopSweep', async (node?: NodeModel) => {
      const id = await pickSweep(node, ['running']);
      if (id) guard(() => (handles.has(id) ? handles.get(id)!.stop() : requestSweepStop(readSettings().storeDir, id)));
      await deps.refresh();
    }),
    { dispose: () => handles.forEach((h) => h.stop()) },
  ];
}

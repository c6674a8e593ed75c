// Runs inside the VS Code that @vscode/test-electron starts (see run.ts); bundled by esbuild on demand.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

const wait = async (check: () => boolean, ms: number) => {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 200))) if (check()) return;
  throw new Error('timed out');
};

export async function run(): Promise<void> {
  const ws = vscode.workspace.workspaceFolders![0].uri.fsPath;
  const ext = vscode.extensions.getExtension('hone-dev.hone')!;
  await ext.activate();
  const commands = await vscode.commands.getCommands(true);
  for (const id of ['hone.newExperiment', 'hone.runExperiment', 'hone.runWithOverrides', 'hone.stopRun', 'hone.rerun', 'hone.deleteRun', 'hone.revealRunFolder', 'hone.showRunLog', 'hone.openDashboard', 'hone.compareRuns']) {
    assert.ok(commands.includes(id), id);
  }
  await vscode.commands.executeCommand('hone.runExperiment', vscode.Uri.file(join(ws, 'quick.hone.json')));
  const runs = join(ws, '.hone', 'runs');
  const status = () => (existsSync(runs) ? readdirSync(runs).map((id) => JSON.parse(readFileSync(join(runs, id, 'run.json'), 'utf8')).status) : []);
  await wait(() => status().includes('completed'), 120_000);
}

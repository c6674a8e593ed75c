import * as vscode from 'vscode';
import { hasSweep } from './pick';

/**
 * Above every spec: Run (one plain run; on a spec with a `sweep` section it says it ignores it) and Run
 * With Overrides…; on a spec with a `sweep` section, Start Sweep first. (VS Code asks again after each
 * edit, so a `sweep` section typed in brings Start Sweep.)
 */
export class SpecCodeLens implements vscode.CodeLensProvider {
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    const sweep = hasSweep(doc.uri);
    return [
      ...(sweep ? [new vscode.CodeLens(top, { title: '$(symbol-array) Start Sweep', tooltip: 'Run the trials of this spec\'s sweep section', command: 'hone.startSweep', arguments: [doc.uri] })] : []),
      new vscode.CodeLens(top, sweep
        ? { title: '$(play) Run Once (No Sweep)', tooltip: 'One plain run of this spec, ignoring its sweep section', command: 'hone.runExperiment', arguments: [doc.uri] }
        : { title: '$(play) Run', tooltip: 'Train this spec once', command: 'hone.runExperiment', arguments: [doc.uri] }),
      new vscode.CodeLens(top, { title: 'Run With Overrides…', tooltip: 'One run with some fields replaced (train.lr=0.01 ...)', command: 'hone.runWithOverrides', arguments: [doc.uri] }),
    ];
  }
}

import * as vscode from 'vscode';

/** "Run" and "Run With Overrides" above every spec file. */
export class SpecCodeLens implements vscode.CodeLensProvider {
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    return [
      new vscode.CodeLens(top, { title: '$(play) Run', command: 'hone.runExperiment', arguments: [doc.uri] }),
      new vscode.CodeLens(top, { title: 'Run With Overrides…', command: 'hone.runWithOverrides', arguments: [doc.uri] }),
    ];
  }
}
